"""Playwright driving Debian's Chromium against pytest-django's live server (the tests under */browser/)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("KONTORA_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]


# Requests the live server is still answering. A page closed while its request runs leaves that request's
# transaction open in the server's thread; the flush after the test then waited for its locks (on PostgreSQL a
# deadlock of TRUNCATE with the request). The main thread's requests are the test client's, not the server's.
_in_flight = 0
_counting = threading.Lock()


def _request_started(**kwargs: Any) -> None:
    global _in_flight
    if threading.current_thread() is not threading.main_thread():
        with _counting:
            _in_flight += 1


def _request_finished(**kwargs: Any) -> None:
    global _in_flight
    if threading.current_thread() is not threading.main_thread():
        with _counting:
            _in_flight = max(0, _in_flight - 1)


def pytest_configure(config: pytest.Config) -> None:
    from django.core.signals import request_finished, request_started

    request_started.connect(_request_started, dispatch_uid="kontora-tests-in-flight")
    request_finished.connect(_request_finished, dispatch_uid="kontora-tests-in-flight")


@pytest.fixture(autouse=True)
def _server_idle_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """For a test on the live server: after its pages are closed and before its base is flushed, the server's
    requests are let finish (10 s at the most)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")  # set up before this fixture, so flushed after it
    yield
    deadline = time.monotonic() + 10
    while _in_flight and time.monotonic() < deadline:
        time.sleep(0.01)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium chromium-driver")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield instance
        instance.close()


def _context(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ru-RU")
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = _context(browser)
    pg = context.new_page()
    pg.base_url = live_server.url  # type: ignore[attr-defined]
    yield pg
    context.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A factory for extra isolated browser sessions (a second user at the same time)."""
    contexts: list[Any] = []

    def make() -> Any:
        context = _context(browser)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
