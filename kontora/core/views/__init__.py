"""Views of the core app, one module per topic."""

from kontora.core.views.errors import csrf_failure, forbidden, not_found, server_error

__all__ = ["csrf_failure", "forbidden", "not_found", "server_error"]
