"""Who reads and changes a sale or a work (SAL-01, SAL-02): read by all who open its client, changed by its author
or an administrator on a client he may edit; nothing of a client the user cannot open."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from django.utils import timezone

from kontora.accounts.models import UserRight
from kontora.accounts.policies import forget
from kontora.billing import policies
from kontora.clients.models import ClientGrant
from kontora.core.errors import FieldRefused
from kontora.core.models import UserParameters
from tests.accounts.factories import UserFactory
from tests.billing.factories import SaleFactory, WorkFactory
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db

PAST = "У вас нет права изменять данные прошедших дат: выберите сегодняшнюю или более позднюю дату."


@pytest.mark.feature("SAL-01", "SAL-02")
@pytest.mark.parametrize(("factory", "policy"), [(SaleFactory, policies.sales), (WorkFactory, policies.works)])
def test_the_author_changes_a_reader_reads_a_stranger_gets_404(manager_user: Any, admin_user: Any, factory: Any,
                                                               policy: Any) -> None:
    # given the manager's row on his client, a colleague granted to open the client read-only, a stranger of own
    # clients only
    client = ClientFactory(curator=manager_user)
    row = factory(client=client, author=manager_user)
    reader = UserFactory(client_scope="own")
    ClientGrant.objects.create(client=client, user=reader, can_edit=False)
    stranger = UserFactory(client_scope="own")
    # then the author and an administrator change it, the reader reads it only, the stranger never sees it
    assert policy.can(manager_user, "change", row) and policy.can(admin_user, "delete", row)
    assert policy.can(reader, "view", row) and not policy.can(reader, "change", row)
    assert not policy.can(stranger, "view", row) and not policy.visible(stranger).exists()
    with pytest.raises(Http404):
        policy.get(stranger, row.pk)
    # an administrator who may not edit the client (a private client of another curator) changes nothing
    private = ClientFactory(curator=manager_user, private=True)
    hidden = factory(client=private, author=manager_user)
    assert not policy.can(admin_user, "change", hidden) and not policy.visible(admin_user).filter(
        pk=hidden.pk).exists()


@pytest.mark.feature("INV-02", "SAL-01")
def test_the_past_date_rule_counts_the_users_own_today(manager_user: Any) -> None:
    # given a manager on Kiritimati (UTC+14) while the server's zone is Pago Pago (UTC−11): his day is always ahead
    UserParameters.objects.create(user=manager_user, time_zone="Pacific/Kiritimati")
    his_today = timezone.now().astimezone(ZoneInfo("Pacific/Kiritimati")).date()
    with timezone.override(ZoneInfo("Pacific/Pago_Pago")):
        server_today = timezone.localdate()
        assert server_today < his_today
        # then the server's today is his past: refused next to the date, for every row the rule serves
        assert policies.can_date(manager_user, his_today)
        assert not policies.can_date(manager_user, server_today)
        with pytest.raises(FieldRefused) as refused:
            policies.refuse_past_date(manager_user, his_today, server_today)
        assert refused.value.field == "date"
        assert refused.value.message_dict == {"date": [PAST]}
        # and with the right to change past-dated data it is his to write
        UserRight.objects.create(user=manager_user, code="change_past_data")
        forget(manager_user)
        policies.refuse_past_date(manager_user, his_today, server_today)
