"""The two htmx answers every app's small forms need: "is this an htmx request" and "go to this page"."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def go(request: HttpRequest, url: str) -> HttpResponse:
    """After a saved form: htmx follows HX-Redirect (a whole-page load), a plain form post a redirect."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)
