"""Forms of our organisation: own legal entities and bank accounts (Constants, first-run wizard)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kontora.core import requisites
from kontora.core.forms.base import KontoraForm
from kontora.core.services.organisation import BankAccountData, LegalEntityData


def _text(label: Any, max_length: int, *, required: bool = False, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=forms.TextInput(attrs=attrs or None)
    )


def _take_requisites(form: KontoraForm, data: dict[str, Any], checked: requisites.Checked) -> None:
    """Valid requisites replace the typed ones in their normal form; invalid ones become errors at their fields."""
    values, errors = checked
    data.update({name: value for name, value in values.items() if name not in errors})
    form.add_errors(errors)


class LegalEntityForm(KontoraForm):
    """Requisites of one of our legal entities, as the first-run wizard asks for them."""

    layout = {
        "entity": {
            "full_name": "col-12", "short_name": "col-md-6", "inn": "col-md-3", "kpp": "col-md-3", "ogrn": "col-md-4",
            "director": "col-md-4", "chief_accountant": "col-md-4", "legal_address": "col-12",
        },
        "contacts": {"phone": "col-md-6", "email": "col-md-6"},
    }

    # Placeholders are hints, not a sample organisation: a grey name reads as one already filled in.
    full_name = _text(_("Full legal name"), 500, required=True,
                      placeholder=_("As in the charter, with the legal form in full"))
    short_name = _text(_("Short legal name"), 200, required=True, placeholder=_("With the legal form abbreviated"))
    inn = _text(_("INN"), 20, required=True, inputmode="numeric", autocomplete="off")
    kpp = _text(_("KPP"), 12, autocomplete="off")
    ogrn = _text(_("OGRN / OGRNIP"), 20, inputmode="numeric", autocomplete="off")
    legal_address = _text(_("Legal address"), 500)
    actual_same = forms.BooleanField(label=_("Same as the legal address"), required=False)
    actual_address = _text(_("Actual address"), 500)
    director = _text(_("Head of the organisation"), 200)
    chief_accountant = _text(_("Chief accountant"), 200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "inn" in data:
            _take_requisites(self, data, requisites.entity_requisites(
                inn=data["inn"], kpp=data.get("kpp", ""), ogrn=data.get("ogrn", "")
            ))
        if data.get("actual_same"):
            data["actual_address"] = data.get("legal_address", "")
        return data

    def entity_data(self) -> LegalEntityData:
        d = self.cleaned_data
        return LegalEntityData(
            full_name=d["full_name"], short_name=d["short_name"], inn=d["inn"], kpp=d.get("kpp", ""),
            ogrn=d.get("ogrn", ""), legal_address=d.get("legal_address", ""),
            actual_address=d.get("actual_address", ""), director=d.get("director", ""),
            chief_accountant=d.get("chief_accountant", ""), phone=d.get("phone", ""), email=d.get("email", ""),
        )


class ConstantsEntityForm(LegalEntityForm):
    """Constants → legal entity: the wizard's fields plus contacts."""

    phone = _text(_("Phone"), 64, autocomplete="off")
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)


BANK_FIELDS = ("bank_name", "bik", "corr_account", "account")


class BankFieldsMixin(KontoraForm):
    layout = {"bank": {"bank_name": "col-12", "bik": "col-md-3", "corr_account": "col-md-4", "account": "col-md-5"}}

    bank_name = _text(_("Bank"), 300)
    bik = _text(_("BIK"), 12, inputmode="numeric", autocomplete="off")
    corr_account = _text(_("Corr. account"), 30, inputmode="numeric", autocomplete="off")
    account = _text(_("Settlement account"), 30, inputmode="numeric", autocomplete="off")

    def _clean_bank_block(self, data: dict[str, Any]) -> None:
        if any(name in self.errors for name in ("bik", "corr_account", "account")):
            return
        _take_requisites(self, data, requisites.bank_requisites(
            bik=data.get("bik", ""), corr_account=data.get("corr_account", ""), account=data.get("account", "")
        ))

    def bank_data(self) -> BankAccountData:
        d = self.cleaned_data
        return BankAccountData(
            bank_name=d["bank_name"], bik=d["bik"], corr_account=d.get("corr_account", ""), account=d["account"]
        )


class BankAccountForm(BankFieldsMixin, KontoraForm):
    """Constants → legal entity → Bank: one settlement account."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("bank_name", "bik", "account"):
            self.fields[name].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_bank_block(data)
        return data


class SetupOrganisationForm(BankFieldsMixin, LegalEntityForm):
    """Step 1 of the first-run wizard: the organisation and, if entered, its bank account."""

    # Required only once any field of the optional bank block is filled in: checked here, but drawn without the red
    # star (not `conditional_required`), which would tell the user the whole block must be filled.
    required_with_bank = ("bank_name", "bik", "account")
    layout = {**LegalEntityForm.layout, **BankFieldsMixin.layout}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.has_bank():
            for name in self.required_with_bank:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, ValidationError(
                        _("Required when the bank account is filled in."), code="required"
                    ))
            self._clean_bank_block(data)
        return data

    def has_bank(self) -> bool:
        return any((self.cleaned_data.get(name) or "").strip() for name in BANK_FIELDS) or any(
            name in self.errors for name in BANK_FIELDS
        )


class EntityImagesForm(KontoraForm):
    """Constants → legal entity → «Печать и подписи»: the images printed «с печатью и подписью» (INV-06). The files
    are checked by the service (PNG or JPEG, size), which names the field of a refused one."""

    stamp = forms.FileField(label=_("Stamp"), required=False,
                            widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}))
    director_signature = forms.FileField(label=_("Director's signature"), required=False,
                                         widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}))
    accountant_signature = forms.FileField(label=_("Chief accountant's signature"), required=False,
                                           widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}))
    remove_stamp = forms.BooleanField(label=_("Remove"), required=False)
    remove_director_signature = forms.BooleanField(label=_("Remove"), required=False)
    remove_accountant_signature = forms.BooleanField(label=_("Remove"), required=False)

    IMAGES = ("stamp", "director_signature", "accountant_signature")

    def uploads(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.IMAGES if self.cleaned_data.get(name)}

    def removed(self) -> set[str]:
        return {name for name in self.IMAGES if self.cleaned_data.get(f"remove_{name}")}

    def rows(self) -> list[tuple[Any, Any]]:
        return [(self[name], self[f"remove_{name}"]) for name in self.IMAGES]
