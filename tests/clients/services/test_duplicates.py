"""The duplicate check as a service (CLI-16): what it tells, its record and its limit, whoever calls it."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.conf import settings

from kontora.clients.services.duplicates import duplicate_check
from kontora.core.errors import Throttled
from kontora.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import VALID_INN, make_private

CHECK = "clients.duplicates.check"


@pytest.mark.feature("CLI-16", "ACL-01", "ACL-03")
def test_the_check_tells_another_managers_client_by_its_curator_and_records_it(manager_user: Any) -> None:
    # given another manager's client, and his private one with the same phone
    ivanov = UserFactory(login="ivanov", full_name="Иванов И. И.", client_scope="full")
    foreign = ClientFactory(curator=ivanov, short_name="Чужой", inn=VALID_INN, phone="+7 495 111-22-33")
    make_private(ClientFactory(curator=ivanov, short_name="Личный", phone="+7 495 111-22-33"))
    # when an own-clients manager checks the INN and the phone
    report = duplicate_check(acting_user=manager_user, inn=VALID_INN, short_name="Новый", phone="84951112233")
    # then he is told of the one client with its curator — by INN and by phone — and of the private one nothing
    assert report.shown == []
    assert [t.message for t in report.told] == ["Клиент с таким ИНН уже есть, куратор — Иванов И. И.",
                                                "Клиент с таким телефоном уже есть, куратор — Иванов И. И."]
    # and the check's audit row names what was asked and which client he was told of
    row = AuditEvent.objects.get(event=CHECK)
    assert row.actor == manager_user and row.client_id is None
    assert row.extra == {"inn": VALID_INN, "short_name": "Новый", "phone": "84951112233", "client_id": None,
                         "told": [foreign.pk]}


@pytest.mark.feature("CLI-16")
def test_the_check_is_refused_past_the_minutes_limit_and_the_refusal_is_logged(
        manager_user: Any, caplog: Any) -> None:
    # given another manager's client, and the limit of the settings
    ClientFactory(curator=UserFactory(login="ivanov", full_name="Иванов И. И."), inn=VALID_INN)
    limit = settings.DUPLICATE_CHECKS_PER_MINUTE
    # when the manager checks its INN as many times as the limit allows
    reports = [duplicate_check(acting_user=manager_user, inn=VALID_INN) for _ in range(limit)]
    # then each told him of it (the control)
    assert all(len(report.told) == 1 for report in reports)
    # when he checks once more
    with caplog.at_level(logging.WARNING, logger="kontora.clients.services.duplicates"), \
            pytest.raises(Throttled) as refused:
        duplicate_check(acting_user=manager_user, inn=VALID_INN)
    # then the check is refused with when to ask again, logged, and no more is on record
    assert 1 <= refused.value.retry_after <= 60
    assert any("duplicate check of user manager refused" in message for message in caplog.messages)
    assert AuditEvent.objects.filter(event=CHECK, actor=manager_user).count() == limit
