"""The login page's slow-down of an address (ACC-01, issue 11 F12): failed sign-ins from one address, whatever the
logins, slow further attempts from it — counted in the base, failures only, behind trusted proxies by the client's
own address, never for the office networks an administrator listed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from kontora.accounts.models import LoginFailure, UserSession
from kontora.accounts.services.sessions import sessions_prune
from kontora.core.models import AuditEvent, SystemSettings
from tests.support.http import PASSWORD

WRONG = "Неверный логин или пароль."
SLOWED = "Слишком много неудачных попыток входа с вашего адреса. Повторите через"
LIMIT = settings.SIGNIN_ADDRESS_FAILURE_LIMIT


def attempt(login: str, password: str = "wrong-password", ip: str = "10.0.0.5", **headers: str) -> tuple[int, str]:
    response = Client().post("/login/", {"login": login, "password": password}, REMOTE_ADDR=ip, **headers)
    return response.status_code, response.content.decode()


def fail_many(count: int, ip: str = "10.0.0.5", **headers: str) -> list[int]:
    """`count` wrong passwords, each under another login; their answers' codes."""
    return [attempt(f"guess{number}", ip=ip, **headers)[0] for number in range(count)]


def wait_of(page: str) -> int:
    """The seconds a slowed answer asks to wait (0 when the page is no such answer)."""
    found = re.search(SLOWED + r" (\d+) секунд[уы]?\.", page)
    return int(found.group(1)) if found else 0


def age_failures(by: timedelta) -> None:
    """Time travel: every failure happened `by` earlier than it did."""
    for failure in LoginFailure.objects.all():
        LoginFailure.objects.filter(pk=failure.pk).update(at=failure.at - by)


@pytest.mark.feature("ACC-01")
def test_thirty_logins_tried_from_one_address_get_slowed(manager_user):
    # when thirty logins are tried from one address
    codes = fail_many(30)
    # then the first LIMIT are checked, and every one after them waits unchecked (429)
    assert codes == [401] * LIMIT + [429] * (30 - LIMIT)
    assert LoginFailure.objects.filter(ip="10.0.0.5").count() == LIMIT
    # and meanwhile even the right password is not tried: the answer says why and when to come back
    status, page = attempt("manager", PASSWORD)
    assert status == 429
    assert 1 <= wait_of(page) <= 5
    assert not UserSession.objects.exists()
    refusal = AuditEvent.objects.filter(event="accounts.signin.failed").order_by("-pk").first()
    assert refusal.extra["reason"] == "address_slowed" and refusal.extra["ip"] == "10.0.0.5"


@pytest.mark.feature("ACC-01")
def test_a_slowed_answer_says_when_to_retry(manager_user):
    # given
    fail_many(LIMIT)
    # when
    response = Client().post("/login/", {"login": "x", "password": "y"}, REMOTE_ADDR="10.0.0.5")
    # then
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= settings.SIGNIN_ADDRESS_DELAY_SECONDS


@pytest.mark.feature("ACC-01")
def test_another_address_is_not_slowed(manager_user):
    # given an address slowed down
    fail_many(LIMIT + 1)
    assert attempt("manager", PASSWORD)[0] == 429
    # when the same login comes from another address
    status, page = attempt("manager", "wrong-password", ip="10.0.0.6")
    signed = attempt("manager", PASSWORD, ip="10.0.0.6")
    # then it is checked
    assert status == 401 and WRONG in page
    assert signed[0] == 302


@pytest.mark.feature("ACC-01")
def test_the_slow_down_grows_and_waiting_it_out_brings_a_checked_attempt(manager_user):
    # given an address just slowed down (5 seconds after the LIMIT-th failure)
    fail_many(LIMIT)
    assert 4 <= wait_of(attempt("manager", PASSWORD)[1]) <= 5
    # when it waits the 5 seconds and fails once more
    age_failures(timedelta(seconds=6))
    assert attempt("another-guess")[0] == 401
    # then the next wait is twice as long
    assert 9 <= wait_of(attempt("manager", PASSWORD)[1]) <= 10
    # and, waited out, the right password signs in (the address is slowed, never locked)
    age_failures(timedelta(seconds=11))
    assert attempt("manager", PASSWORD)[0] == 302


@pytest.mark.feature("ACC-01")
def test_the_slow_down_never_exceeds_its_longest_delay(manager_user):
    # given many more failures than the limit within the window
    fail_many(LIMIT)
    for _ in range(7):  # 5, 10, 20, … seconds: the seventh doubling passes the longest delay
        age_failures(timedelta(seconds=settings.SIGNIN_ADDRESS_DELAY_MAX_SECONDS + 1))
        assert attempt("one-more")[0] == 401
    # when
    response = Client().post("/login/", {"login": "x", "password": "y"}, REMOTE_ADDR="10.0.0.5")
    # then
    assert response.status_code == 429
    assert int(response["Retry-After"]) == settings.SIGNIN_ADDRESS_DELAY_MAX_SECONDS


