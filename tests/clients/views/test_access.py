"""Who opens and edits a client card (CLI-08, ACL-02, ACL-03)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kontora.clients.models import Client, ClientGrant
from kontora.clients.services import card as services
from kontora.core.errors import NotAllowed
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import card_post, card_submit, grant_right, make_private
from tests.support.http import html, signed_in


def _tag(page: str, name: str) -> str:
    found = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', page)
    assert found is not None, name
    return found.group(0)


def _read_only(page: str, name: str) -> bool:
    """The field is shown as its value in text, with no input to type into (core/ui/field.html)."""
    return f'data-testid="value-{name}"' in page and re.search(rf'<(?:input|textarea|select)[^>]*name="{name}"',
                                                                page) is None


@pytest.mark.feature("CLI-08")
@pytest.mark.feature("ACL-02")
@pytest.mark.parametrize(("scope", "status"), [("own", 404), ("list_all", 404), ("open_all", 200), ("full", 200)])
def test_foreign_card_opens_by_working_mode(curator: Any, scope: str, status: int) -> None:
    # given another user's client
    client = ClientFactory(curator=curator, short_name="Чужой")
    viewer = UserFactory(login="viewer", client_scope=scope)
    # when the viewer opens its card
    response = signed_in(viewer).get(f"/clients/{client.pk}/")
    # then only "open all" and "full" open it; the others get the same 404 as for a missing card
    assert response.status_code == status
    assert signed_in(viewer).get("/clients/999999/").status_code == 404


@pytest.mark.feature("CLI-08")
@pytest.mark.feature("ACL-02")
def test_open_all_edits_information_but_not_main_requisites(curator: Any) -> None:
    # given another user's client and a user in "open all" mode
    client = ClientFactory(curator=curator, short_name="Чужой", address="ул. Мира, 1")
    viewer = UserFactory(login="viewer", client_scope="open_all")
    browser = signed_in(viewer)
    # when the card is opened
    page = html(browser.get(f"/clients/{client.pk}/"))
    # then the main requisites are read-only and the notes are not
    assert _read_only(page, "short_name") and _read_only(page, "address")
    assert not _read_only(page, "notes") and " disabled" not in _tag(page, "notes")
    # when they post a new name and notes
    response = browser.post(f"/clients/{client.pk}/", card_post(short_name="Свой", notes="Интересуется оптом",
                                                               apply="1"))
    # then the notes are saved, the name and the curator are not touched
    assert response.status_code == 302
    client.refresh_from_db()
    assert (client.short_name, client.notes, client.curator) == ("Чужой", "Интересуется оптом", curator)
    # and the service itself refuses main data too
    with pytest.raises(NotAllowed):
        services.client_update(acting_user=viewer, client=client, values={"short_name": "Свой"})


@pytest.mark.feature("ACL-02")
def test_view_only_grant_sees_card_read_only(curator: Any) -> None:
    # given a grant without editing
    client = ClientFactory(curator=curator, short_name="Ромашка")
    viewer = UserFactory(login="viewer", client_scope="own")
    ClientGrant.objects.create(client=client, user=viewer, can_edit=False)
    browser = signed_in(viewer)
    # when the card is opened and saved anyway
    page = html(browser.get(f"/clients/{client.pk}/"))
    refused = browser.post(f"/clients/{client.pk}/", card_post(short_name="Ромашка", notes="x"))
    # then it is read-only and saving is forbidden
    assert 'data-testid="card-read-only"' in page and 'data-testid="client-ok"' not in page
    assert refused.status_code == 403
    client.refresh_from_db()
    assert client.notes == ""


@pytest.mark.feature("ACL-02")
@pytest.mark.feature("CLI-08")
def test_access_tab_grants_another_user(curator: Any) -> None:
    # given a client and a colleague in "own" mode
    client = ClientFactory(curator=curator, short_name="Ромашка")
    colleague = UserFactory(login="colleague", full_name="Коллега", client_scope="own")
    assert signed_in(colleague).get(f"/clients/{client.pk}/").status_code == 404
    # when the curator gives the colleague access with editing on the Access tab
    signed_in(curator).post(f"/clients/{client.pk}/", card_post(
        short_name="Ромашка", curator=curator.pk, granted=[colleague.pk], granted_edit=[colleague.pk], apply="1",
    ))
    # then the colleague opens and may edit the card
    grant = ClientGrant.objects.get(client=client)
    assert (grant.user, grant.can_edit) == (colleague, True)
    assert 'data-testid="client-ok"' in html(signed_in(colleague).get(f"/clients/{client.pk}/"))


@pytest.mark.feature("ACL-02")
def test_own_mode_creator_becomes_curator(curator: Any) -> None:
    # given a manager limited to own clients
    other = UserFactory(login="other")
    browser = signed_in(curator)
    # when they create a client naming someone else as curator
    response = browser.post("/clients/new/", card_post(short_name="Ромашка", curator=other.pk))
    # then they are the curator and open the card
    client = Client.objects.get()
    assert client.curator == curator
    assert browser.get(response["Location"]).status_code == 200


@pytest.mark.feature("ACL-03")
def test_private_client_is_404_even_for_administrator(curator: Any, admin_user: Any) -> None:
    # given a private client
    client = make_private(ClientFactory(curator=curator, short_name="Секрет"))
    # when the administrator opens it
    response = signed_in(admin_user).get(f"/clients/{client.pk}/")
    # then it does not exist for them, while the curator opens it
    assert response.status_code == 404
    assert signed_in(curator).get(f"/clients/{client.pk}/").status_code == 200


@pytest.mark.feature("ACL-03")
@pytest.mark.feature("CLI-08")
def test_only_keep_private_right_sets_private_flag(curator: Any) -> None:
    # given a curator without the right
    client = ClientFactory(curator=curator, short_name="Ромашка")
    browser = signed_in(curator)
    # when they post the private flag
    page = html(browser.get(f"/clients/{client.pk}/access/"))
    browser.post(f"/clients/{client.pk}/", card_post(short_name="Ромашка", curator=curator.pk, is_private="on"))
    # then there is no such checkbox and nothing changes
    client.refresh_from_db()
    assert 'name="is_private"' not in page and not client.is_private
    with pytest.raises(NotAllowed):
        services.client_set_access(acting_user=curator, client=client, is_private=True)
    # when the right is granted
    grant_right(curator, "keep_private_clients")
    curator = type(curator).objects.get(pk=curator.pk)
    browser = signed_in(curator)
    assert 'name="is_private"' in html(browser.get(f"/clients/{client.pk}/access/"))
    card_submit(browser, client, {"is_private": True}, tabs=["access"])
    # then the client becomes private
    client.refresh_from_db()
    assert client.is_private


@pytest.mark.feature("ACL-03")
def test_private_flag_of_someone_elses_client_is_not_offered(curator: Any, admin_user: Any) -> None:
    # given an administrator with the right, his own client, and a client curated by someone else
    grant_right(admin_user, "keep_private_clients")
    own = ClientFactory(curator=admin_user, short_name="Своя ромашка")
    client = ClientFactory(curator=curator, short_name="Ромашка")
    browser = signed_in(admin_user)
    # when he opens both cards
    own_page = html(browser.get(f"/clients/{own.pk}/access/"))
    page = html(browser.get(f"/clients/{client.pk}/access/"))
    # then the private flag is offered on his own client (the right works) and not on the other one
    assert 'name="is_private"' in own_page
    assert 'name="is_private"' not in page
