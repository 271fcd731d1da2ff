"""Group processing runs (GRP-01, GRP-02, GRP-05): started over a frozen selection, applied client by client.

Each client is changed in its own short transaction through the owning services — the card's `client_update`
(its rights, history row and row lock), the ladder's `client_stage_change`, `client_set_access`, activity's
`task_create` — and its outcome row and the job's checkpoint commit with it. So another user's card save waits at
most one client, a run taken over after a crash goes on after the last client it committed, and no client is
changed twice. A client the author may not change is skipped and listed, never changed; a client whose change a
service refuses is rolled back alone and listed with the service's message.
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.activity.models import Task
from kontora.activity.services.tasks import task_create
from kontora.bulk.models import BulkOutcome, BulkRun
from kontora.bulk.selectors.letters import letter_values, organisation_name
from kontora.bulk.selectors.runs import bulk_run_limit, too_many
from kontora.bulk.services.plan import MailDraft, Plan, plan_read
from kontora.bulk.services.slots import Slots, check_fits
from kontora.clients import access
from kontora.clients.models import Client, ClientGrant, StageChange
from kontora.clients.services.card import client_lock, client_set_access, client_update
from kontora.clients.services.ladder import client_stage_change
from kontora.core.audit import audit_record, field_label, shown
from kontora.core.errors import DomainError, NotAllowed, Refused
from kontora.core.permissions import decisions
from kontora.core.services.jobs import job_start
from kontora.messaging.models import Channel, Mailing
from kontora.messaging.selectors.recipients import marketing_recipients
from kontora.messaging.services.marketing import (
    mailing_create,
    marketing_letter_queue,
    message_domain,
    sms_mailing_create,
)
from kontora.messaging.services.outbox import letters_send_soon

BULK_JOB = "bulk_run"
RIGHT = "group_processing"
# How often a run asks again whether its author may still run it (dismissed, disabled, the right taken away).
AUTHOR_CHECK_S = 1.0
# How long a run leaves SQLite's one writer free between two clients (several of core.sqlite's tries).
WRITER_GAP_S = 0.001
# How often a run reports its progress and hears a cancel.
PROGRESS_S = 0.2


def _refused_selection(count: int) -> str:
    if not count:
        return _("No client is selected: mark clients in the registry with Space, or apply a filter.")
    return too_many(bulk_run_limit())


def bulk_run_start(*, acting_user: User, client_ids: Sequence[int], selection: str, plan: Plan,
                   mail: MailDraft | None = None, sms: str | None = None) -> BulkRun:
    """Freezes the selection (the ids as given, in their order) and starts the run's job; with `mail`, the mailing
    each client's subscribed addresses get a letter of.

    Refused without the group-processing right, with nothing to do, with no client or more than `bulk_run_limit()`."""
    if not acting_user.has_right(RIGHT):
        raise NotAllowed(_("You do not have the right to group processing."))
    ids = list(dict.fromkeys(int(pk) for pk in client_ids))
    if not ids or len(ids) > bulk_run_limit():
        raise Refused(_refused_selection(len(ids)))
    if plan.is_empty and mail is None and sms is None:
        raise Refused(_("Nothing to do: choose a value on one of the tabs, set a task or write a letter."))
    if plan.task is not None and plan.task.spread:
        check_fits(plan.task.duration_minutes)
    with transaction.atomic():
        if mail is not None:
            mailing = mailing_create(acting_user=acting_user, subject=mail.subject, text=mail.text, html=mail.html,
                                     individual=mail.individual, attachments=mail.attachments)
            plan = dataclasses.replace(plan, mailing=mailing.pk)
        if sms is not None:
            plan = dataclasses.replace(plan, sms_mailing=sms_mailing_create(acting_user=acting_user, text=sms).pk)
        run = BulkRun.objects.create(author=acting_user, selection=selection[:300], client_ids=ids,
                                     plan=plan.to_json())
        run.job = job_start(acting_user=acting_user, kind=BULK_JOB, params={"run": run.pk},
                            title=_("Group processing of %(count)d clients") % {"count": len(ids)})
        run.save(update_fields=["job"])
        audit_record(actor=acting_user, event="bulk.run.start", target=run,
                     summary=_("Group processing started: %(count)d clients") % {"count": len(ids)},
                     extra={"selection": run.selection, "clients": len(ids)})
    return run


def _nothing(state: dict[str, Any]) -> None:
    """No job around (a direct call): nothing to checkpoint."""


def bulk_run_apply(
    *, run_id: int, progress: Callable[[int, int | None, str], None],
    resume: dict[str, Any] | None = None, checkpoint: Callable[[dict[str, Any]], None] = _nothing,
) -> dict[str, int]:
    """Applies the run to each client after the checkpoint's; returns the outcome counts of the whole run."""
    run = BulkRun.objects.select_related("author").get(pk=run_id)
    plan = plan_read(run.plan)
    letters = _Letters.of(plan, run.author_id)
    slots = Slots(plan.task.starts_at, plan.task.duration_minutes, plan.task.assignee) \
        if plan.task is not None and plan.task.spread else None
    total = len(run.client_ids)
    message = _("Processing clients")
    start = int((resume or {}).get("next", 0))
    progress(start, total, message)
    checked = reported = 0.0
    for position in range(start, total):
        began = time.monotonic()
        if began - checked >= AUTHOR_CHECK_S:
            _author_may_go_on(run.author_id)
            checked = began
        # Each client's access questions asked once (its skip check and its services ask the same), in a memo
        # that ends with the client: nothing decided outlives the transaction it was read in.
        with decisions():
            # Only the first client of a run taken over may have been committed already (with the checkpoint that
            # the run was given); every later one is known to be new.
            _client_step(run, position, plan, slots, resumed=position == start and start > 0, letters=letters,
                         checkpoint=checkpoint)
        if connection.vendor == "sqlite":
            # SQLite has one writer, and a session waiting for it tries again every half millisecond (core.sqlite):
            # a short gap lets it in before the run takes the lock back for its next client.
            time.sleep(WRITER_GAP_S)
        if time.monotonic() - reported >= PROGRESS_S or position + 1 == total:
            progress(position + 1, total, message)  # also where a cancel is heard: one read, so not every client
            reported = time.monotonic()
    if plan.mailing or plan.sms_mailing:
        letters_send_soon()  # the letters this run queued, not waiting for the per-minute round
    counts = {result: 0 for result in BulkOutcome.Result.values}
    for result in BulkOutcome.objects.filter(run=run).values_list("result", flat=True):
        counts[result] += 1
    return counts


