"""The client registry in the main window: access, keyset pages, sorting, quick find, marks."""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest
from django.test import Client as HttpClient

from kontora.clients.demo import demo_fill
from kontora.clients.models import Client
from kontora.clients.selectors import registry as selectors
from kontora.clients.selectors.sorting import SORTS
from kontora.core.models import Job
from kontora.directories.models import ClientFlag, ClientStatus
from tests.clients.factories import client_named
from tests.clients.support import FLAGGED_SPEC, card_submit, counter_text, registry_walk, two_towns
from tests.clients.support import registry_names as names
from tests.support.http import signed_in
from tests.support.queries import count_queries


@pytest.mark.feature("REG-01")
def test_registry_shows_own_clients_in_own_mode_and_all_in_full_mode(two_managers, admin_user):
    # given
    first, second = two_managers
    client_named("Альфа", curator=first)
    client_named("Бета", curator=second)
    client_named("Гамма тайная", curator=second, private=True)
    # when
    own = signed_in(first).get("/").content.decode()
    full = signed_in(admin_user).get("/").content.decode()
    curator = signed_in(second).get("/").content.decode()
    # then
    assert names(own) == ["Альфа"]
    assert names(full) == ["Альфа", "Бета"]  # a private client of another curator: never, even for an admin
    assert names(curator) == ["Бета", "Гамма тайная"]
    assert counter_text(full) == "2 из 2"


@pytest.mark.feature("REG-01")
def test_registry_row_shows_the_columns(admin_user, manager_user):
    # given
    status = ClientStatus.objects.create(name="Постоянный", name_key="постоянный")
    client_named("Ромашка", curator=manager_user, phone="+7 (495) 111-22-33", status=status, flagged=True,
                 needs_attention=True)
    # when
    html = signed_in(admin_user).get("/").content.decode()
    # then
    assert 'title="Флаг"' in html
    assert '<span class="k-flag k-flag-red" title="Горячий клиент" aria-label="Горячий клиент"' in html
    assert 'title="Требует особого внимания"' in html
    assert "+7 (495) 111-22-33" in html and "Алексей Менеджеров" in html and "Постоянный" in html
    assert 'data-key="Insert"' in html and 'data-key="Ctrl+F"' in html


@pytest.mark.feature("REG-11")
def test_the_registry_page_shows_the_row_values(admin_user: Any) -> None:
    # given
    demo_fill(clients=60, seed=4)
    first = Client.objects.select_related("curator", "settlement", "status").order_by("name_key", "id").first()
    assert first is not None and first.settlement is not None and first.status is not None
    # when
    html = signed_in(admin_user).get("/clients/registry/find/?q=").content.decode()
    # then
    row = html[html.index(f'data-id="{first.pk}"'):].split("</tr>", 1)[0]
    for shown in (first.short_name, first.settlement.name, first.status.name, first.curator.full_name, first.phone):
        assert shown.replace("«", "&laquo;").replace("»", "&raquo;") in row or shown in row, (shown, row)


def _sort_key(row: Client, spec: Any) -> tuple[Any, ...]:
    """The registry's order in Python: an empty curator or status before any other value."""
    return tuple(
        (getattr(row, k) is not None, getattr(row, k) or 0) if k in spec.nullable else getattr(row, k)
        for k in spec.keys
    )


@pytest.mark.feature("REG-11")
@pytest.mark.feature("REG-02")
def test_keyset_pages_have_no_gaps_or_duplicates_in_every_sort(admin_user, two_managers):
    # given: ~300 clients with many equal keys and empty statuses, curators and cities
    rng = random.Random(7)
    statuses = [ClientStatus.objects.create(name=f"С{i}", name_key=f"с{i}") for i in range(3)]
    towns = two_towns()
    curators = [*two_managers, None]
    for _i in range(300):
        client_named(f"Фирма {rng.randint(1, 40)}", curator=rng.choice(curators),
                     status=rng.choice([*statuses, None]), settlement=rng.choice([None, *towns]))
    client = signed_in(admin_user)
    rows = {c.pk: c for c in Client.objects.all()}
    expected = set(rows)
    for column, spec in SORTS.items():
        for sort in (column, f"-{column}"):
            # when
            ids = registry_walk(client, sort)
            # then
            assert len(ids) == len(set(ids)) == 300, sort
            assert set(ids) == expected, sort
            assert ids == sorted(ids, key=lambda pk: _sort_key(rows[pk], spec), reverse=sort.startswith("-")), sort


