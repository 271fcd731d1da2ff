"""The sales ladder board in a real browser (LAD-04): a card dragged to another column, the move recorded as an
event of the client's History, and the conversion report counting it."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kontora.directories.models import EventType, LadderStage
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


@pytest.mark.feature("LAD-04", "HIS-02")
def test_a_manager_drags_a_client_to_the_next_stage_and_sees_the_event_and_the_conversion(
        page, live_server, transactional_db):
    base = live_server.url
    # given a ladder of three stages, an event type, and a manager's clients on the first one
    LadderStage.objects.update(is_active=False)
    first, second, _third = (LadderStage.objects.create(name=name, name_key=name.lower(), order=n)
                             for n, name in enumerate(("Знакомство", "Переговоры", "Сделка")))
    EventType.objects.create(name="Встреча", name_key="встреча")
    manager = UserFactory(login="anna", full_name="Анна Менеджерова", role="manager")
    client = ClientFactory(curator=manager, short_name="ООО «Арсенал-Сервис»", code=4101, ladder_stage=first)
    ClientFactory(curator=manager, short_name="ООО «Бета»", code=4102, ladder_stage=first)
    ClientFactory(curator=manager, short_name="ООО «Вега»", code=4103, ladder_stage=second)
    watch_csp(page)
    sign_in(page, base, "anna")

    # when she opens the board from the menu «Планы и задачи»
    page.click("[data-menu=plans] > a")
    page.locator("[data-menu=plans]").get_by_role("link", name="Доска лестницы продаж").click()
    board = page.get_by_test_id("board")
    expect(board.get_by_test_id(f"board-count-{first.pk}")).to_have_text("2")
    expect(board.get_by_test_id(f"board-count-{second.pk}")).to_have_text("1")
    screenshot(page, "board")

    # and drags «Арсенал-Сервис» onto «Переговоры»: the move's event form opens with the stage chosen
    page.get_by_test_id("board-card-4101").drag_to(page.get_by_test_id(f"board-column-{second.pk}"))
    form = page.get_by_test_id("board-move-form")
    expect(form).to_be_visible()
    expect(form.locator("select[name=stage]")).to_have_value(str(second.pk))
    form.locator("select[name=event_type]").select_option(label="Встреча")
    form.locator("textarea[name=description]").fill("Обсудили условия поставки")
    form.get_by_test_id("board-move-ok").click()

    # then the board is drawn again with the card in its new column
    expect(page.get_by_test_id(f"board-count-{second.pk}")).to_have_text("2")
    expect(page.get_by_test_id(f"board-column-{second.pk}").get_by_test_id("board-card-4101")).to_be_visible()
    expect(page.get_by_test_id(f"board-count-{first.pk}")).to_have_text("1")

    # and the client's History holds the event, on the stage it moved to
    page.goto(f"{base}/clients/{client.pk}/")
    page.get_by_test_id("tab-events").click()
    row = page.get_by_test_id("card-event")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Обсудили условия поставки")
    expect(row).to_contain_text("Переговоры")

    # and the conversion between stages counts the move: one client reached «Переговоры» from «Знакомство»
    page.goto(f"{base}/pipeline/board/")
    page.get_by_test_id("board-conversion").click()
    today = timezone.localdate().strftime("%d.%m.%Y")
    expect(page.get_by_test_id("report-form")).to_be_visible()
    page.get_by_test_id("report-run").click()
    table = page.get_by_test_id("report-table")
    expect(table).to_contain_text("Переговоры")
    expect(table.get_by_test_id("report-row").first).to_contain_text("1")
    expect(page.get_by_test_id("report-parameters")).to_contain_text(today)
    assert csp_violations(page) == []
