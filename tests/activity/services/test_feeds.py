"""The calendar address's services (PLN-04): made, replaced and revoked by its user, each audited; revoked when his
password changes (accounts' PASSWORD_CHANGED), in the same transaction, and he is told."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.accounts.services import users as accounts
from kontora.activity.models import CalendarFeed
from kontora.activity.selectors.feeds import feed_owner
from kontora.activity.services.feeds import calendar_feed_create, calendar_feed_revoke
from kontora.core.errors import Refused
from kontora.core.models import AuditEvent, Notification


def feed_events(user: Any) -> list[str]:
    ids = CalendarFeed.objects.filter(user=user).values_list("pk", flat=True)
    return list(AuditEvent.objects.filter(target_type="activity.calendarfeed", target_id__in=list(ids))
                .order_by("id").values_list("event", flat=True))


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_making_an_address_again_replaces_the_old_one(manager_user: Any) -> None:
    first = calendar_feed_create(acting_user=manager_user)
    second = calendar_feed_create(acting_user=manager_user)
    assert feed_owner(first) is None and feed_owner(second) == manager_user
    assert list(CalendarFeed.objects.filter(user=manager_user).order_by("id").values_list("ended", flat=True)) == [
        CalendarFeed.Ended.REPLACED, ""]
    assert feed_events(manager_user) == ["activity.calendar_feed.create", "activity.calendar_feed.replace"]


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_revoking_ends_the_address_and_is_refused_without_one(manager_user: Any) -> None:
    token = calendar_feed_create(acting_user=manager_user)
    calendar_feed_revoke(acting_user=manager_user)
    assert feed_owner(token) is None
    assert feed_events(manager_user) == ["activity.calendar_feed.create", "activity.calendar_feed.revoke"]
    with pytest.raises(Refused) as refused:
        calendar_feed_revoke(acting_user=manager_user)
    assert str(refused.value) == "У вас нет адреса календаря, который можно отозвать."


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_a_changed_password_revokes_the_address_and_tells_the_user(manager_user: Any) -> None:
    # given the manager's live address
    token = calendar_feed_create(acting_user=manager_user)
    # when he changes his password
    accounts.user_set_password(acting_user=manager_user, user_id=manager_user.pk, password="Novyi-Parol-77")
    # then the address answers no more, the change is audited and he is told on his bell
    assert feed_owner(token) is None
    assert CalendarFeed.objects.get(user=manager_user).ended == CalendarFeed.Ended.PASSWORD
    assert feed_events(manager_user)[-1] == "activity.calendar_feed.rotate"
    notice = Notification.objects.get(user=manager_user)
    assert "адрес вашего календаря отозван" in notice.text and notice.url == "/settings/parameters/calendar/"
    # and a new address works
    assert feed_owner(calendar_feed_create(acting_user=manager_user)) == manager_user


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_a_password_reset_on_the_user_card_revokes_the_address_too(admin_user: Any, manager_user: Any) -> None:
    token = calendar_feed_create(acting_user=manager_user)
    profile = accounts.UserProfile(**{name: getattr(manager_user, name) for name in accounts.PROFILE_FIELDS})
    access = accounts.UserAccess(role=manager_user.role, client_scope=manager_user.client_scope)
    # a save of the card without a password keeps the address (the positive control)
    accounts.user_update(acting_user=admin_user, user_id=manager_user.pk, profile=profile, access=access)
    assert feed_owner(token) == manager_user
    # a save with a new password ends it
    accounts.user_update(acting_user=admin_user, user_id=manager_user.pk, profile=profile, access=access,
                         password="Novyi-Parol-77")
    assert feed_owner(token) is None
    rotated = AuditEvent.objects.get(event="activity.calendar_feed.rotate")
    assert rotated.actor == admin_user


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_a_password_change_without_an_address_writes_nothing_of_it(manager_user: Any) -> None:
    accounts.user_set_password(acting_user=manager_user, user_id=manager_user.pk, password="Novyi-Parol-77")
    assert not CalendarFeed.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="activity.calendar_feed").exists()
    assert not Notification.objects.filter(user=manager_user).exists()
