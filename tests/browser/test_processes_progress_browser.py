"""«Ход процесса» in a real browser: the responsible takes the stage into work, completes it with a result,
reads the protocol and opens its print form."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.processes import services
from kontora.processes.models import ProcessRun, StageState
from tests.browser.test_client_card_browser import sign_in
from tests.clients.factories import client_named as make_client
from tests.support.browser import screenshot
from tests.test_processes_services import claim  # noqa: F401  (the manual's scheme as a fixture)


@pytest.mark.feature("BPM-04", "BPM-05")
def test_responsible_moves_the_run_and_prints_its_protocol(
    page: Any, live_server: Any, transactional_db: Any, claim: dict[str, Any],  # noqa: F811
    admin_user: Any, manager_user: Any,
) -> None:
    base = live_server.url
    # given a claim started by the administrator about the manager's client
    client = make_client("ООО Ромашка", curator=manager_user)
    run = services.run_start(acting_user=admin_user, process=claim["process"], client=client,
                             note="Партия №118 пришла с браком упаковки")
    got, analysis = claim["stages"][0], claim["stages"][1]
    sign_in(page, base, "manager")

    # when the responsible of the start stage opens the run and takes it into work
    page.goto(f"{base}/processes/{run.pk}/")
    assert f"Ход процесса №{run.pk}" in page.locator("h1").inner_text()
    page.select_option("[data-testid=progress-state]", StageState.IN_WORK)
    page.fill("[data-testid=progress-comment]", "Запросил фотографии у клиента")
    with page.expect_navigation():
        page.click("[data-testid=run-progress-ok]")

    # then the stage is in work
    assert page.locator("[data-testid=run-state]").inner_text() == "В работе"
    assert ProcessRun.objects.get(pk=run.pk).stage_state == StageState.IN_WORK

    # when he chooses a result, the state follows to «Завершен» by itself
    page.select_option("[data-testid=progress-result]", str(claim["results"]["fits"].pk))
    assert page.locator("[data-testid=progress-state]").input_value() == StageState.DONE
    page.fill("[data-testid=progress-comment]", "Брак подтверждён фотографиями")
    screenshot(page, "processes-progress")
    with page.expect_navigation():
        page.click("[data-testid=run-progress-ok]")

    # then the run stands on Ivanov's stage and the manager sees it read-only
    assert page.locator("[data-testid=run-stage]").inner_text() == analysis.name
    assert "Иван Иванов" in page.locator("[data-testid=run-readonly]").inner_text()
    assert page.locator("[data-testid=run-progress-form]").count() == 0
    assert ProcessRun.objects.get(pk=run.pk).stage_id == analysis.pk

    # when he opens the protocol tab
    page.click("[data-testid=tab-protocol]")
    page.wait_for_selector("#pane-protocol.active [data-testid=run-protocol]", state="visible")
    protocol = page.locator("[data-testid=run-protocol]")
    # then every step is there
    rows = protocol.locator("[data-testid=protocol-row]")
    assert rows.count() == 3
    assert "Рекламация уместна" in rows.nth(2).inner_text() and got.name in rows.nth(2).inner_text()
    screenshot(page, "processes-protocol")

    # when he opens the print form
    with page.context.expect_page() as popup:
        page.click("[data-testid=protocol-print]")
    printed = popup.value
    printed.wait_for_load_state()
    # then a clean page with the protocol and a print button
    assert printed.locator("[data-testid=protocol-row]").count() == 3
    assert printed.locator(".k-menubar").count() == 0
    assert printed.locator("[data-testid=print-button]").is_visible()
    printed.emulate_media(media="print")
    assert not printed.locator("[data-testid=print-button]").is_visible()
    printed.emulate_media(media="screen")
    screenshot(printed, "processes-print")
