"""The registry's active filter (a Flexi-filter or a template), kept in the user's session.

The session holds only a parsed specification and its label; the `Q` is compiled for `request.user` on
every request, so "me" and the user's access always mean the current user. A stored filter that no
longer compiles (an attribute deactivated meanwhile) is dropped rather than showing every client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest

from kontora.clients.flexi.selectors.specs import describe, parse, to_q

SESSION_KEY = "clients_flexi_filter"
_CACHE_ATTR = "_kontora_flexi_active"


@dataclass(frozen=True)
class ActiveFilter:
    spec: dict[str, Any]
    label: str  # the template's name, or the filter's description
    q: Q
    ref: str = ""  # the template's ref ("static:my", "user:12") when a template was applied

    @property
    def description(self) -> str:
        return describe(self.spec)


def set_active(request: HttpRequest, spec: Any, *, label: str = "", ref: str = "") -> ActiveFilter:
    """Makes `spec` (raw or parsed; validated again here) the registry's filter; ValidationError if it is refused.

    An empty `label` shows the filter's description instead.
    """
    parsed = parse(spec, user=request.user)
    q = to_q(parsed, user=request.user)
    text = str(label) or describe(parsed)
    request.session[SESSION_KEY] = {"spec": parsed, "label": text, "ref": ref}
    active = ActiveFilter(spec=parsed, label=text, q=q, ref=ref)
    setattr(request, _CACHE_ATTR, active)
    return active


def stored(request: HttpRequest) -> Any:
    """The session's filter as kept, for `restore` after a filter that could not be shown."""
    return request.session.get(SESSION_KEY)


def restore(request: HttpRequest, kept: Any) -> None:
    """Puts back what `stored` returned (no filter when it was None)."""
    if kept is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = kept
    if hasattr(request, _CACHE_ATTR):
        delattr(request, _CACHE_ATTR)


def clear_active(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    setattr(request, _CACHE_ATTR, None)


def active_filter(request: HttpRequest) -> ActiveFilter | None:
    if hasattr(request, _CACHE_ATTR):
        cached: ActiveFilter | None = getattr(request, _CACHE_ATTR)
        return cached
    data = request.session.get(SESSION_KEY)
    active = None
    if isinstance(data, dict):
        try:
            q = to_q(data["spec"], user=request.user)
            active = ActiveFilter(spec=data["spec"], label=str(data.get("label", "")), q=q,
                                  ref=str(data.get("ref", "")))
        except (ValidationError, KeyError, TypeError, ValueError):
            request.session.pop(SESSION_KEY, None)
    setattr(request, _CACHE_ATTR, active)
    return active


def active_filter_q(request: HttpRequest) -> Q | None:
    """The registry's filter as a Q for `selectors.registry_*(filter_q=…)`, or None when no filter is on."""
    active = active_filter(request)
    return active.q if active is not None else None
