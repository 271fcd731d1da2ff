"""Kontora: self-hosted CRM with trade, warehouse and cash accounting."""

__version__ = "0.1.0"
