"""One walk of the URL resolver for the tests that check every URL of the project (administration marks, exits)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def named_urls(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[
        tuple[str, URLPattern, str]]:
    """(namespaced URL name, pattern, its whole route, the prefixes of its includes too) of every named URL."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_urls(entry, prefix + str(entry.pattern), inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry, prefix + str(entry.pattern)


def converters(route: str) -> dict[str, str]:
    """The URL's parameters and their converters ("int", "slug", "str")."""
    return {param: converter for converter, param in re.findall(r"<(\w+):(\w+)>", route)}
