"""Forms of business processes, one module per topic: setup (the designer), runs (start), progress (a run)."""
