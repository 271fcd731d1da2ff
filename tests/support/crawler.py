"""One crawler for every exit the apps declare (`core.hooks.EXITS`): it asks each exit about objects, as signed-in
users, and hands every answer to a check.

What is walked and what is checked are the caller's: the access matrix (`tests.support.matrix`) walks every
role in every working mode over a client of every relation and checks the answers against the manual's rules;
a hostile-value walk passes `vary` to send, for the same exits, ids, cursors and texts that must never give a
5xx; a Russian-text walk checks the pages' language. One crawler, parameterised by `Check` (and `vary`).

    mismatches = crawl(walks, EXITS.items(), check)
    assert mismatches == []

A `Walk` is one signed-in user (his test client) and the objects to ask about, by model label. An exit is asked
once per object of the model it `reveals` (once in all when `exit.once`); exits that remove their object are
asked after all the others. Session state an exit leaves (marks, the active filter) is cleared by its `reset`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse

from kontora.core.hooks import Exit, Step


@dataclass
class Walk:
    """One user's walk: his signed-in test client, and the objects to ask about (model label → objects), each
    with a tag the check may read (the user's relation to the object's client)."""

    user: Any
    http: HttpClient
    objects: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """One request of an exit: the URL's arguments and the query string (GET) or form (POST)."""

    args: dict[str, Any]
    data: dict[str, Any]
    label: str = ""  # what a variation changed (a hostile value), for the message


@dataclass
class Visit:
    """One answer: who asked which exit about which object (and its tag), and what came back."""

    walk: Walk
    exit: Exit
    tag: str
    obj: Any
    request: Request
    status: int
    body: str  # the answer as text: HTML unescaped, JSON flattened to its strings, files decoded
    objects: list[tuple[str, Any]] = field(default_factory=list)  # for `once` exits: every object it answers for
    data: str = ""  # the strings of the JSON a page embeds for its scripts (`embedded_text`)

    def where(self) -> str:
        user = self.walk.user
        about = f" × {self.tag}" if self.tag else ""
        changed = f" ({self.request.label})" if self.request.label else ""
        return f"{user.role}/{user.client_scope}{about} × {self.exit.name}{changed}"


Check = Callable[[Visit], list[str]]

# Per-user rate limits the crawler lifts: it asks one exit many times a minute by design, and a throttled answer
# tells nothing about access (the limits have their own tests, e.g. tests/clients/views/test_duplicates.py).
LIFTED_LIMITS = {"DUPLICATE_CHECKS_PER_MINUTE": 10**6}
Vary = Callable[[Exit, Request], Iterable[Request]]


EMBEDDED_JSON = re.compile(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.S)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def body_text(response: Any) -> str:
    """The answer as text, whatever its form: a streamed file, JSON (its strings: rows, counts, messages), HTML."""
    if isinstance(response, StreamingHttpResponse | FileResponse):
        raw = b"".join(response.streaming_content)  # the test client closes the response once it is read
    else:
        raw = response.content
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return html.unescape("\n".join(_strings(json.loads(raw))))
        except ValueError:
            pass
    return html.unescape(raw.decode("utf-8-sig", errors="replace"))


def embedded_text(body: str) -> str:
    """The strings of the data a page hands its scripts (json_script, where letters beyond ASCII come \\u-escaped
    and a name would not be seen in the page's text): data, not the page's wording."""
    return "\n".join(value for block in EMBEDDED_JSON.findall(body) for value in _strings(json.loads(block)))


def sent_texts(request: Request) -> list[str]:
    """The texts the request itself carries (a spec's values too): an answer that repeats them reveals nothing."""
    texts: list[str] = []
    for value in request.data.values():
        texts.extend(str(item) for item in ([value] if not isinstance(value, list) else value))
        if isinstance(value, str) and value.startswith("{"):
            try:
                texts.extend(_strings(json.loads(value)))
            except ValueError:
                pass
    return [text for text in texts if len(text) >= 3]


def _send(http: HttpClient, method: str, url_name: str, request: Request, ajax: bool) -> Any:
    url = reverse(url_name, kwargs=request.args or None)
    headers = {"HTTP_HX_REQUEST": "true"} if ajax else {}
    if method == "GET":
        return http.get(url, request.data, **headers)
    return http.post(url, request.data, **headers)


def _step(http: HttpClient, step: Step, obj: Any) -> None:
    _send(http, step.method, step.url_name, Request({}, step.data(obj)), False)


def _reset(walk: Walk, exit: Exit) -> None:
    if exit.reset:
        walk.http.post(reverse(exit.reset))


def _ask(walk: Walk, exit: Exit, tag: str, obj: Any, check: Check, vary: Vary | None,
         objects: list[tuple[str, Any]]) -> list[str]:
    first = Request(exit.args(obj), exit.data(obj))
    mismatches: list[str] = []
    for request in (vary(exit, first) if vary is not None else [first]):
        _reset(walk, exit)
        if exit.prepare is not None:
            _step(walk.http, exit.prepare, obj)
        response = _send(walk.http, exit.method, exit.url_name, request, exit.ajax)
        body = body_text(response)
        visit = Visit(walk, exit, tag, obj, request, response.status_code, body, objects, embedded_text(body))
        _reset(walk, exit)
        if response.has_header("Retry-After"):
            mismatches.append(f"{visit.where()}: throttled, so the answer tells nothing (lift its limit here)")
            continue
        mismatches.extend(check(visit))
    return mismatches


def crawl(walks: Iterable[Walk], exits: Iterable[Exit], check: Check, *, vary: Vary | None = None) -> list[str]:
    """Every exit asked about every object of every walk; the mismatches `check` found, in order."""
    with override_settings(**LIFTED_LIMITS):
        return _crawl(walks, exits, check, vary)


def _crawl(walks: Iterable[Walk], exits: Iterable[Exit], check: Check, vary: Vary | None) -> list[str]:
    ordered = sorted(exits, key=lambda item: item.removes)  # removals last: they take their object away
    mismatches: list[str] = []
    for walk in walks:
        for exit in ordered:
            objects = walk.objects.get(exit.reveals, [])
            if not objects:
                continue
            if exit.once:
                tag, obj = objects[0]
                mismatches.extend(_ask(walk, exit, "", obj, check, vary, objects))
                continue
            for tag, obj in objects:
                mismatches.extend(_ask(walk, exit, tag, obj, check, vary, [(tag, obj)]))
    return mismatches
