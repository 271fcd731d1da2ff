"""The client rules (clients.access): one standing per client and request, the record policies that ask it, the
registry's statements keyed by the visibility shape, and the answer explained for administrators (ACL-06)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.utils import translation

from kontora.accounts.models import ClientScope
from kontora.clients import access, policies
from kontora.clients.access import explain
from kontora.clients.models import ClientGrant, ContactPerson
from kontora.clients.selectors.registry import registry_page
from kontora.clients.services.card import client_set_access
from kontora.core import prepared
from kontora.core.permissions import decisions
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory


@pytest.mark.feature("ACL-02", "ACL-06")
def test_explain_names_curator_specialist_and_grants(staff: dict[str, Any]) -> None:
    # given a manager who curates one client, is the specialist of another and has view-only access to a third
    user = UserFactory(login="subject", client_scope=ClientScope.OWN)
    curated = ClientFactory(short_name="Альфа", curator=user)
    specialised = ClientFactory(short_name="Бета", curator=staff["other"], specialist=user)
    granted = ClientFactory(short_name="Гамма", curator=staff["other"])
    ClientGrant.objects.create(client=granted, user=user, can_edit=False)
    disabled = UserFactory(login="off", disabled=True)

    # when the reasons are asked for (the pages run in Russian; so does this check)
    with translation.override("ru"):
        reasons = [explain(user, c)[1:] for c in (curated, specialised, granted)] + [explain(disabled, curated)]

    # then each relation is named
    yes = "Видит клиента в списках: да. Открывает карточку: да."
    assert reasons == [
        ["Пользователь — куратор клиента.", yes],
        ["Пользователь — специалист клиента.", yes],
        ["Доступ выдан на вкладке «Доступ» карточки (только просмотр).", yes],
        ["Учётная запись отключена или сотрудник уволен: доступа нет никакого."],
    ]


# --- one standing per client and request; the policies ask it ------------------------------------------------


@pytest.mark.feature("ACL-02")
def test_a_request_asks_for_a_clients_standing_once(staff: dict[str, Any], django_assert_num_queries: Any) -> None:
    # given a user granted view-only access to a client (the grant needs a query to be known)
    user = UserFactory(login="subject", client_scope=ClientScope.OWN)
    client = ClientFactory(short_name="Альфа", curator=staff["other"])
    ClientGrant.objects.create(client=client, user=user, can_edit=False)
    # when a request asks the card's policies everything its pages ask
    with decisions(), django_assert_num_queries(1):
        answers = [policies.clients.can(user, "view", client), policies.clients.can(user, "change", client),
                   policies.contacts.can(user, "add", client), policies.bank_accounts.can(user, "change", client),
                   policies.files.can(user, "view", client), policies.history.can(user, "view", client)]
    # then one query answered all, the same as the rules each time
    assert answers == [True, False, False, False, True, True]


@pytest.mark.feature("ACL-02")
def test_the_card_read_with_its_standing_needs_no_further_check(curator: Any, django_assert_num_queries: Any) -> None:
    client = ClientFactory(short_name="Альфа", curator=curator)
    with decisions(), django_assert_num_queries(1):
        assert policies.clients.get(curator, client.pk) == client
        assert policies.clients.can(curator, "change_main", client)
        assert policies.contacts.can(curator, "change", client)


@pytest.mark.feature("ACL-02")
def test_a_write_in_the_request_changes_the_answer(staff: dict[str, Any]) -> None:
    # given a user granted access to a client, asked about in a request
    user = UserFactory(login="subject", client_scope=ClientScope.OWN)
    client = ClientFactory(short_name="Альфа", curator=staff["other"])
    ClientGrant.objects.create(client=client, user=user, can_edit=True)
    with decisions():
        assert policies.clients.can(user, "view", client)
        # when the curator takes the grant back in the same request
        client_set_access(acting_user=staff["other"], client=client, grants={})
        # then the next question is answered anew
        assert not policies.clients.can(user, "view", client)


@pytest.mark.feature("ACL-01", "ACL-03")
def test_a_missing_and_a_forbidden_row_are_the_same_404(staff: dict[str, Any]) -> None:
    # given a user in the "list all" mode and another curator's client with a contact
    user = UserFactory(login="subject", client_scope=ClientScope.LIST_ALL)
    client = ClientFactory(short_name="Альфа", curator=staff["other"])
    contact = ContactPerson.objects.create(client=client, full_name="Иванов")
    # when he asks for them and for ids that do not exist
    refusals = []
    for policy, pk in ((policies.clients, client.pk), (policies.clients, 10**9), (policies.contacts, contact.pk),
                       (policies.contacts, 10**9)):
        with pytest.raises(Http404) as caught:
            policy.get(user, pk)
        refusals.append((type(caught.value), str(caught.value)))
    # then every refusal is the same
    assert len(set(refusals)) == 1
    # while the client's curator gets them
    assert policies.contacts.get(staff["other"], contact.pk, client=client) == contact


@pytest.mark.feature("REG-11")
def test_the_registrys_statements_are_keyed_by_the_visibility_shape(curator: Any, admin_user: Any) -> None:
    # given the registry read by two users of different working modes
    prepared.forget()
    for user in (curator, admin_user):
        registry_page(fetched_by=user, sort="name")
    # then every compiled statement's key ends with its user's visibility shape, and both shapes were compiled
    shapes = {key[-2:] for _vendor, _alias, key in prepared._cache}
    assert shapes == {access.visibility_shape(curator), access.visibility_shape(admin_user)}
    assert access.visibility_shape(UserFactory(login="off", disabled=True)) == access.NOBODY


@pytest.mark.feature("ACL-01", "ACL-03")
@pytest.mark.django_db
def test_others_private_clients_are_exactly_what_privacy_alone_keeps_from_those_it_alone_keeps() -> None:
    # given shared clients, the user's own private client and other curators' private ones
    from kontora.clients.models import Client
    from tests.clients.support import make_private

    user = UserFactory(role="manager", client_scope=ClientScope.OPEN_ALL)
    other = UserFactory(role="manager")
    shared = [ClientFactory(curator=other), ClientFactory(curator=None)]
    own_private = make_private(ClientFactory(curator=user))
    foreign = [make_private(ClientFactory(curator=other)), make_private(ClientFactory(curator=None))]
    for scope, keeps_only_privacy in ((ClientScope.OPEN_ALL, True), (ClientScope.FULL, True),
                                      (ClientScope.LIST_ALL, False), (ClientScope.OWN, False)):
        user.client_scope = scope
        assert access.opens_every_shared(user) is keeps_only_privacy
        if not keeps_only_privacy:
            continue
        # then every client is either openable or another curator's private one, never both
        openable = set(access.openable_clients(user).values_list("pk", flat=True))
        kept = set(access.others_private_clients(user).values_list("pk", flat=True))
        assert kept == {client.pk for client in foreign}
        assert openable == {client.pk for client in [*shared, own_private]}
        assert openable | kept == set(Client.objects.values_list("pk", flat=True)) and not openable & kept
