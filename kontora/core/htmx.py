"""The one place that reads htmx's request headers (`HX-…`; tests/architecture/test_browser.py holds every other
module to it), and "go to this page" after a saved form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (a partial answers it), not a page load or a plain form post."""
    return bool(request.headers.get("HX-Request"))


def htmx_target(request: HttpRequest) -> str:
    """The id of the element an htmx request will swap its answer into ("" for a page load)."""
    return request.headers.get("HX-Target", "") if is_htmx(request) else ""


def htmx_current_url(request: HttpRequest) -> str:
    """The address of the page that sent an htmx request ("" for a page load)."""
    return request.headers.get("HX-Current-URL", "") if is_htmx(request) else ""


def go(request: HttpRequest, url: str) -> HttpResponse:
    """After a saved form: htmx follows HX-Redirect (a whole-page load), a plain form post a redirect."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def reload_page(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """htmx reloads the whole page that sent the request (HX-Refresh) instead of swapping `response` in; a page load
    gets `response` itself."""
    if is_htmx(request):
        reloaded = HttpResponse(status=204)
        reloaded["HX-Refresh"] = "true"
        return reloaded
    return response