def _author_may_go_on(author_id: int) -> None:
    """A run stops when its author is dismissed, disabled or loses the right meanwhile (read afresh every
    AUTHOR_CHECK_S)."""
    author = User.objects.get(pk=author_id)
    if not author.is_active or not author.has_right(RIGHT):
        raise Refused(_("The run stopped: its author may no longer do group processing."))


def _why_not(author: User, client_id: int, plan: Plan) -> str:
    standing = access.standing(author, client_id)
    if not plan.changes_clients:  # a letter alone: its addresses are card data, so the card must open
        return "" if standing.opens else (_("You may not open this client.") if standing.sees
                                          else _("The client is not available to you."))
    if not standing.edits:
        return _("You may not change this client.") if standing.sees else _("The client is not available to you.")
    if plan.needs_main and not standing.edits_main:
        return _("You may not change this client's curator, specialist or access.")
    return ""


def _client_step(run: BulkRun, position: int, plan: Plan, slots: Slots | None, *, resumed: bool,
                 letters: _Letters, checkpoint: Callable[[dict[str, Any]], None]) -> BulkOutcome:
    """One client in one transaction: its changes, its outcome and the job's checkpoint. A service's refusal rolls
    that transaction back whole, and the failure is recorded with the checkpoint in a transaction of its own (no
    savepoint a client: on PostgreSQL each is two more round trips)."""
    try:
        with transaction.atomic():
            outcome = _client_apply(run, position, plan, slots, resumed=resumed, letters=letters)
            checkpoint({"next": position + 1})
            return outcome
    except (DomainError, ValidationError) as exc:
        with transaction.atomic():
            outcome = BulkOutcome.objects.create(
                run=run, position=position, client=Client.objects.filter(pk=run.client_ids[position]).first(),
                result=BulkOutcome.Result.FAILED, reason=_message(exc)[:500], changes=[])
            checkpoint({"next": position + 1})
            return outcome


