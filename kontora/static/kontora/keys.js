// Keyboard shortcuts of the main window are wired here (see core:shortcuts).
