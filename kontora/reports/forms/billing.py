"""Parameters of billing's reports: invoices issued and paid, the receivables on a date, sales and works."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.billing.selectors.reports import ENTITY, MANAGER
from kontora.core.forms.base import DateInput, KontoraForm
from kontora.directories.models import GoodsGroup
from kontora.reports.forms.base import PeriodForm, UsersField, keep_users_for_everyone
from kontora.reports.framework.base import Scope

BOTH = "both"
SALES, WORKS = "sales", "works"


class InvoiceTurnoverForm(PeriodForm):
    layout = {"period": {"date_from": "col-6 col-md-3", "date_to": "col-6 col-md-3", "group_by": "col-md-6"},
              "who": {"users": "col-md-6"}}

    group_by = forms.ChoiceField(label=_("Group by"), initial=MANAGER, required=False, choices=[
        (MANAGER, _("Manager")), (ENTITY, _("Payee legal entity")), (BOTH, _("Manager and legal entity"))])
    users = UsersField()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        keep_users_for_everyone(self)

    def grouping(self) -> tuple[str, ...]:
        chosen = self.cleaned_data.get("group_by") or MANAGER
        return (MANAGER, ENTITY) if chosen == BOTH else (chosen,)


class DebtsForm(KontoraForm):
    """The day the receivables are told on (the ages count to it) and, for those who report on everyone, the
    managers."""

    layout = {"on": {"on": "col-6 col-md-3", "users": "col-md-6"}}
    YEARS = (1800, 2999)

    on = forms.DateField(label=_("On the date"), widget=DateInput(),
                         error_messages={"required": _("Enter the date the debts are told on.")})
    users = UsersField()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.scope = Scope.of(user)
        if not self.scope.everyone:
            del self.fields["users"]  # his own invoices only

    def clean_on(self) -> Any:
        day = self.cleaned_data.get("on")
        low, high = self.YEARS
        if day is not None and not low <= day.year <= high:
            raise ValidationError(_("Enter a date between the years %(low)s and %(high)s.")
                                  % {"low": low, "high": high}, code="range")
        return day


class SalesWorksForm(PeriodForm):
    layout = {"period": {"date_from": "col-6 col-md-3", "date_to": "col-6 col-md-3", "show": "col-md-3",
                         "goods_group": "col-md-3"},
              "who": {"users": "col-md-6"}}

    show = forms.ChoiceField(label=_("Show"), initial=BOTH, required=False, choices=[
        (BOTH, _("Sales and works")), (SALES, _("Sales only")), (WORKS, _("Works only"))])
    goods_group = forms.ModelChoiceField(queryset=GoodsGroup.objects.order_by("order", "name", "id"),
                                         required=False, label=_("Goods group"), empty_label=_("Any group"),
                                         help_text=_("Narrows the sales; works have no goods group."))
    users = UsersField()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        keep_users_for_everyone(self)
