"""Background jobs of the directories app; the job consumer imports this module to find their handlers."""

from kontora.directories import banks  # noqa: F401  (registers the "banks_import" job handler)