def _client_apply(run: BulkRun, position: int, plan: Plan, slots: Slots | None, *, resumed: bool = False,
                  letters: _Letters | None = None) -> BulkOutcome:
    if resumed:
        done = BulkOutcome.objects.filter(run=run, position=position).first()
        if done is not None:
            return done  # committed by a run that died after it
    author: User = run.author
    client_id = int(run.client_ids[position])
    # A run that changes cards takes the row lock the card's save takes, at once: the row read is the state before
    # the change and the one the save writes (not read twice), and the author's standing comes with it.
    client = _locked(client_id, plan, author) if plan.values or plan.directions or plan.competitors \
        else Client.objects.filter(pk=client_id).first()
    outcome = BulkOutcome(run=run, position=position, client=client)
    reason = _why_not(author, client_id, plan) if client is not None else _("The client was deleted.")
    if reason:
        outcome.result, outcome.reason = BulkOutcome.Result.SKIPPED, reason
    else:
        assert client is not None
        outcome.changes, outcome.task, outcome.reason = _change(author, client, plan, slots, run,
                                                                letters or _Letters.of(plan, author.pk))
        changed = outcome.changes or outcome.task is not None
        outcome.result = BulkOutcome.Result.CHANGED if changed else BulkOutcome.Result.UNCHANGED
    outcome.save()
    return outcome


def _locked(client_id: int, plan: Plan, author: User) -> Client | None:
    """The client's row locked for the card's save, with the author's standing towards it."""
    try:
        return client_lock(client_id, plan.values, standing_of=author)
    except Client.DoesNotExist:
        return None


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(message) for message in exc.messages)
    return str(getattr(exc, "message", exc))


def _columns(plan: Plan) -> list[str]:
    return [Client._meta.get_field(name).attname for name in plan.values]  # type: ignore[union-attr]


def _state(client_id: int, plan: Plan, row: Client | None = None) -> dict[str, Any]:
    """The client's keys of the fields the plan sets (from `row` when given, else one query) and the items of the
    lists it adds to."""
    columns = _columns(plan)
    state: dict[str, Any] = {name: getattr(row, name) for name in columns} if row is not None else dict(
        Client.objects.filter(pk=client_id).values(*columns).first() or {})
    for name, items in (("directions", plan.directions), ("competitors", plan.competitors)):
        if items:
            through = getattr(Client, name).through.objects.filter(client_id=client_id)
            state[name] = set(through.values_list(f"{getattr(Client, name).rel.model._meta.model_name}_id",
                                                  flat=True))
    return state


