"""The main window: toolbar, Assistant (calendar), working summary, Informer; the keyboard shortcut list."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS_ABBR
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kontora.core.errors import Refused, error_response
from kontora.core.htmx import is_htmx
from kontora.core.permissions import actor_of
from kontora.core.selectors import informer
from kontora.core.selectors import main_window as selectors
from kontora.core.selectors.calendar import working_days
from kontora.core.selectors.organisation import default_legal_entity
from kontora.core.selectors.settings import user_parameters
from kontora.core.services import settings as settings_services

# The one list of keyboard shortcuts: the Help page and the "?" dialog both render it; behaviours/keys.js
# implements it.
SHORTCUTS: list[tuple[str | Promise, str | Promise]] = [
    ("Ins", gettext_lazy("Add a new record to the current list")),
    ("Enter", gettext_lazy("Open the row under the cursor")),
    ("↑ ↓", gettext_lazy("Move the cursor over the rows of a list")),
    ("PgUp PgDn", gettext_lazy("Move the cursor by a screenful; more rows load as it reaches the edge")),
    (gettext_lazy("Space"), gettext_lazy("Mark or unmark the row under the cursor for group processing")),
    ("Ctrl+F", gettext_lazy("Find a record")),
    ("Shift+F", gettext_lazy("Extended search")),
    ("Ctrl+Shift+F", gettext_lazy("Open the Flexi-filter of the client registry")),
    ("F2", gettext_lazy("Rename or edit the selected item; in the client registry, open the card")),
    ("Ctrl+I", gettext_lazy("Show information about the selected item")),
    ("Ctrl+Enter", gettext_lazy("Open the client of the selected row; in a form — confirm it (OK)")),
    ("Esc", gettext_lazy("Close the dialog or menu; clear the cursor from the list")),
    ("F1", gettext_lazy("Open the user guide at the section about this page")),
    ("?", gettext_lazy("Show this list of keyboard shortcuts")),
]


# The years the month grid can draw: a month's grid runs into the weeks around it, and Python's dates end with 9999.
YEARS = range(1, 9999)


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _parse_month(value: str) -> date | None:
    """The first day of ?month=YYYY-MM within `YEARS`; None for anything else (December 9999 gave a 500, F9)."""
    parts = value.split("-")
    if len(parts) != 2 or not all(part.isascii() and part.isdigit() and len(part) <= 4 for part in parts):
        return None
    year, month = int(parts[0]), int(parts[1])
    return date(year, month, 1) if year in YEARS and 1 <= month <= 12 else None


def _shift_month(first: date, delta: int) -> date | None:
    index = first.year * 12 + first.month - 1 + delta
    year, month = divmod(index, 12)
    if year not in YEARS:
        return None
    return date(year, month + 1, 1)


def _calendar_context(params: Any) -> dict[str, Any]:
    """The month grid for ?month=YYYY-MM and/or ?date=YYYY-MM-DD; wrong input is reported next to "Go to date"."""
    today = timezone.localdate()
    error = ""
    selected: date | None = None
    raw_date = (params.get("date") or "").strip()
    if raw_date:
        selected = _parse_date(raw_date)
        if selected is None:
            error = _("Enter a date as DD.MM.YYYY.")
        elif selected.year not in YEARS:
            selected, error = None, _("The calendar shows the years 1 to 9998.")
    month = _parse_month(params.get("month") or "")
    if month is None:
        month = (selected or today).replace(day=1)
    base = {"date": selected.isoformat()} if selected else {}

    def url(first: date | None) -> str:
        if first is None:
            return ""
        return f"{reverse('core:calendar')}?{urlencode({**base, 'month': f'{first:%Y-%m}'})}"

    grid = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    # Days off as the office calendar has them: its holidays red like weekends, a worked Saturday not.
    worked = working_days(grid[0][0], grid[-1][-1])
    weeks = [
        [
            {
                "date": day, "iso": day.isoformat(), "in_month": day.month == month.month,
                "today": day == today, "selected": day == selected, "weekend": not worked[day],
            }
            for day in week
        ]
        for week in grid
    ]
    return {
        "cal_title": f"{MONTHS[month.month]} {month.year}",
        "cal_weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
        "cal_weeks": weeks,
        "cal_prev_url": url(_shift_month(month, -1)),
        "cal_next_url": url(_shift_month(month, 1)),
        "cal_today": today,
        "cal_selected": selected,
        "cal_input": raw_date if error else (selected or today).isoformat(),
        "cal_error": error,
    }


def _informer_context(request: HttpRequest, index: int) -> dict[str, Any]:
    shown = informer.tips_for(request.user)
    return {
        "tip_index": index,
        "tip_text": informer.tip_text(index, get_language() or "ru"),
        "tip_number": informer.position(request.session, shown),
        "tip_count": len(shown),
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    params = user_parameters(user)
    show_informer = params.informer_at_start
    # A new tip greets the user each time the main window opens with the informer shown.
    shown = informer.tips_for(user)
    tip = informer.next_tip(request.session, shown) if show_informer else informer.current_tip(request.session, shown)
    context = {
        "today": timezone.localdate(),
        "legal_entity": default_legal_entity(),
        "show_informer": show_informer,
        "assistant_open": params.assistant_open,
        "informer_at_start": params.informer_at_start,
        **_calendar_context(request.GET),
        **_informer_context(request, tip),
        "assistant_monitors": selectors.assistant_monitors(),
        "informer_notices": selectors.informer_notices(user),
    }
    centre = selectors.main_window_centre()
    if centre is not None:
        context.update(centre.context(request), centre_template=centre.template, centre_toolbar=centre.toolbar)
    return render(request, "core/home.html", context)


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    if not is_htmx(request):
        # Without scripts the "Go to date" form lands here: show the whole main window at that date.
        query = request.GET.urlencode()
        return redirect(f"{reverse('core:home')}{'?' + query if query else ''}")
    return render(request, "core/partials/calendar.html", _calendar_context(request.GET))


@login_required
@require_POST
def informer_next(request: HttpRequest) -> HttpResponse:
    tip = informer.next_tip(request.session, informer.tips_for(request.user))
    return render(request, "core/partials/informer.html", _informer_context(request, tip))


@login_required
@require_POST
def informer_at_start(request: HttpRequest) -> HttpResponse:
    # The box reads "Don't show at start": checked means the informer stays closed next time.
    hide = request.POST.get("hide") == "on"
    settings_services.user_parameters_update(acting_user=actor_of(request), informer_at_start=not hide)
    if is_htmx(request):
        return HttpResponse(format_html('<span class="text-success">{}</span>', _("Saved.")))
    return redirect("core:home")


@login_required
@require_POST
def panel(request: HttpRequest) -> HttpResponse:
    """A side panel of the main window shown or hidden (behaviours/panels.js): kept for the user's next pages."""
    try:
        settings_services.user_panel_set(acting_user=actor_of(request), panel=request.POST.get("panel", ""),
                                         shown=request.POST.get("open") == "1")
    except Refused as exc:
        return error_response(exc)
    if is_htmx(request):
        return HttpResponse(status=204)
    return redirect("core:home")


@login_required
@require_GET
def shortcuts(request: HttpRequest) -> HttpResponse:
    return render(request, "core/shortcuts.html", {"shortcuts": SHORTCUTS})
