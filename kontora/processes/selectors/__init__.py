"""Reads of business processes, one module per topic: setup (the designer), runs (journal, monitor, a run)."""
