"""A URL configuration for tests of error handling: the real routes plus one view that fails."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from kontora.urls import handler403, handler404, handler500  # noqa: F401
from kontora.urls import urlpatterns as real_patterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("deliberate failure for the test")


urlpatterns = [path("test-boom/", boom), *real_patterns]
