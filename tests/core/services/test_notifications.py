"""Notifications' services: sending, marking read; a message of an administrator is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kontora.core.models import AuditEvent, Notification
from kontora.core.services.notifications import (
    message_send,
    notification_mark_all_read,
    notification_mark_read,
    notification_send,
)
from tests.accounts.factories import UserFactory
from tests.core.support import audit_row


def test_sending_refuses_an_inactive_recipient_and_empty_text(admin_user):
    # given
    gone = UserFactory(login="gone", full_name="Уволенный Сотрудник", dismissed=True)
    # when
    with pytest.raises(ValidationError) as refused:
        notification_send(acting_user=admin_user, recipient=gone, text="   ")
    # then
    assert refused.value.message_dict == {
        "recipient": ["Этот пользователь не может войти в систему: учётная запись отключена или сотрудник уволен."],
        "text": ["Введите текст сообщения."],
    }
    assert not Notification.objects.exists()


def test_service_mark_read_counts_changed_rows(admin_user, manager_user):
    # given
    sent = notification_send(acting_user=admin_user, recipient=manager_user, text="Раз")
    # when / then
    assert notification_mark_read(acting_user=manager_user, notification_id=sent.pk) == 1
    assert notification_mark_read(acting_user=manager_user, notification_id=sent.pk) == 0
    assert notification_mark_all_read(acting_user=manager_user) == 0


def test_a_message_of_an_administrator_is_audited_and_a_notice_of_the_program_is_not(admin_user, manager_user):
    # when
    message = message_send(acting_user=admin_user, recipient=manager_user, text="Отчёт к пятнице")
    notification_send(acting_user=None, recipient=manager_user, text="Новая задача", url="/tasks/1/")
    # then
    row = audit_row("core.message.send")
    assert (row.actor, row.target_type, row.target_id, row.summary, row.extra) == (
        admin_user, "core.notification", message.pk, "Сообщение отправлено", {"recipient": "manager"}
    )
    assert AuditEvent.objects.count() == 1
    assert (message.user, message.sender, message.text) == (manager_user, admin_user, "Отчёт к пятнице")


def test_a_refused_message_leaves_no_trace(admin_user):
    # given
    gone = UserFactory(login="gone", full_name="Уволенный Сотрудник", dismissed=True)
    # when
    with pytest.raises(ValidationError):
        message_send(acting_user=admin_user, recipient=gone, text="Привет")
    # then
    assert not Notification.objects.exists() and not AuditEvent.objects.exists()
