"""The bank statement pages (INV-04): the upload with the user's earlier statements, one statement's lines with
their matches, a line's decision (htmx) and «Провести».

A statement is its importer's (an administrator reads any): it holds clients' money data. A line's client and
invoice show only while the reader may open the client."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.billing import policies
from kontora.billing.forms.statement import StatementLineForm, StatementUploadForm
from kontora.billing.models import StatementImport
from kontora.billing.selectors import statement_lines as selectors
from kontora.billing.services import statement as services
from kontora.core.errors import Refused, form_error
from kontora.core.htmx import is_htmx


@login_required
@require_http_methods(["GET", "POST"])
def statement_new(request: HttpRequest) -> HttpResponse:
    """«Загрузить банковскую выписку»: the upload, and the user's statements so far."""
    user = user_of(request)
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            loaded = services.statement_load(acting_user=user, data=upload.read(), filename=upload.name)
        except Refused as refused:
            form_error(form, refused)
        else:
            return redirect("billing:statement", pk=loaded.pk)
    return render(request, "billing/statement/new.html", {
        "form": form, "statements": selectors.statement_list(fetched_by=user), "user_id": user.pk,
    }, status=400 if request.method == "POST" else 200)


def _context(user: Any, statement: StatementImport) -> dict[str, Any]:
    rows, totals = selectors.statement_rows(fetched_by=user, statement=statement)
    return {"statement": statement, "rows": rows, "totals": totals, "own": statement.author_id == user.pk,
            "form": StatementLineForm()}


@login_required
@require_GET
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    """A loaded statement: its lines with what each pays, the choices of the undecided ones, the totals, «Провести»."""
    user = user_of(request)
    found = selectors.access_statement(user, pk)
    return render(request, "billing/statement/statement.html", _context(user, found))


@login_required
@require_POST
def statement_line(request: HttpRequest, pk: int) -> HttpResponse:
    """A line's decision (htmx): the lines and the totals drawn again, a refusal next to the line."""
    user = user_of(request)
    line = policies.statement_lines.get(user, pk)
    if not policies.statement_lines.can(user, "change", line):
        raise PermissionDenied
    form = StatementLineForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.statement_line_set(acting_user=user, line_id=line.pk, choice=form.cleaned_data["choice"],
                                        typed=form.cleaned_data["typed"])
        except Refused as refused:
            error = refused.message
    else:
        error = _("Choose the invoice or the client the payment is for.")
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect("billing:statement", pk=line.statement_id)
    context = _context(user, selectors.access_statement(user, line.statement_id))
    context.update(error=error, error_line=line.pk)
    return render(request, "billing/statement/partials/lines.html", context)


@login_required
@require_POST
def statement_record(request: HttpRequest, pk: int) -> HttpResponse:
    """«Провести»: every confirmed line recorded as a payment at once; what was recorded and what is left told."""
    user = user_of(request)
    found = selectors.access_statement(user, pk)
    try:
        done = services.statement_record(acting_user=user, statement_id=found.pk)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        text = _("Recorded: %(recorded)d payments. Left for you: %(left)d lines.") % {
            "recorded": done.recorded, "left": done.left}
        if done.duplicates:
            text += " " + _("Recorded meanwhile, skipped: %(count)d.") % {"count": done.duplicates}
        messages.success(request, text)
    return redirect(reverse("billing:statement", args=[found.pk]))
