"""The task journal (TSK-07): the user's tasks (set or given), or every employee's to a holder of «журналы всех
сотрудников», within client access; Enter opens a task, Ctrl+Enter its client's card when the user may open it. The
«Задачи на контроле» report (TSK-09) reads the same selectors through the report framework."""

from __future__ import annotations

from html import escape
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kontora.accounts.policies import user_of
from kontora.activity import policies
from kontora.activity.forms.journal import TaskFilterForm
from kontora.activity.models import Task
from kontora.activity.selectors import journal as selectors
from kontora.core.htmx import is_htmx
from kontora.core.ui.links import IdLink
from kontora.core.ui.pager import AFTER, BEFORE

PAGE = 50


def _kept(request: HttpRequest) -> dict[str, str]:
    """The filter as asked, for the "show more" link."""
    return {name: str(value) for name, value in request.GET.items() if name not in (AFTER, BEFORE) and value}


ROW = (
    '<tr data-row data-id="{id}" data-href="{href}"{client_href} class="{classes}" data-testid="task-row"{overdue}>'
    '<td class="text-nowrap"><a href="{href}" data-testid="task-link">{starts}</a></td>'
    '<td class="text-nowrap">{due}{badge}</td><td>{importance}</td><td>{state}</td>'
    '<td data-testid="task-client">{client}</td><td class="k-pre-wrap">{description}</td>'
    "<td>{author}</td><td>{assignee}</td></tr>"
)
MOMENT = "%d.%m.%Y %H:%M"


def _cut(text: str, length: int = 200) -> str:
    """Truncator(text).chars(length) for plain text: at most `length` characters, the last an ellipsis."""
    return text if len(text) <= length else f"{text[:length - 1]}…"


def _rows(page: selectors.TaskPage) -> list[SafeString]:
    """The page's <tr>s, formatted here rather than by the template engine (fifty rows of ten cells were two thirds
    of the journal's time), with `str.format` over values escaped here: format_html's escaping of each argument was
    a third of the rest. What is not escaped is an id, a path reversed here, or a fixed piece of markup."""
    task_link, card_link = IdLink("activity:task"), IdLink("clients:card")
    overdue_attr = f' data-overdue title="{escape(_("Overdue"))}"'
    badge = f' <span class="badge text-bg-danger" data-testid="task-overdue">{escape(_("overdue"))}</span>'
    unavailable = f'<span class="text-body-secondary">{escape(_("client unavailable"))}</span>'
    importances = {value: escape(str(label)) for value, label in Task.Importance.choices}
    states = {value: escape(str(label)) for value, label in Task.State.choices}
    zone, now = timezone.get_current_timezone(), timezone.now()
    rows = []
    for task in page.rows:
        href = task_link(task.pk)
        overdue = task.overdue(now)
        client_href = card_link(task.client_id) if task.client_id is not None and task.client_open else ""
        if client_href:
            client = f'<a href="{client_href}">{escape(task.about)}</a>'
        else:
            client = unavailable if task.client_id is not None else escape(task.about)
        rows.append(ROW.format(
            id=int(task.pk), href=href, classes=("k-task-overdue" if overdue else "")
            + ("" if task.is_active else " text-body-secondary"),
            client_href=f' data-client-href="{client_href}"' if client_href else "",
            overdue=overdue_attr if overdue else "",
            starts=task.starts_at.astimezone(zone).strftime(MOMENT), due=task.due_at.astimezone(zone).strftime(MOMENT),
            badge=badge if overdue else "", importance=importances.get(task.importance, ""),
            state=states.get(task.state, ""), client=client, description=escape(_cut(task.description)),
            author=escape(task.author_name), assignee=escape(task.assignee_name),
        ))
    return [mark_safe(row) for row in rows]  # noqa: S308 - every value escaped above, or an id, a path, fixed markup


@login_required
@require_GET
def task_journal(request: HttpRequest) -> HttpResponse:
    """«Журнал задач»: the latest start first, 50 at a time ("show more" seeks on)."""
    user = user_of(request)
    form = TaskFilterForm(request.GET or None, user=user)
    choice = form.choice()
    page = selectors.journal_page(user, choice, cursor=request.GET, size=PAGE)
    base = reverse("activity:task_journal")
    context: dict[str, Any] = {"rows": _rows(page), "next_url": page.pager.link(base, AFTER, **_kept(request))}
    if is_htmx(request) and request.GET.get(AFTER):
        return render(request, "activity/partials/task_rows.html", context)
    client = form.cleaned_data.get("client") if choice.client_id is not None else None
    context.update({
        "form": form, "client": client, "all_employees": policies.sees_all_employees(user), "base": base,
        "hidden": page.hidden, "hidden_cap": selectors.HIDDEN_CAP,
    })
    return render(request, "activity/task_journal.html", context)
