"""Reference data shipped with the program: the initial base's items, the regions and populated places."""
