"""The group processing manager's one form (GRP-01, GRP-02): a tab per kind of change, every field empty by default
meaning "leave as it is"; `plan()` turns what was chosen into the run's plan."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.activity.forms.tasks import ZonedDateTimeField
from kontora.activity.models import Task
from kontora.bulk.services.plan import CLASSIFIERS, OPERATIONAL, MailDraft, Plan, TaskPlan
from kontora.clients.forms.card import style
from kontora.clients.models import Client
from kontora.core.forms.base import DateInput, KontoraForm
from kontora.directories.models import Competitor, Direction
from kontora.messaging.services.marketing import ATTACHMENTS_MAX_BYTES, Attachment, html_clean, placeholders_check

KEEP = _("— leave as it is —")


def _users() -> Any:
    return User.objects.filter(disabled=False, dismissed=False).order_by("full_name", "id")


def _label(name: str) -> Any:
    return capfirst(Client._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each checked as a FileField checks one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class GroupForm(KontoraForm):
    default_col = "col-12 col-md-6"
    TABS = {
        "classifiers": (*CLASSIFIERS, "directions"),
        "operational": (*OPERATIONAL, "next_contact_date", "needs_attention", "competitors"),
        "access": ("curator", "specialist", "grant_users", "grant_edit"),
        "task": ("task_set", "task_assignee", "task_importance", "task_report", "task_description",
                 "task_starts_at", "task_due_at", "task_spread", "task_duration"),
        "email": ("mail_send", "mail_subject", "mail_text", "mail_html", "mail_files", "mail_individual"),
        "sms": ("sms_send", "sms_text"),
    }
    layout = {"sms": {"sms_text": "col-12"},
              "email": {name: "col-12" for name in ("mail_subject", "mail_text", "mail_html", "mail_files",
                                                    "mail_individual")}}

    take = forms.ChoiceField(choices=[("marked", _("marked clients")), ("filter", _("the registry's selection"))],
                               widget=forms.HiddenInput)
    needs_attention = forms.ChoiceField(
        label=_("Requires special attention"), required=False,
        choices=[("", KEEP), ("yes", _("Yes")), ("no", _("No"))])
    next_contact_date = forms.DateField(label=_("Next contact date"), required=False, widget=DateInput)
    directions = forms.ModelMultipleChoiceField(
        Direction.objects.filter(is_active=True), label=_("Add directions"), required=False)
    competitors = forms.ModelMultipleChoiceField(
        Competitor.objects.filter(is_active=True), label=_("Add competitors present"), required=False)
    curator = forms.ModelChoiceField(_users(), label=_("Curator"), required=False, empty_label=KEEP)
    specialist = forms.ModelChoiceField(_users(), label=_("Specialist"), required=False, empty_label=KEEP)
    grant_users = forms.ModelMultipleChoiceField(_users(), label=_("Give access to"), required=False)
    grant_edit = forms.BooleanField(label=_("with the right to edit"), required=False)
    task_set = forms.BooleanField(label=_("Assign a task"), required=False)
    task_assignee = forms.ModelChoiceField(_users(), label=_("Assignee"), required=False)
    task_importance = forms.ChoiceField(label=_("Importance"), choices=Task.Importance.choices,
                                        initial=Task.Importance.NORMAL, required=False)
    task_report = forms.BooleanField(label=_("Requires a report on completion"), required=False)
    task_description = forms.CharField(label=_("Task"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    task_spread = forms.BooleanField(label=_("Spread over time"), required=False)
    task_duration = forms.IntegerField(label=_("Duration of each task, minutes"), min_value=1, max_value=24 * 60,
                                       initial=30, required=False)

    mail_send = forms.BooleanField(label=_("Send e-mail"), required=False)
    mail_subject = forms.CharField(label=_("Subject"), max_length=500, required=False)
    mail_text = forms.CharField(label=_("Letter text"), required=False, strip=False,
                                widget=forms.Textarea(attrs={"rows": 6}))
    mail_html = forms.CharField(
        label=_("The letter as HTML (optional)"), required=False, strip=False,
        # an editor with a toolbar where scripts run (behaviours/html-editor.js; the toolbar in bulk/manager.html)
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "data-k-html-editor": "k-bulk-mail-editor"}),
        help_text=_("Sent beside the plain text; scripts, event handlers and javascript: links are removed."))
    mail_files = MultipleFileField(label=_("Attachments"), required=False)
    mail_individual = forms.BooleanField(
        label=_("Individual letter to each recipient"), required=False,
        help_text=_("Placeholders filled in for each recipient: {клиент}, {контакт} (the contact's name and "
                    "patronymic), {куратор}, {организация}."))

    sms_send = forms.BooleanField(label=_("Send SMS"), required=False)
    sms_text = forms.CharField(
        label=_("Message text"), required=False, widget=forms.Textarea(attrs={
            "rows": 4, "data-k-sms-count": "k-bulk-sms-count"}),
        help_text=_("Placeholders filled in for each recipient: {клиент}, {контакт}, {куратор}, {организация}."))

    def __init__(self, *args: Any, zone: datetime.tzinfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, model in {**CLASSIFIERS, **OPERATIONAL}.items():
            self.fields[name] = forms.ModelChoiceField(
                model._default_manager.filter(is_active=True), label=_label(name), required=False, empty_label=KEEP)
        self.fields["task_starts_at"] = ZonedDateTimeField(label=_("Start"), required=False, zone=zone)
        self.fields["task_due_at"] = ZonedDateTimeField(label=_("Due"), required=False, zone=zone)
        self.order_fields([name for names in self.TABS.values() for name in names])
        style(self)  # the fields added here

    def tab(self, code: str) -> list[Any]:
        return [self[name] for name in self.TABS[code]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("task_set"):
            required = {"task_assignee": _("Choose the assignee."), "task_description": _("Describe the task."),
                        "task_starts_at": _("Enter the start date and time."),
                        "task_due_at": _("Enter the due date and time.")}
            for name, message in required.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
            if data.get("task_spread") and not data.get("task_duration"):
                self.add_error("task_duration", _("Enter the duration of each task."))
            starts, due = data.get("task_starts_at"), data.get("task_due_at")
            if starts and due and due < starts:
                self.add_error("task_due_at", _("The due time cannot be earlier than the start."))
        if data.get("mail_send"):
            for name, value in (("mail_subject", data.get("mail_subject") or ""),
                                ("mail_text", data.get("mail_text") or ""), ("mail_html", data.get("mail_html") or "")):
                for problem in placeholders_check(value, individual=bool(data.get("mail_individual"))):
                    self.add_error(name, problem)
            if not (data.get("mail_subject") or "").strip() and "mail_subject" not in self.errors:
                self.add_error("mail_subject", _("Enter the subject."))
            if not ((data.get("mail_text") or "").strip() or html_clean(data.get("mail_html") or "")) \
                    and "mail_text" not in self.errors:
                self.add_error("mail_text", _("Write the letter's text."))
            size = sum(item.size for item in data.get("mail_files") or ())
            if size > ATTACHMENTS_MAX_BYTES:
                self.add_error("mail_files", _("The attachments take %(size)s; together they may take at most "
                                               "%(limit)s.") % {"size": filesizeformat(size),
                                                                "limit": filesizeformat(ATTACHMENTS_MAX_BYTES)})
        if data.get("sms_send"):
            text = (data.get("sms_text") or "").strip()
            problems = placeholders_check(text, individual=True) if text else [str(_("Write the message's text."))]
            for problem in problems:
                self.add_error("sms_text", problem)
        if data.get("grant_edit") and not data.get("grant_users"):
            self.add_error("grant_users", _("Choose whom to give access to."))
        return data

    def plan(self) -> Plan:
        data = self.cleaned_data
        values: dict[str, Any] = {name: data[name] for name in (*CLASSIFIERS, *OPERATIONAL, "curator", "specialist")
                                  if data.get(name) is not None}
        if data.get("next_contact_date"):
            values["next_contact_date"] = data["next_contact_date"]
        if data.get("needs_attention"):
            values["needs_attention"] = data["needs_attention"] == "yes"
        task = None
        if data.get("task_set"):
            task = TaskPlan(
                assignee=data["task_assignee"], importance=data.get("task_importance") or Task.Importance.NORMAL,
                requires_report=bool(data.get("task_report")), description=data["task_description"].strip(),
                starts_at=data["task_starts_at"], due_at=data["task_due_at"],
                duration_minutes=int(data.get("task_duration") or 0) if data.get("task_spread") else 0,
                spread=bool(data.get("task_spread")))
        return Plan(values=values, directions=tuple(data.get("directions") or ()),
                    competitors=tuple(data.get("competitors") or ()),
                    grants={user: bool(data.get("grant_edit")) for user in data.get("grant_users") or ()}, task=task)

    def mail(self) -> MailDraft | None:
        """The letter the E-mail tab asks for, with its files read (None when it is not to be sent)."""
        data = self.cleaned_data
        if not data.get("mail_send"):
            return None
        return MailDraft(
            subject=data["mail_subject"].strip(), text=data.get("mail_text") or "", html=data.get("mail_html") or "",
            individual=bool(data.get("mail_individual")),
            attachments=tuple(Attachment(name=item.name, content_type=item.content_type or "application/octet-stream",
                                         data=item.read()) for item in data.get("mail_files") or ()))

    def sms(self) -> str | None:
        """The SMS the SMS tab asks for (None when none is to be sent)."""
        return self.cleaned_data["sms_text"].strip() if self.cleaned_data.get("sms_send") else None
