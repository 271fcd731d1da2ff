"""Activity's background work: thin tasks, ids in, a service call inside."""