@pytest.mark.feature("REG-11")
def test_query_count_per_page_is_constant_and_nothing_counts_the_whole_table(admin_user, django_assert_max_num_queries):
    # given
    for i in range(120):
        client_named(f"Клиент {i:03d}", curator=admin_user)
    client = signed_in(admin_user)
    first = client.get("/")  # warm the session and the caches of the main window
    after = re.findall(r'data-row data-id="(\d+)"', first.content.decode())[-1]
    # when
    with count_queries() as captured:
        client.get("/")
    with django_assert_max_num_queries(8):  # 6, and the heavy-request slot taken and freed (core.budget)
        client.get(f"/clients/registry/rows/?sort=name&after={after}")
    # then
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 10001" in sql for sql in counts)


@pytest.mark.feature("REG-11")
def test_the_main_window_and_the_rows_page_read_as_many_queries_for_fifty_rows_as_for_ten(admin_user, manager_user):
    # given: ten clients with a curator, a status and a city each
    status = ClientStatus.objects.create(name="Постоянный", name_key="постоянный")
    town = two_towns()[0]

    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            client_named(f"Клиент {i:03d}", curator=manager_user, status=status, settlement=town, phone="8 800")

    add(10, 0)
    client = signed_in(admin_user)
    client.get("/")  # the first request after signing in writes (session, last seen)
    first = Client.objects.order_by("name_key", "id").first()
    assert first is not None

    def measure() -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        with count_queries() as home:
            shown = names(client.get("/").content.decode())
        with count_queries() as rows:
            following = names(client.get(f"/clients/registry/rows/?sort=name&after={first.pk}").content.decode())
        with count_queries() as find:
            found = names(client.get("/clients/registry/find/", {"q": "клиент"}).content.decode())
        return (len(home), len(rows), len(find)), (len(shown), len(following), len(found))

    few_queries, few_rows = measure()
    # when forty more clients fill the page to its fifty rows
    add(40, 10)
    many_queries, many_rows = measure()
    # then
    assert (few_rows, many_rows) == ((10, 9, 10), (50, 49, 50))
    assert many_queries == few_queries


@pytest.mark.feature("REG-11")
def test_count_is_capped_at_ten_thousand(admin_user, monkeypatch):
    # given
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    for i in range(7):
        client_named(f"Клиент {i}", curator=admin_user)
    # when
    html = signed_in(admin_user).get("/").content.decode()
    # then
    assert counter_text(html) == "7 из 5+ сосчитать точно"  # the seven rows loaded, of a count capped at five


@pytest.mark.feature("REG-02")
@pytest.mark.feature("REG-03")
def test_temporary_sort_lasts_until_next_login_and_the_default_applies(admin_user):
    # given
    client_named("Альфа", curator=admin_user)
    client_named("Бета", curator=admin_user)
    client = signed_in(admin_user)
    # when: a click on the Name header turns the order over
    client.get("/?sort=-name")
    # then: it lasts while the session lasts
    assert names(client.get("/").content.decode()) == ["Бета", "Альфа"]
    # and a new sign-in starts from the default sort again
    assert names(signed_in(admin_user).get("/").content.decode()) == ["Альфа", "Бета"]


@pytest.mark.feature("REG-03")
def test_default_sort_saved_in_parameters_applies_at_once(admin_user):
    # given
    client_named("Альфа", curator=admin_user)
    client_named("Бета", curator=admin_user)
    client = signed_in(admin_user)
    client.get("/?sort=name")
    form = client.get("/settings/parameters/").content.decode()
    assert "Сортировка" in form
    # when
    response = client.post("/settings/parameters/", {
        "language": "ru", "informer_at_start": "on", "sorting-default_sort": "-code", "tab": "sorting",
    })
    # then
    assert response.status_code == 302
    assert names(client.get("/").content.decode()) == ["Бета", "Альфа"]
    assert names(signed_in(admin_user).get("/").content.decode()) == ["Бета", "Альфа"]


