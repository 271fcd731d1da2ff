"""Activity (issue 14): the relationship history (events), tasks of the manual's four kinds, and the planners."""
