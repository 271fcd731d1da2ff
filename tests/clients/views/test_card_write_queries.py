"""What a write of the card reads (issue 12: creating a client, saving a changed card): only the forms the request
sent are built, the chosen items posted back unchanged are not looked up one by one, the users' list is read only
when it is drawn — so the queries of a save do not grow with the card's other rows, the users or the items."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.models import Client, ClientMailing, ClientRegistration, ClientSecurity, ClientShipping
from kontora.core.services.settings import system_settings_update
from kontora.core.text import search_key
from kontora.directories.models import Competitor, Direction
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.directories.factories import PriorityFactory, RegionFactory, SettlementFactory
from tests.support.forms import form_data
from tests.support.http import html, signed_in
from tests.support.queries import count_queries

# The rows of the parts a save of the General tab does not send, and the items its pickers show.
OTHER_PARTS = ("clients_clientregistration", "clients_clientmailing", "clients_clientsecurity",
               "clients_clientshipping", "directories_competitor")
PICKED = ("directories_clientstatus", "directories_companysize", "directories_informationsource",
          "directories_priority", "directories_activitytype", "directories_settlement")
USERS_LIST = '"accounts_user"."full_name" AS "full_name"'  # the curator and specialist lists' one query


def _chosen() -> dict[str, Any]:
    region = RegionFactory()
    chosen: dict[str, Any] = {"region": region, "settlement": SettlementFactory(region=region),
                              "priority": PriorityFactory()}
    for name in ("status", "size", "source", "activity"):
        model = Client._meta.get_field(name).related_model
        chosen[name] = model._default_manager.create(  # type: ignore[union-attr]
            name=f"Пункт {name}", name_key=search_key(f"Пункт {name}"))
    return chosen


@pytest.fixture
def curated(curator: Any, admin_user: Any) -> Client:
    """A company with every part the card may show and an item chosen in every picker of its General tab."""
    system_settings_update(acting_user=admin_user, security_tab_enabled=True, shipping_tab_enabled=True)
    Direction.objects.create(name="Опт")
    Competitor.objects.create(name="Лютик")
    client: Client = ClientFactory(curator=curator, short_name="Ромашка", phone="+7 (495) 111-22-33",
                                   specialist=UserFactory(), **_chosen())
    return client


def _grow(client: Client, number: int) -> None:
    """More rows around the card: the other parts' rows (once), users to choose, directions and competitors."""
    if number == 1:
        ClientRegistration.objects.create(client=client, okved="62.01")
        ClientMailing.objects.create(client=client, exclude_sms=True)
        ClientSecurity.objects.create(client=client, finances="Стабильно")
        ClientShipping.objects.create(client=client, consignee="Склад")
    UserFactory()
    Direction.objects.create(name=f"Направление {number}")
    Competitor.objects.create(name=f"Конкурент {number}")


def _sql(queries: Any) -> str:
    return "\n".join(query["sql"] for query in queries.captured_queries)


@pytest.mark.feature("CLI-01", "CLI-14")
def test_saving_a_changed_phone_reads_no_other_part_nor_any_picked_item_whatever_the_rows(
    curator: Any, curated: Client,
) -> None:
    # given the card's form as its page offers it (the General tab; no other tab shown)
    http = signed_in(curator)

    def save(phone: str) -> Any:
        posted = form_data(html(http.get(f"/clients/{curated.pk}/")), "client-card-form")
        posted.setlist("apply", ["1"])
        posted.setlist("save_anyway", ["on"])
        posted.setlist("phone", [phone])
        with count_queries() as queries:
            assert http.post(f"/clients/{curated.pk}/", posted).status_code == 302
        return queries

    # when the curator saves a changed phone
    one = save("+7 (495) 111-22-44")
    # then it is saved, and neither the parts he did not send nor the items he left as they were are read
    curated.refresh_from_db()
    assert curated.phone == "+7 (495) 111-22-44"
    sql = _sql(one)
    assert not [table for table in OTHER_PARTS + PICKED if f'FROM "{table}"' in sql], sql
    assert USERS_LIST not in sql  # a save that succeeds draws no list of users
    # nor asks whether the tabs it did not send are shown (the attributes' tab, the blocks of the settings; the
    # office's time zone comes with the user's own row, a subquery of the settings that reads no block)
    assert 'FROM "directories_attribute"' not in sql and '"core_systemsettings"."security_tab_enabled"' not in sql, sql
    # and the client's row is written only where it changed: the name search index (kept by a trigger on the
    # name keys) is not rewritten by a changed phone
    updates = [query["sql"] for query in one.captured_queries if query["sql"].startswith('UPDATE "clients_client"')]
    assert len(updates) == 1 and '"phone"' in updates[0] and '"name_key"' not in updates[0], updates
    # and with more rows in every other part, more users, directions and competitors, the save costs the same
    for number in range(1, 21):
        _grow(curated, number)
    assert len(save("+7 (495) 111-22-55")) == len(one)


@pytest.mark.feature("CLI-01", "CLI-15")
def test_creating_a_client_reads_no_users_list_nor_its_curator_whatever_the_users(curator: Any) -> None:
    # given the registration form's main fields, the curator chosen (himself)
    http = signed_in(curator)
    http.get("/clients/new/")
    region = RegionFactory()
    settlement = SettlementFactory(region=region)

    def create(name: str, phone: str) -> Any:
        with count_queries() as queries:
            response = http.post("/clients/new/", {
                "kind": "company", "short_name": name, "full_name": "", "phone": phone,
                "region": str(region.pk), "settlement": str(settlement.pk), "curator": str(curator.pk), "ok": "1"})
            assert response.status_code == 302
        return queries

    # when he registers a client
    one = create("ООО «Первая»", "+7 (495) 700-00-01")
    # then it is registered, his own record and the users' list are not read for it
    assert Client.objects.filter(short_name="ООО «Первая»", curator=curator).exists()
    assert USERS_LIST not in _sql(one)
    # and with twenty more users to choose from, another registration costs the same
    for _number in range(20):
        UserFactory()
    assert len(create("ООО «Вторая»", "+7 (495) 700-00-02")) == len(one)


@pytest.mark.feature("CLI-01")
def test_a_part_sent_without_its_snapshot_is_still_saved(curator: Any, curated: Client) -> None:
    # a positive control of telling the sent parts before building them: Operational work's fields alone
    http = signed_in(curator)
    posted = form_data(html(http.get(f"/clients/{curated.pk}/")), "client-card-form")
    posted.setlist("apply", ["1"])
    posted.setlist("next_contact_date", ["2031-05-04"])
    assert http.post(f"/clients/{curated.pk}/", posted).status_code == 302
    curated.refresh_from_db()
    assert str(curated.next_contact_date) == "2031-05-04"
