"""Help → Guide (SYS-09): the user guide's pages, their pictures and the search over them, for every signed-in user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET
from django.views.static import was_modified_since

from kontora.core.middleware import program_data
from kontora.core.selectors import guide

# The pictures are the program's own files: a day in the browser's cache, then asked again with If-Modified-Since.
IMAGE_MAX_AGE = 24 * 60 * 60


def _context(current: str, **extra: Any) -> dict[str, Any]:
    return {"contents": guide.guide_contents(), "current": current, "query": "", **extra}


def _page(request: HttpRequest, slug: str) -> HttpResponse:
    page = guide.guide_page(slug)
    if page is None:
        if slug == guide.INDEX:
            return render(request, "core/guide.html", _context(slug, missing=True))
        raise Http404
    return render(request, "core/guide.html", _context(slug, page=page))


@login_required
@require_GET
def guide_index(request: HttpRequest) -> HttpResponse:
    return _page(request, guide.INDEX)


@login_required
@require_GET
def guide_page(request: HttpRequest, slug: str) -> HttpResponse:
    if slug == guide.INDEX:
        raise Http404  # the index is /help/guide/ itself
    return _page(request, slug)


@login_required
@require_GET
def guide_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[: guide.QUERY_CHARS]
    hits = guide.guide_search(query)
    return render(request, "core/guide.html", _context("", query=query, hits=hits, searched=True,
                                                       words=bool(guide.search_words(query))))


@login_required
@require_GET
def guide_image(request: HttpRequest, name: str) -> HttpResponseBase:
    path = guide.image_path(name)
    if path is None:
        raise Http404
    modified = path.stat().st_mtime
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), int(modified)):
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        response = FileResponse(path.open("rb"), content_type=guide.IMAGE_TYPES[path.suffix[1:].lower()])
    response["Last-Modified"] = http_date(modified)
    # Private: the pictures are behind the sign-in, so no shared cache keeps them.
    patch_cache_control(response, private=True, max_age=IMAGE_MAX_AGE)
    return program_data(response)