@pytest.mark.feature("REG-07")
def test_quick_find_jumps_to_the_best_match_ignoring_case_and_yo(admin_user):
    # given
    for name in ["Арбуз", "Ёлка", "Ель", "Лес", "ЕЛКИ-ПАЛКИ"]:
        client_named(name, curator=admin_user)
    client = signed_in(admin_user)
    client.get("/?sort=-changed")
    # when
    html = client.get("/clients/registry/find/", {"q": "елк"}, HTTP_HX_REQUEST="true").content.decode()
    upper = client.get("/clients/registry/find/", {"q": "ЛЕ"}, HTTP_HX_REQUEST="true").content.decode()
    # then: name order from the match on, the match under the cursor
    assert names(html) == ["Ёлка", "ЕЛКИ-ПАЛКИ", "Ель", "Лес"]
    assert re.search(r'class=" k-focus"[^>]*>\s*(?:<td[^>]*>.*?</td>\s*){3}<td[^>]*data-testid="registry-name">Ёлка<',
                     html, re.S)
    assert names(upper) == ["Лес"]


@pytest.mark.feature("REG-07")
def test_quick_find_never_shows_clients_the_user_does_not_see(two_managers):
    # given
    first, second = two_managers
    client_named("Ёлка своя", curator=first)
    client_named("Ёлка чужая", curator=second)
    # when
    html = signed_in(first).get("/clients/registry/find/", {"q": "ёлка"}).content.decode()
    # then
    assert names(html) == ["Ёлка своя"]


@pytest.mark.feature("REG-09")
def test_marks_persist_across_pages_and_are_cleared(admin_user):
    # given
    clients = [client_named(f"Клиент {i:03d}", curator=admin_user) for i in range(60)]
    client = signed_in(admin_user)
    # when: one row marked on the first page, one on the second
    client.post("/clients/registry/mark/", {"id": clients[0].pk, "marked": "true"})
    answer = client.post("/clients/registry/mark/", {"id": clients[55].pk, "marked": "true"}).content.decode()
    # then
    assert "Отмечено: 2" in answer
    first = client.get("/").content.decode()
    assert f'data-row data-id="{clients[0].pk}" data-href="/clients/{clients[0].pk}/" class="k-marked"' in first
    second = client.get(f"/clients/registry/rows/?sort=name&after={clients[49].pk}").content.decode()
    assert f'data-id="{clients[55].pk}" data-href="/clients/{clients[55].pk}/" class="k-marked"' in second
    # when: unmark one, then clear
    assert "Отмечено: 1" in client.post(
        "/clients/registry/mark/", {"id": clients[0].pk, "marked": "false"}).content.decode()
    assert "Отмечено: 0" in client.post("/clients/registry/marks/clear/").content.decode()
    assert 'class="k-marked"' not in client.get("/").content.decode()


@pytest.mark.feature("REG-09")
def test_a_client_the_user_does_not_see_cannot_be_marked(two_managers):
    # given
    first, second = two_managers
    foreign = client_named("Чужой", curator=second)
    # when
    answer = signed_in(first).post("/clients/registry/mark/", {"id": foreign.pk, "marked": "true"})
    # then
    assert "Отмечено: 0" in answer.content.decode()


def test_registry_pages_need_sign_in(admin_user):
    # when
    response = HttpClient().get("/clients/registry/rows/?after=1")
    # then
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.feature("REG-07")
def test_a_ctrl_f_page_offers_the_rows_above_the_match_and_the_view_serves_them(admin_user):
    for i in range(70):
        client_named(f"Клиент {i:03d}")
    browser = signed_in(admin_user)
    found = browser.get("/clients/registry/find/", {"q": "клиент 060"}).content.decode()
    assert names(found)[0] == "Клиент 060"
    url = re.search(r'hx-get="([^"]*before=\d+)"', found)
    assert url is not None and "Показать предыдущие" in found
    earlier = browser.get(url.group(1).replace("&amp;", "&")).content.decode()
    assert names(earlier) == [f"Клиент {i:03d}" for i in range(10, 60)]
    assert "before=" in earlier  # ten more above
    # the top of the list offers nothing earlier
    assert "before=" not in browser.get("/clients/registry/find/", {"q": "клиент 000"}).content.decode()
    assert browser.get("/clients/registry/rows/").status_code == 400


