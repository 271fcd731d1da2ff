"""The targeting system (TGT-01 … TGT-04): goals with weights (an event of a type and result, a completed task, later
a paid invoice), each employee's plan per day, week and month in weight units, and the achievements the owning
services record — the Assistant's monitor and the report «Таргетинг — плановые показатели» add them up.

Targeting sits low (above directories): the apps whose records earn goals are above it and call its one service,
`services.achievements_sync`, in their own transactions; what kinds of goal there are arrives from them through
`hooks.GOAL_KINDS`."""
