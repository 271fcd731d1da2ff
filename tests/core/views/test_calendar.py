"""Administration → Production calendar: the office's days off and moved working days, for administrators only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kontora.core.models import AuditEvent, OfficeDay
from kontora.core.services.calendar import office_day_update
from tests.support.forms import form_data
from tests.support.http import html
from tests.support.queries import assert_flat_queries

CALENDAR = "/administration/calendar/"


def test_the_calendar_is_for_administrators_only(manager_client, supervisor_user, admin_client):
    # given a date of the calendar
    day = OfficeDay.objects.get(date=datetime.date(2026, 1, 9))
    pages = [CALENDAR, f"{CALENDAR}new/", f"{CALENDAR}{day.pk}/"]
    # then a manager is refused every page and every write
    assert [manager_client.get(url).status_code for url in pages] == [403, 403, 403]
    assert manager_client.post(f"{CALENDAR}new/", {"date": "2026-07-01", "is_working": "False"}).status_code == 403
    assert manager_client.post(f"{CALENDAR}{day.pk}/delete/").status_code == 403
    assert not OfficeDay.objects.filter(date=datetime.date(2026, 7, 1)).exists()
    assert OfficeDay.objects.filter(pk=day.pk).exists()
    # while the administrator opens them (the positive control)
    assert [admin_client.get(url).status_code for url in pages] == [200, 200, 200]


def test_the_year_shows_its_months_with_the_days_off_marked_and_its_exceptions(admin_client):
    # when
    page = html(admin_client.get(f"{CALENDAR}?year=2026"))
    # then every date of the year is drawn, the 2026 holidays off, an ordinary Saturday off, a Monday worked
    assert page.count('data-testid="office-date"') == 365
    assert 'data-date="2026-01-09" data-worked="0"' in page
    assert 'data-date="2026-11-04" data-worked="0"' in page
    assert 'data-date="2026-03-07" data-worked="0"' in page
    assert 'data-date="2026-03-10" data-worked="1"' in page
    # and the list names the year's fourteen exceptions with their notes
    assert page.count('data-testid="office-day"') == 14
    assert "День народного единства" in page and "14 нерабочих будних дней" in page
    # and a year without exceptions says so
    assert "В этом году исключений нет" in html(admin_client.get(f"{CALENDAR}?year=2040"))


@pytest.mark.parametrize("year", ["0", "99999", "-1", "٢٠٢٦", "x", "2026.5"])
def test_a_year_outside_the_calendar_shows_this_year(admin_client, year):
    response = admin_client.get(CALENDAR, {"year": year})
    assert response.status_code == 200
    assert f"Производственный календарь {timezone.localdate().year}" in html(response)


def test_a_date_picked_in_the_year_is_offered_as_the_exception_its_weekday_calls_for(admin_client):
    saturday = html(admin_client.get(f"{CALENDAR}new/?date=2027-02-20"))
    monday = html(admin_client.get(f"{CALENDAR}new/?date=2027-02-22"))
    assert form_data(saturday, "office-day-form").get("is_working") == "True"
    assert form_data(monday, "office-day-form").get("is_working") == "False"
    assert form_data(monday, "office-day-form").get("date") == "2027-02-22"


def test_the_administrator_adds_a_holiday_and_a_worked_saturday(admin_client):
    # when
    holiday = admin_client.post(f"{CALENDAR}new/", {"date": "2027-01-08", "is_working": "False",
                                                    "note": "  Новогодние   каникулы "})
    saturday = admin_client.post(f"{CALENDAR}new/", {"date": "2027-11-13", "is_working": "True", "note": ""})
    # then both are kept, each with its audit row, and OK leads back to the year
    assert holiday.status_code == saturday.status_code == 302
    assert holiday["Location"] == f"{CALENDAR}?year=2027"
    assert list(OfficeDay.objects.filter(date__year=2027).values_list("date", "is_working", "note")) == [
        (datetime.date(2027, 1, 8), False, "Новогодние каникулы"), (datetime.date(2027, 11, 13), True, "")]
    assert AuditEvent.objects.filter(event="core.office_day.create").count() == 2


@pytest.mark.parametrize(("posted", "field", "message"), [
    ({"date": "2027-03-03", "is_working": "True"}, "is_working", "будний день, он и так рабочий"),
    ({"date": "2027-03-06", "is_working": "False"}, "is_working", "приходится на выходной, он и так нерабочий"),
    ({"date": "2026-01-09", "is_working": "False"}, "date", "Эта дата уже есть в календаре"),
    ({"date": "31.02.2027", "is_working": "False"}, "date", "Введите правильную дату."),
    ({"date": "", "is_working": "False"}, "date", "Обязательное поле."),
    ({"date": "2027-03-03", "is_working": "maybe"}, "is_working", "Выберите корректный вариант."),
])
def test_a_date_that_changes_nothing_or_is_taken_is_refused_next_to_its_field(admin_client, posted, field, message):
    before = OfficeDay.objects.count()
    # when
    response = admin_client.post(f"{CALENDAR}new/", {"note": "Проверка", **posted})
    # then
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert OfficeDay.objects.count() == before
    assert not AuditEvent.objects.filter(event__startswith="core.office_day").exists()


def test_the_administrator_changes_and_removes_a_date(admin_client):
    # given
    day = OfficeDay.objects.get(date=datetime.date(2026, 12, 31))
    page = html(admin_client.get(f"{CALENDAR}{day.pk}/"))
    posted = form_data(page, "office-day-form")
    posted.setlist("note", ["Канун Нового года"])
    # when he changes its note
    assert admin_client.post(f"{CALENDAR}{day.pk}/", posted).status_code == 302
    # then
    day.refresh_from_db()
    assert (day.date, day.is_working, day.note) == (datetime.date(2026, 12, 31), False, "Канун Нового года")
    # when he takes it out of the calendar
    response = admin_client.post(f"{CALENDAR}{day.pk}/delete/")
    # then it follows the week again (a Thursday: worked), and both writes are audited
    assert response["Location"] == f"{CALENDAR}?year=2026"
    assert not OfficeDay.objects.filter(pk=day.pk).exists()
    assert 'data-date="2026-12-31" data-worked="1"' in html(admin_client.get(f"{CALENDAR}?year=2026"))
    assert [row.event for row in AuditEvent.objects.filter(event__startswith="core.office_day").order_by("id")] == [
        "core.office_day.update",
                                                                        "core.office_day.delete"]


def test_a_note_another_administrator_changed_meanwhile_is_not_overwritten(admin_client, admin_user):
    # given the page read by one administrator
    day = OfficeDay.objects.get(date=datetime.date(2026, 6, 12))
    posted = form_data(html(admin_client.get(f"{CALENDAR}{day.pk}/")), "office-day-form")
    # and the note changed by another meanwhile
    office_day_update(acting_user=admin_user, day_id=day.pk, values={"note": "День России (праздник)"})
    # when the first one saves another note
    posted.setlist("note", ["Праздник"])
    response = admin_client.post(f"{CALENDAR}{day.pk}/", posted)
    # then nothing is saved and the form shows the other's value to choose
    assert response.status_code == 400
    assert "другой пользователь изменил те же поля" in html(response)
    assert "День России (праздник)" in html(response)
    assert OfficeDay.objects.get(pk=day.pk).note == "День России (праздник)"


def test_the_year_costs_the_same_queries_whatever_its_exceptions(admin_client):
    def add(number: int) -> Any:
        return OfficeDay.objects.create(date=datetime.date(2031, 1, 6) + datetime.timedelta(days=7 * number),
                                        is_working=False, note=f"Праздник {number}")

    page = assert_flat_queries(lambda: html(admin_client.get(f"{CALENDAR}?year=2031")), add)
    assert page.count('data-testid="office-day"') == 20


def test_the_administration_menu_leads_to_the_calendar(admin_client, manager_client):
    assert reverse("core:office_calendar") in html(admin_client.get("/"))
    assert reverse("core:office_calendar") not in html(manager_client.get("/"))
