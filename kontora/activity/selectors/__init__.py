"""Activity: events, tasks and planners."""
