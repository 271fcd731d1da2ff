"""What group processing reads: the selection it would take (frozen when the user confirms), a run for its author,
and a run's outcomes as the author may see them now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kontora.bulk.models import BulkOutcome, BulkRun
from kontora.clients import access
from kontora.clients.selectors.exports import export_scope
from kontora.core.selectors.settings import system_settings
from kontora.messaging.selectors.recipients import marketing_recipients


def bulk_run_limit() -> int:
    """The most clients one run may take (Settings → Functionality; the manual's 500 by default)."""
    return int(system_settings().bulk_max_clients)


def too_many(limit: int) -> str:
    return ngettext(
        "More than %(limit)d client is selected: one run takes at most %(limit)d. Mark fewer clients or narrow the "
        "filter.",
        "More than %(limit)d clients are selected: one run takes at most %(limit)d. Mark fewer clients or narrow "
        "the filter.", limit) % {"limit": limit}


@dataclass(frozen=True)
class Selection:
    ids: list[int]  # at most limit + 1: one more than a run takes tells that there are too many
    description: str

    def over(self, limit: int) -> bool:
        return len(self.ids) > limit


def selection(*, fetched_by: Any, sort: str, limit: int, marked: list[int] | None = None,
              filter_q: Q | None = None, filter_label: str = "") -> Selection:
    """The marked clients, or the registry's clients under its active filter, in the registry's order — only those
    the user sees (a stale or forged mark reaches nothing)."""
    scope = export_scope(fetched_by=fetched_by, sort=sort, filter_q=filter_q, filter_label=filter_label,
                         marked=marked)
    ids = list(scope.queryset.values_list("pk", flat=True)[:limit + 1])
    return Selection(ids=ids, description=scope.description)


def access_run(user: Any, run_id: int) -> BulkRun:
    """A run its author may watch (the same 404 for someone else's and a missing one)."""
    run = BulkRun.objects.select_related("job").filter(pk=run_id, author=user).first()
    if run is None:
        raise Http404
    return run


@dataclass(frozen=True)
class OutcomeLine:
    position: int
    client_id: int | None
    name: str  # the registry's column; "" for a client the user no longer sees
    opens: bool
    result: str
    result_label: str
    reason: str
    changes: list[dict[str, str]]  # card data: empty for a client the user cannot open now


def outcomes(user: Any, run: BulkRun) -> list[OutcomeLine]:
    """Every outcome of the run in selection order, in one query whatever their number: a client's name if the
    user still sees it, what changed only if he may still open it (a listed client is not an opened one)."""
    rows = (BulkOutcome.objects.filter(run=run).order_by("position")
            .annotate(k_sees=Exists(access.visible_clients(user).filter(pk=OuterRef("client_id"))),
                      k_opens=Exists(access.openable_clients(user).filter(pk=OuterRef("client_id"))))
            .values("position", "client_id", "client__short_name", "k_sees", "k_opens", "result", "reason",
                    "changes"))
    labels = dict(BulkOutcome.Result.choices)
    lines = []
    for row in rows:
        sees = bool(row["k_sees"])
        lines.append(OutcomeLine(
            position=row["position"], client_id=row["client_id"] if sees else None,
            name=row["client__short_name"] if sees else _("client unavailable"), opens=bool(row["k_opens"]),
            result=row["result"], result_label=str(labels.get(row["result"], row["result"])),
            reason=row["reason"], changes=list(row["changes"] or []) if row["k_opens"] else []))
    return lines


@dataclass(frozen=True)
class PreviewLine:
    name: str
    addresses: list[str]


@dataclass(frozen=True)
class MailPreview:
    """What «Проверить получателей» shows before a mailing: the exact number of letters, to whom (only clients the
    user may open: their addresses are card data), and how many clients get none and why."""

    letters: int
    lines: list[PreviewLine]
    skipped: list[tuple[str, int]]  # (reason, clients)
    first: tuple[int, str, str] | None  # the first recipient: (client id, address, whose)


def mail_preview(user: Any, client_ids: list[int], channel: str = "email") -> MailPreview:
    """A fixed number of queries whatever the selection's size; `channel`: "email" or "sms"."""
    opens = dict(access.openable_clients(user).filter(pk__in=client_ids).values_list("pk", "short_name"))
    found = marketing_recipients([pk for pk in client_ids if pk in opens], channel)
    reasons: dict[str, int] = {}
    unavailable = sum(1 for pk in client_ids if pk not in opens)
    if unavailable:
        reasons[_("You may not open the client: it is skipped.")] = unavailable
    lines = []
    for pk in client_ids:
        if pk in found.addresses:
            lines.append(PreviewLine(opens[pk], [address for address, _whose in found.addresses[pk]]))
        elif pk in found.reasons:
            reasons[found.reasons[pk]] = reasons.get(found.reasons[pk], 0) + 1
    first = next(((pk, *found.addresses[pk][0]) for pk in client_ids if pk in found.addresses), None)
    return MailPreview(letters=sum(len(line.addresses) for line in lines), lines=lines,
                       skipped=sorted(reasons.items()), first=first)
