"""Reports over clients and their contact persons: birthdays, the client summary."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.activity import policies as activity_policies
from kontora.activity.models import Task
from kontora.clients import policies as clients_policies
from kontora.clients.selectors.birthdays import birthdays
from kontora.reports.forms.clients import BirthdaysForm, ClientSummaryForm
from kontora.reports.framework.base import OPERATIONAL, Report, Scope
from kontora.reports.framework.result import DATE, INTEGER, TEXT, Column, Result, Section


class Birthdays(Report):
    slug = "birthdays"
    title = gettext_lazy("Birthdays")
    group = OPERATIONAL
    order = 50
    form_class = BirthdaysForm

    def build(self, user: Any, form: Any) -> Result:
        data = form.cleaned_data
        curator = data.get("curator")
        found = birthdays(user, start=data["date_from"], end=data["date_to"], everyone=Scope.of(user).everyone,
                          curator_id=curator.pk if curator else None)
        sections = [
            Section(f"{MONTHS[month]} {year}", [
                [item.day, item.full_name, item.age, item.position, item.client, item.phone, item.email,
                 item.curator] for item in items])
            for (year, month), items in groupby(found, key=lambda item: (item.day.year, item.day.month))
        ]
        columns = [Column("day", _("Date"), DATE), Column("contact", _("Contact person"), TEXT, width=28),
                   Column("age", _("Turns"), INTEGER, width=7), Column("position", _("Position"), TEXT, width=18),
                   Column("client", _("Client"), TEXT, width=28), Column("phone", _("Phone"), TEXT, width=16),
                   Column("email", _("E-mail"), TEXT, width=22), Column("curator", _("Curator"), TEXT, width=18)]
        notes = [] if found else [_("No birthdays in this period.")]
        return self.result(user, form, columns=columns, sections=sections, notes=notes, rows=len(found))



RECENT_EVENTS, OPEN_TASKS = 30, 30


class ClientSummary(Report):
    """«Сводная информация по клиенту»: everything known about one client on one printable page, opened from the
    card's header (not from the menu): its card, contact persons, latest events and open tasks."""

    slug = "client-summary"
    title = gettext_lazy("Client summary")
    in_menu = False
    form_class = ClientSummaryForm

    def initial(self, user: Any) -> dict[str, Any]:
        return {}

    def asked(self, data: Any) -> bool:
        return "client" in data

    def build(self, user: Any, form: Any) -> Result:
        client = form.cleaned_data["client"]
        shown = [
            (_("Code"), client.code), (_("Short name"), client.short_name), (_("Full name"), client.full_name),
            (_("INN"), client.inn), (_("KPP"), client.kpp),
            (_("City"), client.settlement.name if client.settlement else ""), (_("Address"), client.address),
            (_("Phones"), client.phone), (_("E-mail"), client.email),
            (_("Curator"), client.curator.full_name if client.curator else ""),
            (_("Status"), client.status.name if client.status else ""),
            (_("Sales ladder stage"), client.ladder_stage.name if client.ladder_stage else ""),
            (_("Next contact date"), f"{client.next_contact_date:%d.%m.%Y}" if client.next_contact_date else ""),
        ]
        contacts = [[person.full_name, "; ".join(part for part in (
            person.position, person.phone_mobile, person.phone_office, person.email) if part)]
            for person in clients_policies.contacts.visible(user).filter(client=client).order_by("full_name", "id")]
        zone = timezone.get_current_timezone()
        events = [[f"{event.created_at.astimezone(zone):%d.%m.%Y %H:%M} · {event.event_type.name}",
                   f"{event.description} ({event.author.full_name})"]
                  for event in activity_policies.visible_events(user).filter(client=client)
                  .select_related("event_type", "author").order_by("-created_at", "-id")[:RECENT_EVENTS]]
        tasks = [[f"{task.due_at.astimezone(zone):%d.%m.%Y %H:%M}", f"{task.description} ({task.assignee.full_name})"]
                 for task in activity_policies.visible_tasks(user).filter(client=client)
                 .exclude(state=Task.State.CLOSED).select_related("assignee").order_by("due_at", "id")[:OPEN_TASKS]]
        sections = [
            Section(_("Client"), [[str(label), str(value or "")] for label, value in shown if value]),
            Section(_("Contact persons"), contacts),
            Section(_("Latest events"), events),
            Section(_("Open tasks"), tasks),
        ]
        columns = [Column("what", _("What"), TEXT, width=30), Column("about", _("Details"), TEXT, width=70)]
        result = self.result(user, form, columns=columns, sections=sections)
        result.title = f"{self.title}: {client.short_name}"
        result.parameters = []
        return result


REPORTS = [Birthdays(), ClientSummary()]
