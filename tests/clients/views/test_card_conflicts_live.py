"""Two people press OK on one card at the same moment (issue 11, F15): real concurrent HTTP requests to a threaded
live server, each on its own database connection — different fields are both kept, the same field is never
overwritten unseen."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from kontora.clients.models import Client
from tests.clients.factories import ClientFactory
from tests.support.forms import form_data
from tests.support.http import signed_in


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _Browser:
    """One signed-in user's browser against the live server: the card's page as read, then its post."""

    def __init__(self, base: str, user: Any) -> None:
        self.base = base
        self.cookie = f"sessionid={signed_in(user).cookies['sessionid'].value}"

    def read(self, client: Client) -> dict[str, list[str]]:
        request = urllib.request.Request(f"{self.base}/clients/{client.pk}/", headers={"Cookie": self.cookie})
        with urllib.request.urlopen(request, timeout=30) as answer:
            page = answer.read().decode()
            found = re.search(r"csrftoken=([^;]+)", answer.headers.get("Set-Cookie", ""))
        if found:
            self.cookie += f"; csrftoken={found.group(1)}"
        return dict(form_data(page, "client-card-form").lists())

    def save(self, client: Client, data: dict[str, list[str]], changes: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode({**data, **{name: [value] for name, value in changes.items()},
                                       "apply": ["1"]}, doseq=True).encode()
        request = urllib.request.Request(f"{self.base}/clients/{client.pk}/", data=body,
                                         headers={"Cookie": self.cookie, "Referer": self.base})
        try:
            with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as exc:  # the 302 after a save arrives as an HTTPError here
            return exc.code, ""


def _at_once(*saves: Any) -> list[tuple[int, str]]:
    start = threading.Barrier(len(saves))
    results: list[tuple[int, str]] = [(0, "")] * len(saves)

    def run(index: int) -> None:
        start.wait()
        results[index] = saves[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(saves))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.feature("CLI-01")
def test_two_saves_at_once_of_different_fields_both_stay(live_server: Any, curator: Any, admin_user: Any) -> None:
    # given the curator and the administrator with the same card open
    card = ClientFactory(curator=curator, short_name="Ромашка", phone="+7 495 111-22-33", notes="")
    first, second = _Browser(live_server.url, curator), _Browser(live_server.url, admin_user)
    read_first, read_second = first.read(card), second.read(card)
    # when both press Apply at the same moment, one with the notes, the other with the phone
    results = _at_once(lambda: first.save(card, read_first, {"notes": "Перезвонить"}),
                       lambda: second.save(card, read_second, {"phone": "+7 495 999-00-00"}))
    # then both saves went through and both values are kept
    assert [status for status, _page in results] == [302, 302]
    card.refresh_from_db()
    assert (card.notes, card.phone) == ("Перезвонить", "+7 495 999-00-00")


@pytest.mark.feature("CLI-01")
def test_two_saves_at_once_of_one_field_never_overwrite_unseen(live_server: Any, curator: Any,
                                                               admin_user: Any) -> None:
    # given the curator and the administrator with the same card open
    card = ClientFactory(curator=curator, short_name="Ромашка", phone="+7 495 111-22-33")
    first, second = _Browser(live_server.url, curator), _Browser(live_server.url, admin_user)
    read_first, read_second = first.read(card), second.read(card)
    # when both change the phone and press Apply at the same moment
    results = _at_once(lambda: first.save(card, read_first, {"phone": "+7 495 222-22-22"}),
                       lambda: second.save(card, read_second, {"phone": "+7 495 333-33-33"}))
    # then exactly one save went through; the other was shown the winner's value to choose
    statuses = sorted(status for status, _page in results)
    assert statuses == [200, 302]
    card.refresh_from_db()
    refused = next(page for status, page in results if status == 200)
    assert f'<strong data-testid="theirs-phone">{card.phone}</strong>' in refused
