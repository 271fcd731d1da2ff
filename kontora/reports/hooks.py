"""The reports: the `REPORTS` point every report definition registers into, their items of the Reports menu
(grouped as the manual groups them) and their exits. Later apps' reports come as modules of `definitions/`
registered here; the framework does not change."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from kontora.core.hooks import Point
from kontora.reports.framework.base import GROUPS, Report

REPORTS: Point[Report] = Point("reports", key=lambda report: report.slug)


def register() -> None:
    from kontora.accounts.hooks import SIGNIN_LANDINGS, SigninLanding
    from kontora.activity.policies import sees_all_employees
    from kontora.clients.hooks import CARD_ACTIONS, CardAction
    from kontora.core.hooks import EXITS, JOB_HANDLERS, LIST, MENU, OPENS, ROWS, Exit, JobHandler, MenuItem
    from kontora.reports import tasks
    from kontora.reports.definitions import activity, billing, clients, pipeline, targeting
    from kontora.reports.services import FILE_JOB

    for report in (*activity.REPORTS, *clients.REPORTS, *pipeline.REPORTS, *targeting.REPORTS, *billing.REPORTS):
        REPORTS.register(report)
    for report in REPORTS.items():
        if report.in_menu:
            MENU.register(MenuItem("reports", report.title, "reports:report", _available(report),
                                   group=GROUPS.index(report.group), order=report.order, args=(report.slug,)))

    MENU.register(MenuItem("reports", _("Open a saved report"), "reports:open", group=len(GROUPS), order=10))
    JOB_HANDLERS.register(JobHandler(FILE_JOB, tasks.report_file_run))
    # Parameters → Вход в систему (TSK-08): the overdue tasks first, before the task journal's landing.
    SIGNIN_LANDINGS.register(SigninLanding("overdue_tasks", _overdue_landing, order=10))
    CARD_ACTIONS.register(CardAction("client_summary", _("Client summary"), "reports:client_summary", order=90))
    # The summary shows the card's data of one client: to whoever opens its card, the same 404 to anyone else.
    EXITS.register(Exit("reports:client_summary", "clients.Client", OPENS, data=lambda c: {"client": c.pk}))
    EXITS.register(Exit("reports:client_summary", "clients.Client", OPENS, data=lambda c: {"client": c.pk,
                                                                                          "format": "csv"},
                        key="csv"))

    def period(obj: Any) -> dict[str, str]:
        today = datetime.date.today()
        return {"run": "1", "date_from": (today - datetime.timedelta(days=45)).isoformat(),
                "date_to": (today + datetime.timedelta(days=45)).isoformat()}

    def csv(obj: Any) -> dict[str, str]:
        return {**period(obj), "format": "csv"}

    # Every report lists only rows its user may see: its page and one of its files (the files are drawn from the
    # same result), crawled for other clients' markers as every role.
    reveals = {"event-statistics": "activity.Event", "personal-statistics": "activity.Task",
               "birthdays": "clients.ContactPerson"}
    # «События»: its first page, and one event's row found by its words, listed to those who see every employee's
    # events (the matrix's events are another curator's).
    EXITS.register(Exit("reports:report", "activity.Event", OPENS, args=_slug("events"), data=lambda e: {"run": "1"},
                        answer=LIST, once=True, key="events"))
    EXITS.register(Exit("reports:report", "activity.Event", OPENS, args=_slug("events"), data=_event_words,
                        answer=ROWS, key="events words", who=sees_all_employees))
    EXITS.register(Exit("reports:report", "activity.Event", OPENS, args=_slug("events"),
                        data=lambda e: {**_event_words(e), "format": "csv"}, answer=ROWS, key="events words csv",
                        who=sees_all_employees))
    # «Задачи на контроле»: the tasks the user set or was given (everyone's, with the right), closed ones too.
    EXITS.register(Exit("reports:report", "activity.Task", OPENS, args=_slug("tasks-under-control"),
                        data=lambda t: {"run": "1", "include_closed": "on"}, answer=LIST, once=True,
                        key="tasks-under-control"))
    for slug, model in reveals.items():
        EXITS.register(Exit("reports:report", model, OPENS, args=_slug(slug), data=period, answer=LIST, once=True,
                            key=slug))
        EXITS.register(Exit("reports:report", model, OPENS, args=_slug(slug), data=csv, answer=LIST, once=True,
                            key=f"{slug} csv"))
    # Billing's reports (issue 18): their pages and CSV, never a row of a client the user may not open.
    for slug, model, data in (("invoices-issued-paid", "billing.Invoice", period), ("debts", "billing.Invoice", _on),
                              ("sales-works", "billing.Sale", period)):
        EXITS.register(Exit("reports:report", model, OPENS, args=_slug(slug), data=data, answer=LIST, once=True,
                            key=slug))
        EXITS.register(Exit("reports:report", model, OPENS, args=_slug(slug), data=_with_csv(data), answer=LIST,
                            once=True, key=f"{slug} csv"))


def _on(obj: Any) -> dict[str, str]:
    """The receivables on a day far enough ahead that every open invoice of the world is overdue."""
    return {"run": "1", "on": (datetime.date.today() + datetime.timedelta(days=100)).isoformat()}


def _with_csv(data: Any) -> Any:
    def csv(obj: Any) -> dict[str, str]:
        return {**data(obj), "format": "csv"}

    return csv


def _overdue_landing(user: Any) -> str | None:
    """«Задачи на контроле» narrowed to the user's overdue tasks, when he asked for it and has some."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from kontora.activity.selectors.journal import has_overdue_tasks
    from kontora.core.selectors.settings import user_parameters

    if not user_parameters(user).report_overdue_at_login or not has_overdue_tasks(user):
        return None
    query = urlencode({"run": "1", "assignee": user.pk, "overdue": "on"})
    return f"{reverse('reports:report', args=('tasks-under-control',))}?{query}"


def _event_words(event: Any) -> dict[str, str]:
    """The event found by its description's first word (the matrix's card marker) over its whole day and more."""
    day = event.created_at.date()
    return {"run": "1", "words": event.description.split()[0],
            "date_from": (day - datetime.timedelta(days=1)).isoformat(),
            "date_to": (day + datetime.timedelta(days=1)).isoformat()}


def _slug(slug: str) -> Any:
    def args(obj: Any) -> dict[str, str]:
        return {"slug": slug}

    return args


def _available(report: Report) -> Any:
    def visible(user: Any, system: Any) -> bool:
        return report.available(user)

    return visible
