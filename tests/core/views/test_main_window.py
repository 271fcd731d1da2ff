"""The main window: the menu bar, the Assistant's calendar, the Informer (ORG-06), the keyboard shortcuts."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.test.utils import override_script_prefix
from django.utils import timezone
from django.utils.html import escape

from kontora.core import hooks
from kontora.core.hooks import MenuItem
from kontora.core.models import LegalEntity, OfficeDay, UserParameters
from kontora.core.selectors import informer
from kontora.core.views.main_window import _calendar_context
from tests.accounts.factories import UserFactory
from tests.support.http import signed_in


def _menu_keys(html: str) -> list[str]:
    return re.findall(r'data-menu="([a-z_]+)"', html)


def _tip(html: str) -> int:
    match = re.search(r'data-tip="(\d+)"', html)
    assert match, html[:300]
    return int(match.group(1))


@pytest.mark.feature("ORG-05")
def test_administrator_sees_administration_and_functionality(admin_client):
    # when
    html = admin_client.get("/").content.decode()
    # then
    assert _menu_keys(html) == ["file", "directories", "journals", "plans", "processes", "reports", "admin", "settings",
                               "help"]
    assert "Функционал" in html
    assert 'href="/settings/functionality/"' in html


@pytest.mark.feature("ORG-05")
@pytest.mark.parametrize("role", ["manager", "supervisor", "specialist"])
def test_other_roles_see_neither_administration_nor_functionality(admin_user, role):
    # given
    client = signed_in(UserFactory(login=f"u-{role}", role=role))
    # when
    html = client.get("/").content.decode()
    # then
    # the task journal, the process journal and «Задачи на контроле»: everyone's
    assert _menu_keys(html) == ["file", "directories", "journals", "plans", "processes", "reports", "settings", "help"]
    assert 'href="/settings/functionality/"' not in html
    assert 'href="/settings/parameters/"' in html
    assert 'href="/help/about/"' in html


@pytest.fixture
def admin_only_report():
    item = hooks.MENU.register(MenuItem("cash", "Только для администратора", "core:about", hooks.admins))
    yield item
    hooks.MENU.unregister((item.section, item.url_name, item.args))


def test_a_section_without_visible_items_is_not_shown(manager_client, admin_client, admin_only_report):
    # given: a section whose only item is for administrators
    # when
    html = manager_client.get("/").content.decode()
    # then
    assert "cash" not in _menu_keys(html)
    assert "Только для администратора" not in html
    assert "cash" in _menu_keys(admin_client.get("/").content.decode())  # the administrator has it


@pytest.mark.feature("ORG-05")
def test_the_menus_links_follow_the_prefix_the_program_is_served_under(manager_client):
    # given: the menu drawn once at the root (its URLs are reversed once and kept)
    assert 'href="/help/shortcuts/"' in manager_client.get("/").content.decode()
    # when: the same program answers under a prefix (a reverse proxy's /crm), then at the root again
    with override_script_prefix("/crm/"):
        prefixed = manager_client.get("/").content.decode()
    again = manager_client.get("/").content.decode()
    # then each page's menu leads under its own prefix
    assert 'href="/crm/help/shortcuts/"' in prefixed and 'href="/help/shortcuts/"' not in prefixed
    assert 'href="/help/shortcuts/"' in again and "/crm/" not in again


def test_menu_shows_the_shortcut_of_an_item(manager_client):
    html = manager_client.get("/").content.decode()
    assert re.search(r'href="/help/shortcuts/"><span>Горячие клавиши</span><kbd[^>]*>\?</kbd>', html)


def test_main_window_shows_toolbar_assistant_centre_and_informer(manager_user, admin_user):
    # given
    LegalEntity.objects.create(full_name="ООО «Ромашка»", short_name="Ромашка", inn="7707083893", is_default=True)
    client = signed_in(manager_user)
    # when
    response = client.get("/")
    html = response.content.decode()
    # then
    assert response.status_code == 200
    assert "<title>Главное окно · Kontora</title>" in html
    assert 'data-testid="toolbar-refresh"' in html and "Обновить" in html
    assert 'id="k-assistant" open' in html
    assert "Добро пожаловать, Алексей Менеджеров" in html
    assert '<dd class="col-8" data-testid="summary-role">Менеджер</dd>' in html
    assert "Видит и работает только со своими клиентами" in html
    assert '<dd class="col-8" data-testid="summary-legal-entity">Ромашка</dd>' in html
    assert 'data-testid="informer"' in html and "Информатор" in html


def test_centre_names_no_legal_entity_when_there_is_none(manager_client):
    html = manager_client.get("/").content.decode()
    assert "summary-legal-entity" not in html
    assert "Юрлицо по умолчанию" not in html


def test_calendar_highlights_today(manager_client):
    # given
    today = timezone.localdate()
    # when
    html = manager_client.get("/").content.decode()
    # then
    assert re.search(rf'class="k-cal-day[^"]*k-cal-today[^"]*"\s+data-date="{today.isoformat()}"', html)
    assert 'aria-current="date"' in html


def test_calendar_turns_to_the_next_and_previous_month(manager_client):
    # when
    december = manager_client.get("/calendar/?month=2026-12&date=2026-11-28", HTTP_HX_REQUEST="true")
    january = manager_client.get("/calendar/?month=2027-01", HTTP_HX_REQUEST="true")
    # then
    html = december.content.decode()
    assert '<span class="fw-semibold" data-testid="calendar-title" aria-live="polite">Декабрь 2026</span>' in html
    assert "<html" not in html  # a fragment for htmx, not a page
    assert "/calendar/?date=2026-11-28&amp;month=2027-01" in html
    assert "/calendar/?date=2026-11-28&amp;month=2026-11" in html
    assert "Январь 2027" in january.content.decode()


def test_go_to_date_opens_its_month_with_the_day_selected(manager_client):
    # when
    html = manager_client.get("/calendar/?date=2027-03-15", HTTP_HX_REQUEST="true").content.decode()
    # then
    assert "Март 2027" in html
    assert re.search(r'class="k-cal-day[^"]*k-cal-selected"\s+data-date="2027-03-15"[^>]*aria-pressed="true"', html)
    assert html.count("k-cal-selected") == 1


def test_go_to_date_with_a_wrong_date_says_so_next_to_the_field(manager_client):
    # when
    html = manager_client.get("/calendar/?date=2027-02-30", HTTP_HX_REQUEST="true").content.decode()
    # then
    assert '<div class="invalid-feedback" id="k-cal-date-error">Введите дату в формате ДД.ММ.ГГГГ.</div>' in html
    assert f"{timezone.localdate():%Y}" in html  # the current month stays in view


def test_go_to_date_without_scripts_shows_the_main_window_at_that_date(manager_client):
    # when
    response = manager_client.get("/calendar/?date=2027-03-15")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/?date=2027-03-15"
    assert "Март 2027" in manager_client.get(response["Location"]).content.decode()


def test_calendar_shows_the_office_calendars_days_off_as_weekends(manager_client):
    # given a Saturday worked in the office calendar (the base comes with 2026's holidays)
    OfficeDay.objects.create(date=date(2026, 3, 14), is_working=True, note="Перенос")
    # when
    html = manager_client.get("/calendar/?month=2026-03", HTTP_HX_REQUEST="true").content.decode()
    # then the holiday Monday is red, the worked Saturday is not, an ordinary Sunday and Tuesday are as ever
    def weekend(day: str) -> bool:
        found = re.search(rf'class="k-cal-day([^"]*)"\s+data-date="{day}"', html)
        assert found, day
        return "k-cal-weekend" in found.group(1)

    assert [weekend(day) for day in ("2026-03-09", "2026-03-14", "2026-03-15", "2026-03-10")] == [
        True, False, True, False]


@pytest.mark.django_db
def test_calendar_weeks_start_on_monday():
    context = _calendar_context({"month": "2026-11"})
    assert context["cal_weeks"][0][0]["date"] == date(2026, 10, 26)
    assert [str(name) for name in context["cal_weekdays"]] == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]


def test_main_window_needs_sign_in(admin_user):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


@pytest.mark.feature("ORG-06")
def test_informer_next_shows_every_tip_once_before_any_repeats(manager_client, manager_user):
    # given
    shown = informer.tips_for(manager_user)
    first = _tip(manager_client.get("/").content.decode())
    seen = [first]
    # when
    for _ in range(len(shown) - 1):
        response = manager_client.post("/informer/next/", HTTP_HX_REQUEST="true")
        seen.append(_tip(response.content.decode()))
    after_all = _tip(manager_client.post("/informer/next/", HTTP_HX_REQUEST="true").content.decode())
    # then
    assert sorted(seen) == shown
    assert after_all != seen[-1]


@pytest.mark.feature("ORG-06")
def test_informer_tip_text_is_in_the_users_language(manager_user, admin_user):
    # given
    manager_user.language = "en"
    manager_user.save(update_fields=["language"])
    client = signed_in(manager_user)
    # when
    html = client.post("/informer/next/", HTTP_HX_REQUEST="true").content.decode()
    # then
    index = _tip(html)
    assert escape(informer.TIPS[index]["en"]) in html
    assert "Next >>" in html


@pytest.mark.feature("ORG-06")
def test_informer_shows_next_button_and_tip_counter(manager_client, manager_user):
    html = manager_client.get("/").content.decode()
    assert "Далее >>" in html
    assert f"Совет 1 из {len(informer.tips_for(manager_user))}" in html
    assert "Не показывать при запуске" in html


@pytest.mark.feature("ORG-06")
def test_dont_show_at_start_persists_and_closes_the_panel_next_time(manager_user, admin_user):
    # given
    client = signed_in(manager_user)
    assert 'id="k-informer" open' in client.get("/").content.decode()
    # when
    response = client.post("/informer/at-start/", {"hide": "on"}, HTTP_HX_REQUEST="true")
    # then
    assert response.content.decode() == '<span class="text-success">Сохранено.</span>'
    assert UserParameters.objects.get(user=manager_user).informer_at_start is False
    again = signed_in(manager_user).get("/").content.decode()
    assert 'id="k-informer" open' not in again
    assert 'id="k-informer"' in again  # still there, folded to the right edge
    assert re.search(r'id="k-informer-hide" checked', again)


@pytest.mark.feature("ORG-06")
def test_unticking_dont_show_at_start_shows_the_informer_again(manager_user, admin_user):
    # given
    UserParameters.objects.create(user=manager_user, informer_at_start=False)
    client = signed_in(manager_user)
    # when: an unticked box sends nothing
    client.post("/informer/at-start/", {}, HTTP_HX_REQUEST="true")
    # then
    assert UserParameters.objects.get(user=manager_user).informer_at_start is True
    assert 'id="k-informer" open' in client.get("/").content.decode()


def test_informer_actions_need_post(manager_client):
    assert manager_client.get("/informer/next/").status_code == 405
    assert manager_client.get("/informer/at-start/").status_code == 405


def test_shortcuts_page_lists_the_keys(manager_client):
    # when
    html = manager_client.get("/help/shortcuts/").content.decode()
    # then
    assert 'id="k-shortcuts-page"' in html
    for key in ["Ins", "Enter", "Ctrl+F", "Shift+F", "F2", "Ctrl+I", "Ctrl+Enter", "Esc", "?"]:
        assert f"<kbd>{key}</kbd>" in html
    assert "Отметить строку под курсором или снять отметку для групповой обработки" in html


def test_every_page_of_a_signed_in_user_carries_the_shortcuts_dialog(manager_client):
    html = manager_client.get("/help/about/").content.decode()
    assert 'id="k-shortcuts"' in html and 'data-src="/help/shortcuts/"' in html


def test_the_calendar_keeps_to_the_years_it_can_draw(manager_client):
    # when the calendar is asked for December 9999 (its grid ran into the year 10000: a 500, F9), a date of it,
    # and the last month it draws
    far_month = manager_client.get("/calendar/?month=9999-12", HTTP_HX_REQUEST="true")
    far_date = manager_client.get("/calendar/?date=9999-12-31", HTTP_HX_REQUEST="true")
    last = manager_client.get("/calendar/?month=9998-12", HTTP_HX_REQUEST="true").content.decode()
    # then the far month is ignored, the far date refused with a message, and 9998 drawn with no month after it
    assert far_month.status_code == far_date.status_code == 200
    assert f"{timezone.localdate():%Y}" in far_month.content.decode()
    assert "Календарь показывает годы с 1 по 9998." in far_date.content.decode()
    assert "Декабрь 9998" in last and "month=9998-11" in last and "month=9999-01" not in last


@pytest.mark.feature("ORG-06")
def test_the_informer_shows_administrators_tips_to_administrators_only(manager_client, manager_user, admin_user):
    # given the tips about servers, backups and the command line, marked for administrators
    admin_tips = [index for index, tip in enumerate(informer.TIPS) if tip.get("for") == "admin"]
    postgresql = next(index for index, tip in enumerate(informer.TIPS) if "PostgreSQL" in tip["ru"])
    assert postgresql in admin_tips
    # when a manager walks through all his tips
    seen = {_tip(manager_client.get("/").content.decode())}
    for _ in range(len(informer.TIPS)):
        seen.add(_tip(manager_client.post("/informer/next/", HTTP_HX_REQUEST="true").content.decode()))
    # then he never sees one of them, and an administrator is shown every tip
    assert seen and seen.isdisjoint(admin_tips)
    assert informer.tips_for(admin_user) == list(range(len(informer.TIPS)))
    assert sorted(seen) == informer.tips_for(manager_user)


@pytest.mark.feature("ORG-05", "ORG-06")
def test_the_side_panels_open_as_the_user_left_them_in_any_session(manager_user, admin_user):
    # given both panels open by default
    html = signed_in(manager_user).get("/").content.decode()
    assert 'id="k-assistant" open data-k-panel="assistant" data-k-panel-shown="1"' in html
    assert 'id="k-informer" open data-k-panel="informer" data-k-panel-shown="1"' in html
    # when both are hidden (behaviours/panels.js posts each toggle)
    browser = signed_in(manager_user)
    for panel in ("assistant", "informer"):
        answer = browser.post("/panel/", {"panel": panel, "open": "0"}, HTTP_HX_REQUEST="true")
        assert answer.status_code == 204
    # then a new session draws them hidden, the Informer's box ticked; another user's are as they were
    html = signed_in(manager_user).get("/").content.decode()
    assert 'id="k-assistant"  data-k-panel="assistant" data-k-panel-shown="0"' in html
    assert 'id="k-informer"  data-k-panel="informer" data-k-panel-shown="0"' in html
    assert re.search(r'id="k-informer-hide" checked', html)
    assert 'id="k-assistant" open' in signed_in(admin_user).get("/").content.decode()
    # and a panel that does not exist is refused with a message, not a 500
    refused = browser.post("/panel/", {"panel": "nope", "open": "0"}, HTTP_HX_REQUEST="true")
    assert (refused.status_code, refused.content.decode()) == (422, "Такой панели нет.")
