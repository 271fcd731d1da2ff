"""The Flexi-filter panel and filter templates in a real browser (REG-04, REG-05, REG-06)."""

from __future__ import annotations

import pytest

from kontora.clients.models import FilterTemplate
from kontora.core.text import search_key
from kontora.directories.models import ClientStatus, Region, Settlement
from tests.clients.factories import client_named
from tests.support.browser import screenshot, sign_in


def _base(manager):
    hot = ClientStatus.objects.create(name="Горячий", name_key=search_key("Горячий"))
    cold = ClientStatus.objects.create(name="Холодный", name_key=search_key("Холодный"))
    # The initial base's regions and settlements may be there or not (a flushed transactional base).
    region, _created = Region.objects.get_or_create(code="69", defaults={
        "name": "Тверская область", "name_key": search_key("Тверская область"), "short_name": "Тверская"})
    tver = (Settlement.objects.filter(region=region, name="Тверь").first()
            or Settlement.objects.create(region=region, name="Тверь", name_key=search_key("Тверь"), kind="г"))
    client_named("ООО «Альфа»", curator=manager, status=hot)
    client_named("ООО «Бета»", curator=manager, status=cold, settlement=tver)
    client_named("ООО «Вектор»", curator=manager, status=cold)
    client_named("ООО «Гранит»", curator=manager, status=cold)


def names(page):
    return page.get_by_test_id("registry-name").all_inner_texts()


def pick(page, row, typed, text):
    """Types into the condition's directory picker and clicks the match, as a user would."""
    box = row.get_by_test_id("flexi-picker")
    box.click()
    box.press_sequentially(typed)
    row.locator(f"[data-pick][data-text='{text}']").first.click()
    row.get_by_test_id("flexi-chip").filter(has_text=text).wait_for()


def open_panel(page):
    page.get_by_test_id("registry-filter").click()
    page.get_by_test_id("flexi-modal").wait_for(state="visible")
    page.get_by_test_id("flexi-panel").wait_for()


@pytest.mark.feature("REG-04", "REG-05", "REG-06")
def test_or_group_filter_saved_as_a_template_and_chosen_from_the_list(page, live_server, manager_user,
                                                                     transactional_db):
    # given
    _base(manager_user)
    sign_in(page, live_server.url, "manager")
    assert len(names(page)) == 4

    # when the panel is opened and an OR group "status = Горячий OR city = Тверь" is built
    open_panel(page)
    page.get_by_test_id("flexi-tab-classifiers").click()
    page.get_by_test_id("flexi-add-group").first.click()  # a new OR group with a Status condition
    group = page.get_by_test_id("flexi-group").nth(1)
    assert group.get_by_test_id("flexi-group-op").input_value() == "or"
    pick(page, group.get_by_test_id("flexi-condition").first, "Гор", "Горячий")
    page.get_by_test_id("flexi-tab-main").click()
    page.get_by_test_id("flexi-add-city").click()  # lands in the group last worked in
    city_row = group.get_by_test_id("flexi-condition").nth(1)
    pick(page, city_row, "Тве", "г Тверь (Тверская область)")  # a place named with its region (issue 13, item 11)

    # then the live count follows the tree
    page.get_by_test_id("flexi-count").filter(has_text="Найдено: 2").wait_for()
    screenshot(page, "clients-filter-panel")

    # when applied
    page.get_by_test_id("flexi-apply").click()

    # then the panel closes and the registry shows only the matching clients, with the filter badge
    page.get_by_test_id("flexi-modal").wait_for(state="hidden")
    page.get_by_test_id("flexi-badge").wait_for()
    assert names(page) == ["ООО «Альфа»", "ООО «Бета»"]
    assert page.get_by_test_id("registry-count").inner_text() == "2 из 2"
    assert "Горячий" in page.get_by_test_id("flexi-badge").inner_text()
    screenshot(page, "clients-filter-active")

    # when the panel is opened again, the filter is saved as a template shared with managers
    open_panel(page)
    assert page.get_by_test_id("flexi-chip").all_inner_texts() == ["Горячий", "г Тверь (Тверская область)"]
    page.get_by_test_id("flexi-save-toggle").click()
    page.fill("#k-flexi-name", "Горячие и тверские")
    page.select_option("#k-flexi-share", "role:manager")
    page.get_by_test_id("flexi-save").click()
    page.get_by_test_id("flexi-save-status").filter(has_text="Шаблон «Горячие и тверские» сохранён.").wait_for()
    assert FilterTemplate.objects.get().shared_role == "manager"
    page.keyboard.press("Escape")
    page.get_by_test_id("flexi-modal").wait_for(state="hidden")

    # when the filter is reset
    page.get_by_test_id("flexi-clear").click()
    page.get_by_test_id("flexi-badge").wait_for(state="detached")
    assert len(names(page)) == 4

    # when the template is chosen from the list
    page.get_by_test_id("registry-templates").click()
    item = page.get_by_test_id("flexi-template").filter(has_text="Горячие и тверские")
    item.get_by_test_id("flexi-template-count").filter(has_text="2").wait_for()
    assert page.get_by_test_id("flexi-template").first.inner_text().startswith("Мои клиенты")
    screenshot(page, "clients-filter-templates")
    item.get_by_test_id("flexi-template-apply").click()

    # then
    page.get_by_test_id("flexi-badge").filter(has_text="Горячие и тверские").wait_for()
    assert names(page) == ["ООО «Альфа»", "ООО «Бета»"]

    # when the template is opened with ✎ from the list, renamed and kept for oneself
    page.get_by_test_id("registry-templates").click()
    page.get_by_test_id("flexi-template").filter(has_text="Горячие и тверские").get_by_test_id(
        "flexi-template-edit").click()
    page.get_by_test_id("flexi-panel").wait_for()
    assert page.input_value("#k-flexi-name") == "Горячие и тверские"
    assert page.input_value("#k-flexi-share") == "role:manager"
    page.fill("#k-flexi-name", "Горячие или тверские")
    page.select_option("#k-flexi-share", "")
    page.get_by_test_id("flexi-save").click()
    page.get_by_test_id("flexi-save-status").filter(has_text="Шаблон «Горячие или тверские» сохранён.").wait_for()

    # then the same template is changed, not a new one made
    assert list(FilterTemplate.objects.values_list("name", "shared_role")) == [("Горячие или тверские", "")]


@pytest.mark.feature("REG-04")
def test_a_wrong_value_is_shown_next_to_its_row_and_ctrl_shift_f_opens_the_panel(page, live_server, manager_user,
                                                                               transactional_db):
    # given
    _base(manager_user)
    sign_in(page, live_server.url, "manager")

    # when Ctrl+Shift+F opens the panel and a name condition is left empty
    page.locator("body").press("Control+Shift+F")
    page.get_by_test_id("flexi-panel").wait_for()
    page.get_by_test_id("flexi-add-name").click()
    page.get_by_test_id("flexi-apply").click()

    # then the row says what is wrong, and nothing is applied
    error = page.get_by_test_id("flexi-row-error").first
    error.filter(has_text="Наименование: введите текст для поиска.").wait_for()
    assert page.get_by_test_id("flexi-modal").is_visible()

    # when the text is typed and Enter pressed
    page.get_by_test_id("flexi-input").fill("вект")
    page.get_by_test_id("flexi-input").press("Enter")

    # then
    page.get_by_test_id("flexi-modal").wait_for(state="hidden")
    page.get_by_test_id("flexi-badge").wait_for()
    assert names(page) == ["ООО «Вектор»"]
