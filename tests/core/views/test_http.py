"""Cross-cutting HTTP behaviour: request ids on errors, trusted proxies, secure cookies, CSRF, the
Content-Security-Policy on every answer, no stored copies of signed-in answers."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, override_settings

from kontora.accounts.models import UserSession
from kontora.core.middleware import CONTENT_SECURITY_POLICY
from tests.clients.factories import ClientFactory
from tests.support.http import PASSWORD, signed_in


@override_settings(ROOT_URLCONF="tests.urls.failing", DEBUG=False)
def test_server_error_shows_request_id_and_logs_it(admin_user, caplog):
    # given
    client = Client(raise_request_exception=False)
    client.post("/login/", {"login": "admin", "password": PASSWORD})
    # when
    with caplog.at_level(logging.ERROR):
        response = client.get("/test-boom/")
    # then
    request_id = response["X-Request-Id"]
    assert response.status_code == 500
    assert request_id in response.content.decode()
    assert "сообщите администратору номер запроса:" in response.content.decode()
    assert any("deliberate failure" in (r.exc_text or "") or "test-boom" in r.getMessage() for r in caplog.records)


def test_not_found_page_carries_request_id(admin_client):
    response = admin_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["X-Request-Id"] in response.content.decode()
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.feature("ACC-06", "SYS-07")
@override_settings(TRUSTED_PROXIES=["10.9.0.0/16"])
def test_forwarded_address_believed_only_from_trusted_proxy(manager_user):
    # given: a request through the trusted proxy and one from an untrusted address
    via_proxy = Client(REMOTE_ADDR="10.9.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
    spoofed = Client(REMOTE_ADDR="198.51.100.2", HTTP_X_FORWARDED_FOR="203.0.113.99")
    # when
    via_proxy.post("/login/", {"login": "manager", "password": PASSWORD})
    spoofed.post("/login/", {"login": "manager", "password": PASSWORD})
    # then
    ips = set(UserSession.objects.values_list("ip", flat=True))
    assert ips == {"203.0.113.7", "198.51.100.2"}


@pytest.mark.feature("SYS-07")
@override_settings(TRUSTED_PROXIES=["127.0.0.1/32"])
def test_cookies_are_secure_behind_https_proxy(manager_user):
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="203.0.113.7")
    response = client.post("/login/", {"login": "manager", "password": PASSWORD}, secure=False)
    assert response.cookies["sessionid"]["secure"] is True
    plain = Client().post("/login/", {"login": "manager", "password": PASSWORD})
    assert not plain.cookies["sessionid"]["secure"]


@pytest.mark.feature("ACC-01")
def test_login_form_requires_csrf_token(manager_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"login": "manager", "password": PASSWORD})
    assert response.status_code == 403
    assert "Форма устарела" in response.content.decode()


@override_settings(ROOT_URLCONF="tests.urls.failing", DEBUG=False)
def test_every_answer_carries_the_content_security_policy(admin_user, manager_user):
    # given: pages, an htmx partial, a poll, a redirect and the error answers, signed in or not
    admin = Client(raise_request_exception=False)
    admin.post("/login/", {"login": "admin", "password": PASSWORD})
    answers = {
        "page": admin.get("/"),
        "partial": admin.get("/clients/filter/templates/", HTTP_HX_REQUEST="true"),
        "poll": admin.get("/notifications/poll/", HTTP_HX_REQUEST="true"),
        "signed out poll": Client().get("/notifications/poll/"),
        "redirect": Client().get("/"),
        "403": signed_in(manager_user).get("/administration/users/"),
        "404": admin.get("/no-such-page/"),
        "500": admin.get("/test-boom/"),
        "csrf": Client(enforce_csrf_checks=True).post("/login/", {"login": "admin", "password": PASSWORD}),
        "static": admin.get("/static/kontora/kontora.css"),
    }
    # then
    assert {name: answer.status_code for name, answer in answers.items()} == {
        "page": 200, "partial": 200, "poll": 200, "signed out poll": 401, "redirect": 302, "403": 403, "404": 404,
        "500": 500, "csrf": 403, "static": 200,
    }
    policies = {answer["Content-Security-Policy"] for answer in answers.values()}
    assert policies == {CONTENT_SECURITY_POLICY}
    assert CONTENT_SECURITY_POLICY.startswith("default-src 'self'; script-src 'self' ")
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    assert (directives["object-src"], directives["base-uri"], directives["form-action"],
            directives["frame-ancestors"]) == ("'none'", "'self'", "'self'", "'none'")
    assert directives["style-src"].startswith("'self' 'report-sample'")


def test_signed_in_answers_and_downloads_are_never_stored_but_public_ones_may_be(admin_user, manager_user):
    # given a signed-in user and a visitor
    admin = signed_in(admin_user)
    # when they ask for a page, an htmx fragment, a download and the sign-in page or a static file
    private = {
        "page": admin.get("/"),
        "partial": admin.get("/clients/filter/templates/", HTTP_HX_REQUEST="true"),
        "download": admin.post("/clients/export/", {"what": "shown", "format": "csv"}),
        "403": signed_in(manager_user).get("/administration/users/"),
    }
    public = {"sign-in page": Client().get("/login/"), "static": Client().get("/static/kontora/kontora.css")}
    # then every answer to the signed-in user says no-store (F14), the download included
    assert {name: answer.status_code for name, answer in private.items()} == {
        "page": 200, "partial": 200, "download": 200, "403": 403}
    assert {name: "no-store" in answer.get("Cache-Control", "") for name, answer in private.items()} == {
        name: True for name in private}
    assert all("private" in answer["Cache-Control"] for answer in private.values())
    # while the public answers are left to their own caching
    assert {name: "no-store" in answer.get("Cache-Control", "") for name, answer in public.items()} == {
        "sign-in page": False, "static": False}


@pytest.mark.parametrize("hostile", ["²", "٣", str(2**64)], ids=["superscript", "arabic-indic", "past-bigint"])
def test_hostile_ids_in_query_parameters_are_ignored_not_a_server_error(admin_user, hostile):
    # given the client's curator, and query parameters that take ids (F6, F7)
    client = ClientFactory(curator=admin_user)
    admin = signed_in(admin_user)
    urls = [
        f"/clients/{client.pk}/files/?folder={hostile}",
        f"/clients/duplicates/?client_id={hostile}&short_name=x",
        f"/directories/banks/?job={hostile}",
        f"/administration/change-curator/?moved={hostile}",
    ]
    # when each is asked with a hostile id
    statuses = {url.split("?")[0]: admin.get(url).status_code for url in urls}
    # then each answers as without the parameter (the positive control: the plain URLs answer 200 too)
    assert statuses == {url.split("?")[0]: admin.get(url.split("?")[0]).status_code for url in urls}
    assert set(statuses.values()) == {200}


@pytest.mark.parametrize("url", ["/clients/duplicates/?short_name=a%00b", "/?q=%00", "/clients/filter/count/"])
def test_a_nul_character_in_a_request_is_refused_with_a_message(admin_user, url):
    # given a signed-in user (PostgreSQL refuses NUL in a text: a search with it was a 500 there)
    admin = signed_in(admin_user)
    # when a query or a form carries a NUL character
    if url.endswith("count/"):
        response = admin.post(url, {"spec": '{"op": "and", "items": []}', "name": "a\x00b"})
    else:
        response = admin.get(url)
    # then the request is refused, saying why
    assert response.status_code == 400
    assert response.content.decode() == ("В запросе есть символ NUL, которого не может быть ни в одном тексте: "
                                         "удалите его.")
    # while without it the same request is answered
    assert admin.get("/clients/duplicates/?short_name=ab").status_code == 200


@pytest.mark.parametrize("hostile", ["²", "٣", str(2**64)], ids=["superscript", "arabic-indic", "past-bigint"])
def test_hostile_numbers_in_the_backups_page_and_the_bells_poll_are_ignored(admin_user, hostile):
    # given the backups page's job and the bell's poll positions, read with int() after isdigit() (a 500 for "²")
    admin = signed_in(admin_user)
    # when each is asked with a hostile number
    backups = admin.get("/administration/backups/", {"job": hostile})
    poll = admin.get("/notifications/poll/", {"after": hostile, "unread": hostile})
    # then each answers as without it
    assert backups.status_code == admin.get("/administration/backups/").status_code == 200
    assert poll.status_code == admin.get("/notifications/poll/").status_code
