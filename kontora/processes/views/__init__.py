"""Views of business processes, one module per topic: setup (the designer), runs (the journal, «Запустить
процесс», the monitor), progress (a run's page, its print form, delete)."""