@pytest.mark.feature("REG-01")
@pytest.mark.feature("CLI-13")
def test_registry_rows_show_each_clients_named_flag_in_its_colour(admin_user):
    # given the manual's flags and clients carrying them, and one without
    hot, blue = ClientFlag.objects.get(name="Горячий клиент"), ClientFlag.objects.get(name="Синий флаг")
    client_named("Альфа", curator=admin_user, flag=hot)
    client_named("Бета", curator=admin_user, flag=blue)
    client_named("Гамма", curator=admin_user)
    # when
    page = signed_in(admin_user).get("/").content.decode()
    # then each row shows its own flag's colour and name, and the unflagged row none
    flags = re.findall(r'<span class="k-flag k-flag-(\w+)" title="([^"]+)"', page)
    assert flags == [("red", "Горячий клиент"), ("blue", "Синий флаг")]


def _focused(html: str) -> list[str]:
    return re.findall(r'data-row data-id="(\d+)" data-href="[^"]*" class="[^"]*k-focus', html)


@pytest.mark.feature("REG-01")
@pytest.mark.feature("CLI-01")
def test_ok_on_a_card_leads_back_to_its_row_drawn_anew_in_the_sessions_sort(admin_user):
    # given a registry sorted by code, descending, and a client deep in it
    clients = [client_named(f"Клиент {i:03d}", curator=admin_user) for i in range(130)]
    target = clients[40]  # the 90th row from the top in this order
    browser = signed_in(admin_user)
    browser.get("/?sort=-code")
    # when the card's OK saves a new name
    response = card_submit(browser, target, {"short_name": "Клиент переименованный"}, ok=True)
    # then the main window comes back on the client's row, with the new name, among the rows around it
    assert response.status_code == 302 and response["Location"] == f"/?focus={target.pk}"
    page = browser.get(response["Location"]).content.decode()
    shown = names(page)
    assert _focused(page) == [str(target.pk)]
    assert "Клиент переименованный" in shown and "Клиент 040" not in shown
    assert shown[0] == "Клиент 090" and shown[-1] == "Клиент 000"  # 50 rows above it, 40 below: in code order
    assert 'data-k-more="prev"' in page and 'data-k-more="next"' not in page
    assert counter_text(page) == "91 из 130"  # the rows loaded, of all
    # and the card's Close (Esc) leads there too; without a focus the main window starts at the top
    assert f'href="/?focus={target.pk}" data-key="Escape"' in browser.get(f"/clients/{target.pk}/").content.decode()
    assert names(browser.get("/").content.decode())[0] == "Клиент 129" and counter_text(
        browser.get("/").content.decode()) == "50 из 130"


@pytest.mark.feature("REG-07")
def test_back_from_a_card_opened_from_ctrl_f_the_found_rows_come_again_around_it(admin_user, two_managers):
    # given
    for i in range(70):
        client_named(f"Клиент {i:03d}", curator=admin_user)
    other = client_named("Клиент 050 чужой", curator=two_managers[0], private=True)
    browser = signed_in(admin_user)
    target = Client.objects.get(short_name="Клиент 030")
    # when the registry asks for the quick find's rows again around the client whose card was open
    page = browser.get("/clients/registry/find/", {"q": "клиент 06", "focus": target.pk}).content.decode()
    # then: name order around it, the cursor on it, the header's arrow on the name
    assert names(page)[:2] == ["Клиент 000", "Клиент 001"] and names(page)[-1] == "Клиент 069"
    assert _focused(page) == [str(target.pk)] and 'aria-sort="ascending"' in page
    # and without a search (the browser's Back from the card) the rows around it in the session's sort
    rows = browser.get("/clients/registry/rows/", {"around": target.pk}).content.decode()
    assert names(rows)[0] == "Клиент 000" and _focused(rows) == [str(target.pk)] and "before=" not in rows
    # and a client the user does not see is never a focus: the match is found as without one
    hidden = browser.get("/clients/registry/find/", {"q": "клиент 06", "focus": other.pk}).content.decode()
    assert names(hidden)[0] == "Клиент 060" and "чужой" not in hidden


