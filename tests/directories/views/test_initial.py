"""The initial base (DIR-04, DIR-05): the base the first-run wizard makes has its directories filled."""

from __future__ import annotations

import pytest
from django.test import Client

from kontora.directories import models as m
from tests.accounts.support import FIRST_USER, ORGANISATION

pytestmark = pytest.mark.django_db


@pytest.mark.feature("DIR-04", "DIR-05", "SYS-05")
def test_the_base_made_by_the_first_run_wizard_has_the_initial_directories():
    # given a new base
    client = Client()
    # when the first-run wizard is completed
    client.post("/setup/", ORGANISATION)
    response = client.post("/setup/user/", FIRST_USER)
    # then
    assert response.status_code == 302
    assert m.EventType.objects.filter(name="Входящий звонок").exists()
    assert m.ClientStatus.objects.filter(name="Наш постоянный клиент").exists()
    assert m.Unit.objects.get(okei="796").name == "Штука"
    assert m.Settlement.objects.filter(name="Абакан").exists()
