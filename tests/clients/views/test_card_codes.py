"""New cards get codes that never collide: twenty people pressing OK at the same moment, through real HTTP
requests to a threaded live server (each request on its own database connection)."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from kontora.clients.models import Client
from tests.support.http import signed_in

SAVES = 20


@pytest.mark.feature("CLI-15")
def test_twenty_cards_saved_at_once_all_get_distinct_codes(live_server: Any, manager_user: Any) -> None:
    # given a signed-in manager's session and the new-card page's CSRF token
    session = signed_in(manager_user).cookies["sessionid"].value
    page = urllib.request.Request(f"{live_server.url}/clients/new/", headers={"Cookie": f"sessionid={session}"})
    with urllib.request.urlopen(page, timeout=30) as answer:
        html = answer.read().decode()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", answer.headers["Set-Cookie"]).group(1)  # type: ignore[union-attr]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    start = threading.Barrier(SAVES)
    statuses: list[int] = []

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    def save(n: int) -> None:
        data = urllib.parse.urlencode({
            "csrfmiddlewaretoken": token, "kind": "company", "short_name": f"Одновременный {n:02d}",
            "full_name": "", "save_anyway": "on",
        }).encode()
        request = urllib.request.Request(
            f"{live_server.url}/clients/new/", data=data,
            headers={"Cookie": f"sessionid={session}; csrftoken={csrf_cookie}", "Referer": live_server.url},
        )
        opener = urllib.request.build_opener(_NoRedirect)
        start.wait()
        try:
            with opener.open(request, timeout=60) as answer:
                statuses.append(answer.status)
        except urllib.error.HTTPError as exc:  # the 302 after a successful save arrives as an HTTPError here
            statuses.append(exc.code)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(SAVES)]
    # when twenty saves go at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # then every save succeeded, each card with its own code, one after another
    assert statuses == [302] * SAVES
    codes = sorted(Client.objects.values_list("code", flat=True))
    assert len(codes) == SAVES
    assert codes == list(range(codes[0], codes[0] + SAVES))