@pytest.mark.feature("ACC-01")
def test_failures_older_than_the_window_are_not_counted_and_are_pruned(manager_user):
    # given LIMIT - 1 failures just over the window ago, and the control: as many just inside it, from another address
    window = settings.SIGNIN_ADDRESS_WINDOW_SECONDS
    fail_many(LIMIT - 1)
    fail_many(LIMIT - 1, ip="10.0.0.9")
    LoginFailure.objects.filter(ip="10.0.0.5").update(at=timezone.now() - timedelta(seconds=window + 1))
    LoginFailure.objects.filter(ip="10.0.0.9").update(at=timezone.now() - timedelta(seconds=window - 60))
    # when one failure more comes from each
    fail_many(1)
    fail_many(1, ip="10.0.0.9")
    # then only the failures within the window slow an address
    assert attempt("guess")[0] == 401
    assert attempt("guess", ip="10.0.0.9")[0] == 429
    # and the periodic clean-up removes the old ones
    sessions_prune()
    assert not LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(seconds=window)).exists()
    assert LoginFailure.objects.filter(ip="10.0.0.9").count() == LIMIT


@pytest.mark.feature("ACC-01")
def test_successful_sign_ins_are_not_counted(manager_user):
    # given thirty successful sign-ins from one address, and failures one short of the limit
    for _ in range(30):
        assert attempt("manager", PASSWORD)[0] == 302
    fail_many(LIMIT - 1)
    # when
    checked = attempt("manager", "wrong-again")
    # then the attempt is still checked, and only the failure that reaches the limit slows the address (the control)
    assert checked[0] == 401 and WRONG in checked[1]
    assert attempt("manager", PASSWORD)[0] == 429


@pytest.mark.feature("ACC-01", "ORG-05")
def test_an_allow_listed_office_network_is_never_slowed(admin_client, manager_user):
    # given the office's network listed by the administrator
    response = admin_client.post("/settings/functionality/", {"signin_allowed_networks": "10.0.0.0/24"})
    assert response.status_code == 302
    # when thirty logins fail from an office computer, and (the control) from an address outside the network
    office = fail_many(30, ip="10.0.0.5")
    outside = fail_many(LIMIT + 1, ip="10.0.1.5")
    # then the office is never slowed and its user still signs in; the outside address is
    assert office == [401] * 30
    assert attempt("manager", PASSWORD, ip="10.0.0.5")[0] == 302
    assert outside == [401] * LIMIT + [429]


@pytest.mark.feature("ACC-01", "SYS-07")
@override_settings(TRUSTED_PROXIES=["10.9.0.0/16"])
def test_a_forwarded_address_is_ignored_from_an_untrusted_peer(manager_user):
    # when an untrusted peer names another client address in every request
    codes = [
        attempt(f"guess{number}", ip="198.51.100.2", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")[0]
        for number in range(LIMIT + 1)
    ]
    # then they all count against the peer itself, which is slowed
    assert codes == [401] * LIMIT + [429]
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"198.51.100.2"}


@pytest.mark.feature("ACC-01", "SYS-07")
@override_settings(TRUSTED_PROXIES=["10.9.0.0/16"])
def test_a_forwarded_address_is_honoured_from_a_trusted_proxy(manager_user):
    # given failures of one client behind the trusted proxy
    codes = fail_many(LIMIT + 1, ip="10.9.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
    # when another client comes through the same proxy
    other = attempt("manager", PASSWORD, ip="10.9.0.5", HTTP_X_FORWARDED_FOR="203.0.113.8")
    # then the first client is slowed, not the proxy: the other signs in
    assert codes == [401] * LIMIT + [429]
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"203.0.113.7"}
    assert other[0] == 302


@pytest.mark.feature("ACC-01", "SYS-07")
@override_settings(TRUSTED_PROXIES=["10.9.0.0/16"])
def test_a_forwarded_value_that_is_no_address_counts_against_the_proxy(manager_user):
    # when a trusted proxy hands on garbage as the client's address
    status, _page = attempt("guess", ip="10.9.0.5", HTTP_X_FORWARDED_FOR="not-an-address, 10.9.0.7")
    # then the failure is counted against the last proxy that handed it on (never a 500)
    assert status == 401
    assert list(LoginFailure.objects.values_list("ip", flat=True)) == ["10.9.0.7"]


@pytest.mark.feature("ORG-05")
def test_the_office_networks_are_kept_in_canonical_form_and_audited(admin_client):
    # when
    response = admin_client.post(
        "/settings/functionality/", {"signin_allowed_networks": "192.168.1.7/24, 10.0.0.1\n192.168.1.0/24"}
    )
    # then
    assert response.status_code == 302
    assert SystemSettings.objects.get(pk=1).signin_allowed_networks == "192.168.1.0/24\n10.0.0.1/32"
    row = AuditEvent.objects.get(event="core.system_settings.update")
    assert "192.168.1.0/24" in str(row.changes)


@pytest.mark.feature("ORG-05")
def test_a_wrong_network_is_refused_next_to_the_field_and_nothing_is_saved(admin_client):
    # when
    response = admin_client.post(
        "/settings/functionality/", {"sales_enabled": "on", "signin_allowed_networks": "10.0.0.0/24, 10.0.0.300"}
    )
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-signin_allowed_networks">Не адрес и не сеть: 10.0.0.300.' in page
    assert not SystemSettings.objects.filter(pk=1, signin_allowed_networks__contains="10.0.0.0/24").exists()
