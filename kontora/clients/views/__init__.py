"""The clients' views, one module per topic (the card, its tabs, files, the registry, search, the Flexi-filter,
exports, the administrator's pages)."""
