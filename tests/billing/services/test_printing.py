"""«Отправить по e-mail» (INV-06) as a service: refused for a cancelled invoice, for a user who may not open its
client and without a mailbox — each before anything is queued or drawn."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.billing.services.invoices import invoice_cancel
from kontora.billing.services.printing import invoice_send
from kontora.core.errors import NotAllowed, Refused
from kontora.messaging.models import Letter
from tests.accounts.factories import UserFactory
from tests.billing.factories import issued_invoice
from tests.clients.factories import ClientFactory
from tests.messaging.support import mailbox_of

pytestmark = pytest.mark.django_db


def _send(user: Any, invoice: Any) -> Letter:
    return invoice_send(acting_user=user, invoice_id=invoice.pk, recipient="petr@romashka.test", subject="Счёт",
                        text="Во вложении.")


@pytest.mark.feature("INV-06")
def test_a_cancelled_invoice_or_a_strangers_client_is_refused(our_entity: Any, admin_user: Any, manager_user: Any,
                                                              smtp_starttls: Any, settings: Any,
                                                              tmp_path: Any) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    invoice = issued_invoice(manager_user, ClientFactory(curator=manager_user), "100.00")
    stranger = UserFactory(login="other", role="manager", client_scope="own")
    for user in (manager_user, stranger):
        mailbox_of(user, smtp_starttls)
    with pytest.raises(NotAllowed):
        _send(stranger, invoice)
    assert not Letter.objects.exists()
    # the positive control: its curator sends it
    assert _send(manager_user, invoice).client_id == invoice.client_id
    invoice_cancel(acting_user=admin_user, invoice_id=invoice.pk, reason="ошибка")
    with pytest.raises(Refused, match="Аннулированный счёт не отправляется"):
        _send(manager_user, invoice)
    assert Letter.objects.count() == 1


@pytest.mark.feature("INV-06")
def test_without_a_mailbox_the_user_is_told_where_to_set_it_up(our_entity: Any, manager_user: Any) -> None:
    invoice = issued_invoice(manager_user, ClientFactory(curator=manager_user), "100.00")
    with pytest.raises(Refused, match="Настройки → Параметры → «Почта»"):
        _send(manager_user, invoice)
    assert not Letter.objects.exists()
