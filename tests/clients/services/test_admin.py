"""Administration → Change curator/specialist (ACL-05): the hand-over service, its refusals and its history rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kontora.clients.models import Client
from kontora.clients.selectors.admin import KEPT_RECEIVER, KEPT_WORKING
from kontora.clients.services import admin as services_admin
from kontora.core.errors import NotAllowed
from kontora.core.models import AuditEvent, Notification
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import card_history


@pytest.mark.feature("ACL-05")
def test_the_service_refuses_a_dismissed_receiver_and_a_non_administrator(
    admin_user: Any, staff: dict[str, Any]
) -> None:
    # given a dismissed employee and a client of the leaving curator
    gone = UserFactory(login="gone", dismissed=True)
    client = ClientFactory(short_name="Альфа", curator=staff["leaving"])

    # when the clients are handed to the dismissed employee, or a manager tries the change
    with pytest.raises(ValidationError) as refused:
        services_admin.clients_change_curator(acting_user=admin_user, old_curator=staff["leaving"], new_curator=gone)
    with pytest.raises(NotAllowed):
        services_admin.clients_change_curator(
            acting_user=staff["other"], old_curator=staff["leaving"], new_curator=staff["coming"]
        )

    # then nothing moved, and nothing was written to the audit
    assert refused.value.message_dict["new_curator"] == [
        "Учётная запись этого пользователя отключена или сотрудник уволен: выберите работающего пользователя."
    ]
    client.refresh_from_db()
    assert client.curator == staff["leaving"]
    assert not AuditEvent.objects.exists()


@pytest.mark.feature("CLI-12")
@pytest.mark.feature("ACL-05")
def test_handing_clients_over_records_one_entry_per_client(admin_user: Any) -> None:
    # given three clients of the leaving curator and one of the coming one
    leaving, coming = UserFactory(login="leaving2"), UserFactory(login="coming2")
    moved = [ClientFactory(curator=leaving, short_name=f"Клиент {i}") for i in range(3)]
    kept = ClientFactory(curator=coming, short_name="Свой клиент")

    # when the administrator hands the leaving curator's clients over
    services_admin.clients_change_curator(acting_user=admin_user, old_curator=leaving, new_curator=coming)

    # then each moved card has one history row naming the new curator, the kept one none
    for client in moved:
        entry = card_history(client).get()
        assert (entry.event, entry.summary, entry.actor, entry.target_type, entry.target_id) == (
            "clients.client.hand_over", "Клиенты переданы (Администрирование)", admin_user, "clients.client",
            client.pk)
        assert entry.changes == [{"field": "Куратор", "old": str(leaving), "new": str(coming)}]
    assert not card_history(kept).exists()
    assert Client.objects.filter(curator=coming).count() == 4
    # and one row of the hand-over itself says how many clients moved, about no card
    total = AuditEvent.objects.get(event="clients.hand_over")
    assert (total.actor, total.client_id, total.target_type, total.target_id) == (
        admin_user, None, "accounts.user", leaving.pk)
    assert total.extra == {"role": "curator", "moved": 3, "private_moved": 0, "private_kept": 0, "reason": "",
                           "new_user": coming.pk}
    assert total.changes == [{"field": "Куратор", "old": str(leaving), "new": str(coming)}]


def _dismiss(user: Any) -> Any:
    user.dismissed = user.disabled = True
    user.save(update_fields=["dismissed", "disabled"])
    return user


@pytest.mark.feature("ACL-03", "ACL-05")
def test_a_working_curators_private_clients_never_move_and_the_result_says_so(
    admin_user: Any, staff: dict[str, Any]
) -> None:
    # given a working curator with an ordinary and a private client
    ordinary = ClientFactory(short_name="Альфа", curator=staff["leaving"])
    private = ClientFactory(short_name="Бета", curator=staff["leaving"], private=True)

    # when the administrator hands his clients over
    result = services_admin.clients_change_curator(
        acting_user=admin_user, old_curator=staff["leaving"], new_curator=staff["coming"])

    # then the ordinary client moved, the private one stayed with its curator, and the result says why
    ordinary.refresh_from_db()
    private.refresh_from_db()
    assert (ordinary.curator, private.curator) == (staff["coming"], staff["leaving"])
    assert (result.curator_clients, result.private_moved, result.private_kept, result.private_kept_reason) == (
        1, 0, 1, KEPT_WORKING)
    assert not card_history(private).exists()
    row = AuditEvent.objects.get(event="clients.hand_over")
    assert (row.extra["moved"], row.extra["private_kept"], row.extra["reason"]) == (1, 1, KEPT_WORKING)


@pytest.mark.feature("ACL-03", "ACL-05")
def test_the_acting_administrator_never_becomes_the_curator_of_a_private_client(
    admin_user: Any, staff: dict[str, Any]
) -> None:
    # given a dismissed employee with an ordinary and a private client
    leaving = _dismiss(staff["leaving"])
    ordinary = ClientFactory(short_name="Альфа", curator=leaving)
    private = ClientFactory(short_name="Бета", curator=leaving, private=True)

    # when the administrator hands the dismissed employee's clients to himself
    result = services_admin.clients_change_curator(acting_user=admin_user, old_curator=leaving,
                                                   new_curator=admin_user)

    # then he took the ordinary client only; the private one stays with the dismissed curator
    ordinary.refresh_from_db()
    private.refresh_from_db()
    assert (ordinary.curator, private.curator) == (admin_user, leaving)
    assert (result.private_moved, result.private_kept, result.private_kept_reason) == (0, 1, KEPT_RECEIVER)
    assert not Client.objects.filter(curator=admin_user, is_private=True).exists()


@pytest.mark.feature("ACL-03", "ACL-05")
def test_a_dismissed_employees_private_clients_go_to_another_working_user_recorded_and_notified(
    admin_user: Any, staff: dict[str, Any]
) -> None:
    # given a dismissed employee with an ordinary and a private client
    leaving = _dismiss(staff["leaving"])
    ordinary = ClientFactory(short_name="Альфа", curator=leaving)
    private = ClientFactory(short_name="Бета", curator=leaving, private=True)

    # when the administrator hands them to a working colleague
    result = services_admin.clients_change_curator(acting_user=admin_user, old_curator=leaving,
                                                   new_curator=staff["coming"])

    # then both moved; the private one stays private, now the new curator's alone
    ordinary.refresh_from_db()
    private.refresh_from_db()
    assert (ordinary.curator, private.curator, private.is_private) == (staff["coming"], staff["coming"], True)
    assert (result.curator_clients, result.private_moved, result.private_kept) == (2, 1, 0)
    # and the hand-over is in the audit: the private card's history and the row about the old curator
    assert card_history(private).get().event == "clients.client.hand_over"
    row = AuditEvent.objects.get(event="clients.hand_over")
    assert (row.actor, row.target_id, row.extra["private_moved"]) == (admin_user, leaving.pk, 1)
    # and the new curator finds it on his bell
    note = Notification.objects.get(user=staff["coming"])
    assert (note.sender, note.kind) == (admin_user, "hand_over")
    assert note.text == ("Администратор Системы передал(а) вам клиентов пользователя Уходящий Куратор как их "
                         "куратору: 2. Из них приватных: 1 — теперь их видите только вы.")


@pytest.mark.feature("ACL-03", "ACL-05")
def test_the_specialist_change_leaves_the_private_clients_of_working_curators_alone(
    admin_user: Any, staff: dict[str, Any]
) -> None:
    # given the old specialist's clients: ordinary, private of a working curator, private of a dismissed one
    gone = _dismiss(UserFactory(login="gone", full_name="Ушедший Куратор"))
    ordinary = ClientFactory(short_name="Альфа", curator=staff["other"], specialist=staff["spec_old"])
    working = ClientFactory(short_name="Бета", curator=staff["other"], specialist=staff["spec_old"], private=True)
    orphan = ClientFactory(short_name="Вега", curator=gone, specialist=staff["spec_old"], private=True)

    # when the administrator changes the specialist
    result = services_admin.clients_change_curator(
        acting_user=admin_user, old_specialist=staff["spec_old"], new_specialist=staff["spec_new"])

    # then the working curator's private client keeps its specialist, the others move
    for client in (ordinary, working, orphan):
        client.refresh_from_db()
    assert (ordinary.specialist, working.specialist, orphan.specialist) == (
        staff["spec_new"], staff["spec_old"], staff["spec_new"])
    assert (result.specialist_clients, result.specialist_private_kept) == (2, 1)
    assert not card_history(working).exists()