@pytest.mark.feature("REG-11")
def test_the_main_window_around_a_client_reads_as_many_queries_for_a_hundred_rows_as_for_ten(admin_user):
    # given
    few = [client_named(f"Клиент {i:03d}", curator=admin_user) for i in range(10)]
    browser = signed_in(admin_user)
    browser.get("/")  # the first request after signing in writes (session, last seen)

    def measure(focus: int) -> tuple[int, int]:
        with count_queries() as captured:
            shown = names(browser.get(f"/?focus={focus}").content.decode())
        return len(captured.captured_queries), len(shown)

    queries_few, rows_few = measure(few[5].pk)
    # when
    more = [client_named(f"Клиент {i:03d}", curator=admin_user) for i in range(10, 130)]
    queries_many, rows_many = measure(more[60].pk)
    # then
    assert (rows_few, rows_many) == (10, 101)
    assert queries_many == queries_few


@pytest.mark.feature("REG-11")
def test_count_exactly_counts_past_the_cap_in_a_job_under_the_filter(
    admin_user, manager_user, monkeypatch, django_capture_on_commit_callbacks,
):
    # given more clients than the (lowered) cap, half of them flagged
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    for i in range(12):
        client_named(f"Клиент {i:02d}", curator=admin_user, flagged=i % 2 == 0)
    browser = signed_in(admin_user)
    page = browser.get("/").content.decode()
    assert counter_text(page) == "12 из 5+ сосчитать точно"  # the rows loaded, of a capped count
    # when "count exactly" is pressed: the job is queued, and runs once the request's work is committed
    with django_capture_on_commit_callbacks(execute=True):
        answer = browser.post("/clients/registry/count/").content.decode()
    job = Job.objects.get(kind="clients_registry_count")
    # then the counter polls the job, which has counted every client
    assert f'hx-get="/clients/registry/count/{job.pk}/" hx-trigger="every 1s"' in answer and "идёт подсчёт" in answer
    assert (job.created_by, job.result["count"]) == (admin_user, 12)
    polled = browser.get(f"/clients/registry/count/{job.pk}/").content.decode()
    assert 'data-testid="registry-exact-total">всего: 12<' in polled and "every 1s" not in polled
    # and under a Flexi-filter the job counts what the filter leaves
    browser.post("/clients/filter/apply/", {"spec": json.dumps(FLAGGED_SPEC)})
    with django_capture_on_commit_callbacks(execute=True):
        browser.post("/clients/registry/count/")
    flagged = Job.objects.filter(kind="clients_registry_count").latest("pk")
    assert 'всего: 6<' in browser.get(f"/clients/registry/count/{flagged.pk}/").content.decode()
    # and nobody else may read a count: it tells how many clients its author sees
    assert signed_in(manager_user).get(f"/clients/registry/count/{job.pk}/").status_code == 404


@pytest.mark.feature("REG-02")
def test_the_phone_header_sorts_by_phone_and_the_next_page_continues_in_that_order(admin_user):
    # given: more clients than a page, their phones in the reverse of their names
    for i in range(selectors.PAGE_SIZE + 5):
        client_named(f"Фирма {i:02d}", curator=admin_user, phone=f"+7 (495) 100-{999 - i:03d}")
    client = signed_in(admin_user)
    # when
    home = client.get("/").content.decode()
    # then: the phone header is a sort link, like the other sortable columns
    assert 'href="/?sort=phone" data-testid="registry-sort-phone"' in home
    assert names(home)[0] == "Фирма 00"
    # when: sorted by phone and walked page by page
    ids = registry_walk(client, "phone")
    # then
    by_phone = list(Client.objects.order_by("phone_digits", "id").values_list("pk", flat=True))
    assert ids == by_phone and len(ids) == selectors.PAGE_SIZE + 5
    assert names(client.get("/?sort=phone").content.decode())[:2] == ["Фирма 54", "Фирма 53"]
