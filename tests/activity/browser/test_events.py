"""The card's History in a real browser: Ins opens «Событие», OK records it and moves the client (HIS-01, HIS-02)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.clients.models import ContactPerson, StageChange
from kontora.directories.models import EventType, LadderStage
from tests.clients.factories import ClientFactory
from tests.support.browser import csp_violations, htmx_ready, screenshot, sign_in, watch_csp


@pytest.mark.feature("HIS-01", "HIS-02", "CLI-14")
def test_ins_in_the_history_records_an_event_that_moves_the_client(page, live_server, manager_user,
                                                                   transactional_db):
    base = live_server.url
    # given the manager's client on the first stage, with a contact person
    first = LadderStage.objects.create(name="Знакомство", name_key="знакомство", order=1)
    LadderStage.objects.create(name="Переговоры", name_key="переговоры", order=2)
    EventType.objects.create(name="Звонок", name_key="звонок")
    client = ClientFactory(curator=manager_user, short_name="Ромашка", ladder_stage=first)
    ContactPerson.objects.create(client=client, full_name="Петров Пётр")
    watch_csp(page)
    sign_in(page, base, "manager")

    # when he opens the card's History and presses Ins
    page.goto(f"{base}/clients/{client.pk}/")
    page.get_by_test_id("tab-events").click()
    expect(page.get_by_test_id("card-events-empty")).to_be_visible()
    htmx_ready(page.get_by_test_id("event-add"))
    page.keyboard.press("Insert")

    # then «Событие» opens with the current stage for reference
    modal = page.locator("#k-modal")
    expect(modal.get_by_test_id("event-current-stage")).to_contain_text("Знакомство")
    modal.locator("#id_event_event_type").select_option(label="Звонок")
    modal.locator("#id_event_contact").select_option(label="Петров Пётр")
    modal.locator("#id_event_description").fill("Договорились о встрече")
    modal.locator("#id_event_stage").select_option(label="Переговоры")
    modal.locator("#id_event_next_contact_date").fill("2030-01-15")
    screenshot(page, "client-event")
    page.get_by_test_id("event-ok").click()

    # then the modal closes and the event is the History's row
    expect(modal).to_be_hidden()
    row = page.get_by_test_id("card-event")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Договорились о встрече")
    expect(row).to_contain_text("Петров Пётр")
    assert StageChange.objects.filter(client=client, source="event").count() == 1

    # and the Operational work tab shows the new stage and next contact date
    page.get_by_test_id("tab-operational").click()
    pane = page.get_by_test_id("pane-operational")
    expect(pane.locator("#id_next_contact_date")).to_have_value("2030-01-15")
    expect(pane.locator("#id_ladder_stage")).to_have_value("Переговоры")
    assert csp_violations(page) == []
