"""Core's reads, one module per topic: settings, organisation, structure, jobs, notifications, the main window
and its informer. Selectors never write (architecture.md, "Rooms")."""
