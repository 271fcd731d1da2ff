"""The bell's state: the unread count and the newest unread id of one user."""

from __future__ import annotations

from kontora.core.selectors import notifications as selectors
from kontora.core.services.notifications import notification_send


def test_sent_notification_is_counted_on_the_recipients_bell(admin_user, manager_user):
    # given
    assert selectors.notification_state(manager_user) == (0, 0)
    # when
    sent = notification_send(acting_user=admin_user, recipient=manager_user, text="  Зайдите ко мне  ")
    # then
    assert selectors.notification_state(manager_user) == (1, sent.pk)
    assert selectors.notification_state(admin_user) == (0, 0)
    assert (sent.text, sent.sender, sent.kind, sent.read_at) == ("Зайдите ко мне", admin_user, "message", None)
