"""Ending a session (audited) and the upkeep of Active users: the computer name, the clean-up."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from kontora.accounts import tasks
from kontora.accounts.models import UserSession
from kontora.accounts.services import sessions as services
from kontora.core.models import AuditEvent
from tests.accounts.support import sign_in_from


@pytest.mark.feature("ACC-06")
def test_ending_a_session_is_audited_about_its_user(admin_user, manager_user):
    # given
    manager = sign_in_from(manager_user, "10.0.0.2")
    record = UserSession.objects.get(user=manager_user)
    # when
    ended = services.session_end(acting_user=admin_user, session_id=record.pk)
    # then
    assert ended is not None and ended.user == manager_user
    assert not Session.objects.filter(session_key=manager.session.session_key).exists()
    [row] = AuditEvent.objects.filter(event="accounts.session.end")
    assert (row.actor, row.summary, row.target_type, row.target_id) == (
        admin_user, "Сеанс завершён", "accounts.user", manager_user.pk,
    )
    assert row.extra == {"ip": "10.0.0.2", "hostname": ""}


@pytest.mark.feature("ACC-06")
def test_ending_a_session_that_already_ended_writes_nothing(admin_user):
    # when
    ended = services.session_end(acting_user=admin_user, session_id=999_999)
    # then
    assert ended is None
    assert not AuditEvent.objects.filter(event="accounts.session.end").exists()


@pytest.mark.feature("ACC-06")
def test_the_task_names_the_computer_by_its_address(manager_user, monkeypatch):
    # given
    monkeypatch.setattr(socket, "gethostbyaddr", lambda ip: ("buh-pc.office.local", [], [ip]))
    sign_in_from(manager_user, "10.0.0.2")
    record = UserSession.objects.get(user=manager_user)
    UserSession.objects.filter(pk=record.pk).update(hostname="")
    # when
    tasks.session_resolve_hostname.call_local(record.pk)
    # then
    record.refresh_from_db()
    assert record.hostname == "buh-pc.office.local"


@pytest.mark.feature("ACC-06")
def test_an_address_without_a_name_keeps_the_computer_name_empty(manager_user, monkeypatch):
    # given
    def unknown(ip: str) -> tuple[str, list[str], list[str]]:
        raise socket.herror(1, "Unknown host")

    monkeypatch.setattr(socket, "gethostbyaddr", unknown)
    sign_in_from(manager_user, "10.0.0.2")
    record = UserSession.objects.get(user=manager_user)
    UserSession.objects.filter(pk=record.pk).update(hostname="")
    # when
    services.session_hostname_resolve(session_id=record.pk)
    # then
    record.refresh_from_db()
    assert record.hostname == ""


@pytest.mark.feature("ACC-06")
def test_the_clean_up_drops_the_rows_of_expired_sessions_only(admin_user, manager_user):
    # given
    sign_in_from(admin_user, "10.0.0.1")
    manager = sign_in_from(manager_user, "10.0.0.2")
    Session.objects.filter(session_key=manager.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    # when
    deleted = services.sessions_prune()
    # then
    assert deleted == 1
    assert list(UserSession.objects.values_list("user__login", flat=True)) == ["admin"]
