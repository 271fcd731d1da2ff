"""The office's clock and calendar: the zones offered, a user's zone read with his row, and the office calendar the
base comes with (the Russian production calendar of 2026)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from kontora.accounts.models import User
from kontora.core.models import OfficeDay
from kontora.core.selectors.calendar import (
    RUSSIAN_ZONES,
    is_working_day,
    offered_zones,
    office_year,
    user_zone,
    with_clock,
    working_days,
)
from kontora.core.services.settings import system_settings_update, user_parameters_update
from tests.support.queries import assert_queries

pytestmark = pytest.mark.django_db


@pytest.mark.feature("ACC-07")
def test_the_pickers_offer_russias_zones_first_then_the_world_without_legacy_aliases():
    zones = offered_zones()
    assert zones[:12] == RUSSIAN_ZONES == (
        "Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk",
        "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka")
    assert "America/New_York" in zones and zones[12:] == tuple(sorted(zones[12:]))
    assert not {"W-SU", "UTC", "localtime", "EST5EDT"} & set(zones)
    assert len(set(zones)) == len(zones)


@pytest.mark.feature("ACC-07")
def test_a_users_zone_is_his_own_else_the_offices_else_the_servers(admin_user, manager_user, settings):
    settings.TIME_ZONE = "Europe/Moscow"
    assert user_zone(manager_user) == ZoneInfo("Europe/Moscow")
    system_settings_update(acting_user=admin_user, time_zone="Asia/Omsk")
    assert user_zone(manager_user) == ZoneInfo("Asia/Omsk")
    user_parameters_update(acting_user=manager_user, time_zone="Asia/Kamchatka")
    assert user_zone(manager_user) == ZoneInfo("Asia/Kamchatka")


@pytest.mark.feature("ACC-07")
@pytest.mark.parametrize("own", ["Asia/Kamchatka", ""])
def test_a_user_read_with_his_clock_answers_his_zone_without_a_query(admin_user, manager_user, own):
    # given the office in Omsk, and the manager in Kamchatka or in the office's zone
    system_settings_update(acting_user=admin_user, time_zone="Asia/Omsk")
    user_parameters_update(acting_user=manager_user, time_zone=own)
    # when he is read as the request reads him
    user = with_clock(User.objects.all()).get(pk=manager_user.pk)
    # then his zone costs no query
    with assert_queries(0):
        zone = user_zone(user)
    assert zone == ZoneInfo(own or "Asia/Omsk")
    # while a user read plainly costs its reads: his row, his parameters, the office's settings (the positive control)
    with assert_queries(2 if own else 3):
        user_zone(User.objects.get(pk=manager_user.pk))


def test_a_user_who_never_saved_his_parameters_lives_in_the_offices_zone_without_a_query(admin_user, manager_user):
    system_settings_update(acting_user=admin_user, time_zone="Europe/Kaliningrad")
    user = with_clock(User.objects.all()).get(pk=manager_user.pk)
    with assert_queries(0):
        assert user_zone(user) == ZoneInfo("Europe/Kaliningrad")


def test_the_base_comes_with_the_russian_production_calendar_of_2026():
    # then January has its fifteen working days: the New Year holidays and the day moved from 3 January are off
    january = working_days(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    assert [day.day for day, worked in january.items() if worked] == [12, 13, 14, 15, 16, 19, 20, 21, 22, 23,
                                                                      26, 27, 28, 29, 30]
    # and the year has 247 working days, no Saturday among them
    year = working_days(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert sum(year.values()) == 247
    assert not [day for day, worked in year.items() if worked and day.weekday() >= 5]
    # and the holidays that fall on weekdays are off, the moved ones too
    for off in ("2026-02-23", "2026-03-09", "2026-05-01", "2026-05-11", "2026-06-12", "2026-11-04", "2026-12-31"):
        assert not is_working_day(datetime.date.fromisoformat(off)), off
    # while an ordinary day around them is worked (the positive control)
    assert is_working_day(datetime.date(2026, 2, 24)) and is_working_day(datetime.date(2026, 12, 30))
    assert OfficeDay.objects.filter(date__year=2026).count() == 14


def test_a_year_of_the_office_calendar_is_twelve_months_of_weeks_with_its_exceptions():
    # given a weekend worked
    OfficeDay.objects.create(date=datetime.date(2026, 2, 28), is_working=True, note="Перенос")
    # when
    with assert_queries(1):
        months, exceptions = office_year(2026)
    # then January starts on a Thursday, its 9th is off, and the worked Saturday is worked
    assert len(months) == 12 and [month.first.month for month in months] == list(range(1, 13))
    first_week = months[0].weeks[0]
    assert first_week[:3] == [None, None, None] and first_week[3] is not None and first_week[3].date.day == 1
    days = {day.date: day for month in months for week in month.weeks for day in week if day}
    assert len(days) == 365
    assert not days[datetime.date(2026, 1, 9)].worked and days[datetime.date(2026, 1, 9)].exception is not None
    assert days[datetime.date(2026, 2, 28)].worked and days[datetime.date(2026, 2, 28)].weekend
    assert not days[datetime.date(2026, 3, 7)].worked and days[datetime.date(2026, 3, 7)].exception is None
    assert [day.date for day in exceptions][:2] == [datetime.date(2026, 1, 1), datetime.date(2026, 1, 2)]
    assert len(exceptions) == 15
