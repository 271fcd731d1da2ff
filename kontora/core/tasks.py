"""Periodic and background jobs of the core app."""
