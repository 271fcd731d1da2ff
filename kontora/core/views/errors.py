"""Error pages: the person sees what happened and the request id to quote to the administrator."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from kontora.core.middleware import current_request_id

log = logging.getLogger("kontora.errors")


def _page(request: HttpRequest, status: int, template: str, *, plain: bool = False) -> HttpResponse:
    context = {"request_id": getattr(request, "request_id", current_request_id())}
    try:
        if plain:  # no context processors: they may be what failed
            return HttpResponse(loader.get_template(template).render(context), status=status)
        return render(request, template, context, status=status)
    except Exception:  # the error page itself must never fail
        log.exception("error page %s failed to render", status)
        return HttpResponse(
            f"Error {status}. Request id: {context['request_id']}", status=status, content_type="text/plain"
        )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, "errors/404.html")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, "errors/403.html")


def server_error(request: HttpRequest) -> HttpResponse:
    log.error("server error on %s %s", request.method, request.path)
    return _page(request, 500, "errors/500.html", plain=True)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, 403, "errors/csrf.html")
