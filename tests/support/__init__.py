"""Plain helpers shared by test modules (fixtures live in conftest plugins; a test module never imports another)."""