def _change(author: User, client: Client, plan: Plan, slots: Slots | None, run: BulkRun, letters: _Letters
            ) -> tuple[list[dict[str, str]], Task | None, str]:
    """The client changed through the owning services, each with its rights, lock and history row; what changed,
    as the outcome lists it (the field and its new value), and why no letter went when none did."""
    # `client` was read at the start of this client's transaction: its columns are the state before.
    before = _state(client.pk, plan, client)
    values = {name: value for name, value in plan.values.items() if name != "ladder_stage"}
    lists = {name: {*before[name], *(item.pk for item in items)} for name, items in (
        ("directions", plan.directions), ("competitors", plan.competitors)) if items}
    saved: Client | None = client
    if values or any(lists[name] != before[name] for name in lists):
        saved = client_update(acting_user=author, client=client, values=values, directions=lists.get("directions"),
                              competitors=lists.get("competitors"), locked=True)
    if "ladder_stage" in plan.values:
        client_stage_change(acting_user=author, client=client, stage=plan.values["ladder_stage"],
                            source=StageChange.Source.BULK)
        saved = None  # the ladder's service saved its own copy: read the state again
    after = _state(client.pk, plan, saved)
    changes = [{"field": field_label(Client, name), "old": "", "new": shown(value)}
               for name, value in plan.values.items()
               if before.get(Client._meta.get_field(name).attname) != after.get(  # type: ignore[union-attr]
                   Client._meta.get_field(name).attname)]  # type: ignore[union-attr]
    for name, items in (("directions", plan.directions), ("competitors", plan.competitors)):
        added = [item for item in items if item.pk not in before.get(name, set())]
        if added:
            changes.append({"field": field_label(Client, name), "old": "", "new": shown(added)})
    if plan.grants:
        current = dict(ClientGrant.objects.filter(client=client).values_list("user_id", "can_edit"))
        wanted = {**current, **{user.pk: edit for user, edit in plan.grants.items()}}
        if wanted != current:
            client_set_access(acting_user=author, client=Client.objects.get(pk=client.pk), grants=wanted)
            added_users = [user for user, edit in plan.grants.items() if current.get(user.pk) != edit]
            changes.append({"field": _("Has access"), "old": "", "new": shown(added_users)})
    task = None
    if plan.task is not None:
        task = _task(author, client, plan, slots, run)
        changes.append({"field": _("Task"), "old": "", "new": _("No. %(number)s") % {"number": task.pk}})
    reasons = []
    for mailing in letters.mailings:
        queued, reason = _letters(client, mailing, letters)
        changes.extend(queued)
        reasons += [reason] if reason else []
    return changes, task, " ".join(reasons)


@dataclasses.dataclass(frozen=True)
class _Letters:
    """What every client's letters of a run share, read once a run: its mailings (e-mail, SMS), the organisation
    placeholder and the author's mailbox domain for Message-IDs."""

    mailings: tuple[Mailing, ...] = ()
    organisation: str = ""
    domain: str = ""

    @classmethod
    def of(cls, plan: Plan, author_id: int) -> _Letters:
        ids = [pk for pk in (plan.mailing, plan.sms_mailing) if pk]
        if not ids:
            return cls()
        return cls(mailings=tuple(Mailing.objects.filter(pk__in=ids).order_by("pk")),
                   organisation=organisation_name(), domain=message_domain(author_id))


def _letters(client: Client, mailing: Mailing, letters: _Letters) -> tuple[list[dict[str, str]], str]:
    """The mailing's letter to each of the client's subscribed addresses; none, with the reason, when it is excluded
    or has no address that may receive it."""
    found = marketing_recipients([client.pk], mailing.channel)
    addresses = found.addresses.get(client.pk, [])
    if not addresses:
        return [], found.reasons.get(client.pk, "")
    for address, whose in addresses:
        values = letter_values(client, address, whose, letters.organisation) if mailing.individual else {}
        marketing_letter_queue(mailing=mailing, client=client, recipient=address, values=values,
                               domain=letters.domain)
    listed = ", ".join(address for address, _whose in addresses)
    if mailing.channel == Channel.SMS:
        return [{"field": "SMS", "old": "", "new": _("SMS queued to %(numbers)s") % {"numbers": listed}}], ""
    return [{"field": _("E-mail"), "old": "", "new": _("letter queued to %(addresses)s") % {
        "addresses": listed}}], ""


def _task(author: User, client: Client, plan: Plan, slots: Slots | None, run: BulkRun) -> Task:
    given = plan.task
    assert given is not None
    starts_at, due_at = given.starts_at, given.due_at
    if slots is not None:
        # The next free slot: the tasks this run has set so far (a skipped client takes none).
        starts_at = slots.nth(BulkOutcome.objects.filter(run=run, task__isnull=False).count())
        due_at = max(due_at, starts_at + datetime.timedelta(minutes=given.duration_minutes))
    return task_create(acting_user=author, client=client, values={
        "assignee": given.assignee, "importance": given.importance, "requires_report": given.requires_report,
        "description": given.description, "starts_at": starts_at, "due_at": due_at,
        "duration_minutes": given.duration_minutes, "remind": False,
    })
