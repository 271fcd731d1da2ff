"""Forms of the core app; `base` holds the base every Kontora form builds on."""

from kontora.core.forms.base import KontoraForm, KontoraFormMixin, KontoraModelForm
from kontora.core.forms.organisation import (
    BANK_FIELDS,
    BankAccountForm,
    BankFieldsMixin,
    ConstantsEntityForm,
    LegalEntityForm,
    SetupOrganisationForm,
)

__all__ = [
    "BANK_FIELDS",
    "BankAccountForm",
    "BankFieldsMixin",
    "ConstantsEntityForm",
    "KontoraForm",
    "KontoraFormMixin",
    "KontoraModelForm",
    "LegalEntityForm",
    "SetupOrganisationForm",
]
