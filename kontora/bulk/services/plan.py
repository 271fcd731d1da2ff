"""What group processing does to each client (GRP-01, GRP-02): the plan, as the manager's tabs gave it, kept with
the run as JSON (ids, dates as ISO text) and read back into model instances once per run."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from kontora.accounts.models import User
from kontora.directories import models as dirs
from kontora.messaging.services.marketing import Attachment

# The client's own fields the tabs set, with the directory each names (None: not a directory).
CLASSIFIERS: dict[str, type[Any]] = {
    "status": dirs.ClientStatus, "size": dirs.CompanySize, "source": dirs.InformationSource,
    "priority": dirs.Priority, "activity": dirs.ActivityType,
}
OPERATIONAL: dict[str, type[Any]] = {
    "ladder_stage": dirs.LadderStage, "next_stage": dirs.LadderStage, "penetration": dirs.PenetrationDepth,
    "reaction": dirs.ContactReaction, "loyalty": dirs.Loyalty, "prospect": dirs.Prospect, "flag": dirs.ClientFlag,
}
PEOPLE = ("curator", "specialist")
RELATED: dict[str, type[Any]] = {**CLASSIFIERS, **OPERATIONAL, **{name: User for name in PEOPLE}}
# Kept on the client, not a relation.
PLAIN = ("next_contact_date", "needs_attention")


@dataclass(frozen=True)
class TaskPlan:
    """One task per client (GRP-02); with `spread`, laid one after another from `starts_at` inside the assignee's
    working hours and the office's working days, each `duration_minutes` long."""

    assignee: User
    importance: str
    requires_report: bool
    description: str
    starts_at: datetime.datetime
    due_at: datetime.datetime
    duration_minutes: int
    spread: bool

    def to_json(self) -> dict[str, Any]:
        return {"assignee": self.assignee.pk, "importance": self.importance, "requires_report": self.requires_report,
                "description": self.description, "starts_at": self.starts_at.isoformat(),
                "due_at": self.due_at.isoformat(), "duration_minutes": self.duration_minutes, "spread": self.spread}


@dataclass(frozen=True)
class MailDraft:
    """The E-mail tab's letter before its run starts (the run makes it a messaging Mailing)."""

    subject: str
    text: str
    html: str
    individual: bool
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Plan:
    """`values`: the client's fields to set (a directory item, a user, a date, a flag); `directions` and
    `competitors` are added to the client's own; `grants` ({user: may edit}) are added to its access."""

    values: dict[str, Any] = field(default_factory=dict)
    directions: tuple[Any, ...] = ()
    competitors: tuple[Any, ...] = ()
    grants: dict[Any, bool] = field(default_factory=dict)
    task: TaskPlan | None = None
    mailing: int | None = None  # the id of messaging's Mailing whose letter each client's addresses get
    sms_mailing: int | None = None  # the id of the SMS Mailing whose SMS each client's mobile numbers get

    @property
    def changes_clients(self) -> bool:
        return bool(self.values or self.directions or self.competitors or self.grants or self.task)

    @property
    def is_empty(self) -> bool:
        return not (self.changes_clients or self.mailing or self.sms_mailing)

    @property
    def needs_main(self) -> bool:
        """Does it change who owns the clients (curator, specialist, access): the card's main data."""
        return bool(self.grants) or any(name in PEOPLE for name in self.values)

    def to_json(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, value in self.values.items():
            if name in RELATED:
                values[name] = value.pk
            elif isinstance(value, datetime.date):
                values[name] = value.isoformat()
            else:
                values[name] = value
        return {"values": values, "directions": [item.pk for item in self.directions],
                "competitors": [item.pk for item in self.competitors],
                "grants": [[user.pk, edit] for user, edit in self.grants.items()],
                "task": self.task.to_json() if self.task else None, "mailing": self.mailing,
                "sms_mailing": self.sms_mailing}


def _by_id(model: type[Any], ids: list[int]) -> dict[int, Any]:
    return {item.pk: item for item in model._default_manager.filter(pk__in=ids)} if ids else {}


def plan_read(data: dict[str, Any]) -> Plan:
    """The plan kept with a run, its ids read back (one query per kind of thing named); an item deleted since is
    left out."""
    raw = dict(data.get("values") or {})
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name in RELATED:
            item = _by_id(RELATED[name], [int(value)]).get(int(value))
            if item is not None:
                values[name] = item
        elif name == "next_contact_date":
            values[name] = parse_date(str(value))
        elif name == "needs_attention":
            values[name] = bool(value)
    grants_raw = [(int(uid), bool(edit)) for uid, edit in data.get("grants") or []]
    users = _by_id(User, [uid for uid, _edit in grants_raw])
    task = None
    if data.get("task"):
        t = data["task"]
        assignee = _by_id(User, [int(t["assignee"])]).get(int(t["assignee"]))
        starts_at, due_at = parse_datetime(t["starts_at"]), parse_datetime(t["due_at"])
        if assignee is not None and starts_at is not None and due_at is not None:
            task = TaskPlan(assignee=assignee, importance=t["importance"], requires_report=bool(t["requires_report"]),
                            description=t["description"], starts_at=starts_at, due_at=due_at,
                            duration_minutes=int(t["duration_minutes"]), spread=bool(t["spread"]))
    directions = _by_id(dirs.Direction, [int(pk) for pk in data.get("directions") or []])
    competitors = _by_id(dirs.Competitor, [int(pk) for pk in data.get("competitors") or []])
    return Plan(values=values, directions=tuple(directions.values()), competitors=tuple(competitors.values()),
                grants={users[uid]: edit for uid, edit in grants_raw if uid in users}, task=task,
                mailing=int(data["mailing"]) if data.get("mailing") else None,
                sms_mailing=int(data["sms_mailing"]) if data.get("sms_mailing") else None)
