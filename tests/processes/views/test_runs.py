"""The process journal, «Запустить процесс» and the process monitor (BPM-02, BPM-03, CLI-13)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from kontora.accounts.models import ClientScope, Role
from kontora.clients.models import Client, ClientGrant
from kontora.processes.models import Process, ProcessRun, StageState
from kontora.processes.services import runs as services
from kontora.processes.services import setup as designer
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import EXPECTED, MODES, RELATIONS, ROLES, grant_right, make_private
from tests.processes.factories import ProcessRunFactory, StageFactory
from tests.support.http import signed_in
from tests.support.queries import assert_flat_queries, count_queries

JOURNAL_ROW = re.compile(r'<tr data-row data-id="(\d+)"')
MONITOR_ROW = re.compile(r'data-testid="monitor-run" data-id="(\d+)"')
MORE = re.compile(r'<tr class="k-journal-more" hx-get="([^"]+)"')


def _scheme(admin: Any, responsible: Any, name: str = "Согласование") -> Process:
    """A two-stage scheme whose start stage is `responsible`'s."""
    process = designer.process_save(acting_user=admin, name=name)
    first = designer.stage_save(acting_user=admin, process=process, name="Проверка", is_start=True,
                                responsible=responsible)
    end = designer.stage_save(acting_user=admin, process=process, name="Конец", is_end=True)
    designer.result_save(acting_user=admin, stage=first, name="Готово", next_stage=end)
    return process


def _journal_ids(http: Any, query: str = "") -> list[int]:
    """The ids of the journal's rows, through every "show more" page."""
    page = http.get(f"/processes/{query}").content.decode()
    ids = [int(pk) for pk in JOURNAL_ROW.findall(page)]
    more = MORE.search(page)
    while more:
        page = http.get(html.unescape(more.group(1)), HTTP_HX_REQUEST="true").content.decode()
        ids += [int(pk) for pk in JOURNAL_ROW.findall(page)]
        more = MORE.search(page)
    return ids


@pytest.mark.feature("BPM-02")
def test_manager_starts_a_process_from_the_journal(claim, manager_user, manager_client):
    # given the manual's scheme and the manager's client
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)
    journal = manager_client.get("/processes/").content.decode()
    assert "Журнал процессов" in journal and 'data-testid="journal-start"' in journal
    assert 'href="/processes/start/" data-key="Insert"' in journal
    form = manager_client.get("/processes/start/").content.decode()
    assert "Обработка рекламации" in form and 'data-testid="picker-client"' in form

    # when he starts it with the client and the essence of the claim
    response = manager_client.post("/processes/start/", {
        "process": claim["process"].pk, "client": client.pk, "note": "Брак в партии",
    })

    # then the run stands on the start stage and the journal opens with it focused
    run = ProcessRun.objects.get()
    assert (run.client, run.note, run.stage, run.started_by) == (client, "Брак в партии", claim["stages"][0],
                                                                  manager_user)
    assert response.status_code == 302 and response["Location"] == f"/processes/?focus={run.pk}"
    page = manager_client.get(response["Location"]).content.decode()
    row = re.search(rf'<tr data-row data-id="{run.pk}"[^>]*>', page)
    assert row is not None
    assert f'data-href="/processes/{run.pk}/"' in row.group(0) and "k-focus" in row.group(0)
    # the start stage is the manager's own: the row is orange
    assert "k-process-mine" in row.group(0)
    assert f"Процесс «Обработка рекламации» № {run.pk} запущен." in page
    assert f'href="/clients/{client.pk}/" data-testid="journal-client-link">ООО Ромашка<' in page


@pytest.mark.feature("BPM-02")
def test_start_errors_are_shown_next_to_their_fields_and_nothing_starts(claim, manager_user):
    # given a manager who sees every client in the list but opens only his own ones
    manager_user.client_scope = ClientScope.LIST_ALL
    manager_user.save(update_fields=["client_scope"])
    http = signed_in(manager_user)
    other = UserFactory(login="other", client_scope=ClientScope.FULL)
    foreign = ClientFactory(short_name="Чужой Клиент", curator=other)
    private = ClientFactory(short_name="Тайный Клиент", curator=other, private=True)

    def errors(data: dict[str, Any]) -> dict[str, list[str]]:
        page = http.post("/processes/start/", data).content.decode()
        found: dict[str, list[str]] = {}
        for field, text in re.findall(r'data-testid="error-(\w+)">([^<]*)<', page):
            found.setdefault(field, []).append(html.unescape(text))
        return found

    # when no process is chosen
    assert errors({"note": "x"}) == {"process": ["Выберите процесс для запуска."]}
    # when the client is seen in the list, but his card is not the manager's to open
    assert errors({"process": claim["process"].pk, "client": foreign.pk}) == {
        "client": ["Вам недоступна карточка этого клиента, поэтому запустить процесс по нему нельзя."]}
    # when the id of another curator's private client is forged into the form
    assert errors({"process": claim["process"].pk, "client": private.pk}) == {
        "client": ["Выберите корректный вариант. Вашего варианта нет среди допустимых значений."]}
    # then nothing was started
    assert not ProcessRun.objects.exists()


@pytest.mark.feature("CLI-13")
@pytest.mark.feature("BPM-02")
def test_the_cards_button_starts_a_process_about_that_client(claim, manager_user, manager_client):
    # given the manager's card
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)
    other = ClientFactory(short_name="ООО Другая", curator=manager_user)
    card = manager_client.get(f"/clients/{client.pk}/").content.decode()
    button = re.search(r'<a [^>]*data-testid="card-action-start_process">([^<]*)</a>', card)
    assert button is not None and button.group(1) == "Запустить процесс"
    assert f'href="/processes/start/?client={client.pk}"' in button.group(0)

    # when the button opens the form: the client is the card's, fixed
    form = manager_client.get(f"/processes/start/?client={client.pk}").content.decode()
    assert f'data-testid="start-client-locked">{client.code} · ООО Ромашка<' in form
    assert 'data-testid="picker-client"' not in form
    # and the form is sent (with another client's id slipped in: the card's client wins)
    response = manager_client.post(f"/processes/start/?client={client.pk}", {
        "process": claim["process"].pk, "client": other.pk, "note": "Из карточки",
    })

    # then the run is about the card's client and the user is back on the card
    run = ProcessRun.objects.get()
    assert (run.client, run.note) == (client, "Из карточки")
    assert response.status_code == 302 and response["Location"] == f"/clients/{client.pk}/"
    card = manager_client.get(response["Location"]).content.decode()
    assert f"Процесс «Обработка рекламации» № {run.pk} запущен." in card
    # the client's journal lists it
    assert _journal_ids(manager_client, f"?client={client.pk}") == [run.pk]
    assert _journal_ids(manager_client, f"?client={other.pk}") == []


@pytest.mark.feature("CLI-13")
def test_the_cards_button_is_shown_only_when_a_process_can_be_started(admin_user, manager_user, manager_client):
    # given the manager's client and no process set up
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)

    def has_button(path: str) -> bool:
        return 'data-testid="card-action-start_process"' in manager_client.get(path).content.decode()

    # then neither his card nor a new card shows the button
    assert not has_button(f"/clients/{client.pk}/")
    # when a complete process exists, but only half of another one
    _scheme(admin_user, manager_user)
    half = designer.process_save(acting_user=admin_user, name="Черновик")
    designer.stage_save(acting_user=admin_user, process=half, name="Начало", is_start=True, responsible=manager_user)
    # then the saved card shows it, a card not yet saved does not
    assert has_button(f"/clients/{client.pk}/")
    assert not has_button("/clients/new/")
    # and the form offers processes that have a start stage (the service names what is missing in the others)
    form = manager_client.get("/processes/start/").content.decode()
    assert "Согласование" in form
    # a client the manager does not see cannot be put into the form by its URL
    hidden = ClientFactory(short_name="Чужой", curator=admin_user)
    assert manager_client.get(f"/processes/start/?client={hidden.pk}").status_code == 404


@pytest.mark.feature("BPM-03")
def test_the_monitor_lists_exactly_the_users_open_runs(admin_user, manager_user, manager_client):
    # given runs on the manager's stage, on another's stage, and a closed one of the manager's
    other = UserFactory(login="other", full_name="Другой Сотрудник", client_scope=ClientScope.FULL)
    mine_process = _scheme(admin_user, manager_user, "Мой процесс")
    other_process = _scheme(admin_user, other, "Чужой процесс")
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)
    mine = services.run_start(acting_user=admin_user, process=mine_process, client=client, note="a")
    others = services.run_start(acting_user=admin_user, process=other_process, client=client, note="b")
    closed = services.run_start(acting_user=admin_user, process=mine_process, note="c")
    result = closed.stage.results.get()
    services.run_progress(acting_user=manager_user, run_id=closed.pk, seen_stage_id=closed.stage_id,
                          state=StageState.DONE, result=result)

    # when the main window and its monitor are loaded
    home = manager_client.get("/").content.decode()
    monitor = manager_client.get("/processes/monitor/").content.decode()

    # then the Assistant polls the monitor, which lists only the open run on his stage, orange, linking to it
    assert 'hx-get="/processes/monitor/" hx-trigger="load, every 60s"' in home
    assert [int(pk) for pk in MONITOR_ROW.findall(monitor)] == [mine.pk]
    assert 'class="k-process-mine' in monitor and f'href="/processes/{mine.pk}/"' in monitor
    assert "Мой процесс № " in monitor and "Проверка" in monitor and "ООО Ромашка" in monitor
    # and the other user's monitor has his run only
    other_monitor = signed_in(other).get("/processes/monitor/").content.decode()
    assert [int(pk) for pk in MONITOR_ROW.findall(other_monitor)] == [others.pk]
    # and when the manager completes his stage, his monitor says there is nothing for him
    services.run_progress(acting_user=manager_user, run_id=mine.pk, seen_stage_id=mine.stage_id,
                          state=StageState.DONE, result=mine.stage.results.get())
    empty = manager_client.get("/processes/monitor/").content.decode()
    assert MONITOR_ROW.findall(empty) == [] and "Нет процессов на ваших этапах" in empty


@pytest.mark.feature("BPM-02")
def test_journal_shows_closed_on_demand_and_highlights_the_users_stages(admin_user, manager_user, manager_client):
    # given an open run on the manager's stage and a closed one
    process = _scheme(admin_user, manager_user)
    open_run = services.run_start(acting_user=admin_user, process=process)
    closed = services.run_start(acting_user=admin_user, process=process)
    services.run_progress(acting_user=manager_user, run_id=closed.pk, seen_stage_id=closed.stage_id,
                          state=StageState.DONE, result=closed.stage.results.get())
    # then the journal shows both by default, newest first, only the open one in orange
    page = manager_client.get("/processes/").content.decode()
    assert [int(pk) for pk in JOURNAL_ROW.findall(page)] == [closed.pk, open_run.pk]
    assert 'id="journal-closed" checked' in page
    rows = dict(re.findall(r'<tr data-row data-id="(\d+)"[^>]*class="([^"]*)"', page))
    assert "k-process-mine" in rows[str(open_run.pk)] and "k-process-mine" not in rows[str(closed.pk)]
    # when «Показывать закрытые» is switched off
    assert _journal_ids(manager_client, "?closed=0") == [open_run.pk]


@pytest.mark.feature("BPM-02")
def test_journal_pages_by_fifty_and_its_queries_do_not_grow_with_the_rows(admin_user, manager_user, manager_client):
    # given many runs about several clients
    process = _scheme(admin_user, manager_user)
    clients = [ClientFactory(short_name=f"Клиент {n}", curator=manager_user) for n in range(3)]

    def queries() -> int:
        with count_queries() as captured:
            assert manager_client.get("/processes/").status_code == 200
        return len(captured)

    for n in range(3):
        services.run_start(acting_user=admin_user, process=process, client=clients[n % 3])
    queries()  # the first request warms the per-process caches (settings, menu)
    few = queries()
    for n in range(52):
        services.run_start(acting_user=admin_user, process=process, client=clients[n % 3])
    many = queries()
    # then the page costs the same number of queries for 3 rows as for 50
    assert few == many
    # and it shows 50 rows, then "show more" brings the other 5, with no further "more"
    page = manager_client.get("/processes/").content.decode()
    first = [int(pk) for pk in JOURNAL_ROW.findall(page)]
    assert len(first) == 50
    more = MORE.search(page)
    assert more is not None
    rest_page = manager_client.get(html.unescape(more.group(1)), HTTP_HX_REQUEST="true").content.decode()
    rest = [int(pk) for pk in JOURNAL_ROW.findall(rest_page)]
    assert len(rest) == 5 and MORE.search(rest_page) is None
    assert first + rest == list(ProcessRun.objects.order_by("-started_at", "-id").values_list("pk", flat=True))


def _matrix() -> tuple[list[tuple[Any, dict[str, Client], dict[str, ProcessRun]]], Any]:
    """Sixteen users (roles × modes), each with a client of every relation and a run about each, on his stage."""
    admin = UserFactory(login="designer", role=Role.ADMIN, client_scope=ClientScope.FULL)
    stranger = UserFactory(login="stranger", full_name="Посторонний Куратор", client_scope=ClientScope.FULL)
    subjects = []
    for r, role in enumerate(ROLES):
        for m, mode in enumerate(MODES):
            number = r * len(MODES) + m + 1
            user = UserFactory(login=f"p{number:02d}", full_name=f"Проверяемый {number:02d}", role=role,
                               client_scope=mode)
            process = _scheme(admin, user, f"Процесс p{number:02d}")
            clients: dict[str, Client] = {}
            runs: dict[str, ProcessRun] = {}
            for relation in RELATIONS:
                own_curator = relation in ("curator", "private_own")
                client = ClientFactory(
                    short_name=f"Процессы p{number:02d} {relation}", curator=user if own_curator else stranger,
                    specialist=user if relation in ("specialist", "private_other_spec") else None,
                )
                if relation in ("granted", "granted_view"):
                    ClientGrant.objects.create(client=client, user=user, can_edit=relation == "granted")
                # started by the client's curator, who may always open the card; a private client is made so
                # after the run stands on the user's stage (a run cannot be started onto a stage whose
                # responsible does not see the client, F19, but the curator may mark it private later)
                runs[relation] = services.run_start(acting_user=client.curator, process=process, client=client)
                clients[relation] = make_private(client) if relation.startswith("private") else client
            subjects.append((user, clients, runs))
    return subjects, admin


@pytest.mark.feature("BPM-02", "BPM-03", "ACL-01", "ACL-03")
@pytest.mark.django_db
def test_journal_and_monitor_let_out_exactly_the_runs_the_user_may_see() -> None:
    # given sixteen users (four roles × four working modes), each with a run about a client of every relation
    subjects, _ = _matrix()
    mismatches: list[str] = []

    # when each user looks at the journal (all pages) and his monitor
    for user, clients, runs in subjects:
        http = signed_in(user)
        journal = set(_journal_ids(http))
        monitor = {int(pk) for pk in MONITOR_ROW.findall(http.get("/processes/monitor/").content.decode())}
        mode_column = MODES.index(ClientScope(user.client_scope))
        for relation in clients:
            client = clients[relation]
            # Every run stands on his stage: he sees it as he sees the client, or as its responsible — except
            # when the client is someone else's private one.
            others_private = client.is_private and client.curator_id != user.pk
            seen = "v" in EXPECTED[relation][mode_column] or not others_private
            run = runs[relation]
            for exit_name, got in (("journal", run.pk in journal), ("monitor", run.pk in monitor)):
                if got != seen:
                    mismatches.append(f"{user.role}/{user.client_scope} × {relation} × {exit_name}: got {got}")
            status = http.get(f"/processes/?client={clients[relation].pk}").status_code
            if status != 200:
                mismatches.append(f"{user.login} × {relation}: client journal {status}")

    # then nothing differs from the rules: a private client's run stays hidden from administrators, even when
    # the run is on their stage
    assert mismatches == []


@pytest.mark.feature("BPM-03")
def test_the_monitors_queries_do_not_grow_with_its_runs(manager_user, manager_client):
    # given runs on the manager's stages, each about another client of his
    def runs(count: int) -> None:
        for _ in range(count):
            stage = StageFactory(responsible=manager_user)
            ProcessRunFactory(stage=stage, client=ClientFactory(curator=manager_user))

    def monitor() -> tuple[int, int]:
        with count_queries() as captured:
            page = manager_client.get("/processes/monitor/").content.decode()
        return len(captured), len(MONITOR_ROW.findall(page))

    runs(2)
    monitor()  # the first request warms the per-process caches
    # when
    few = monitor()
    runs(18)
    many = monitor()
    # then the partial costs the same number of queries for 2 runs as for 20
    assert (few[1], many[1]) == (2, 20)
    assert many[0] == few[0]


@pytest.mark.feature("CLI-13")
@pytest.mark.feature("BPM-02")
def test_a_read_only_card_does_not_offer_to_start_a_process_and_the_start_is_refused(claim, admin_user,
                                                                                     manager_user, manager_client):
    # given a client of another curator whose card the manager may open but not change, and his own client
    other = UserFactory(login="other", client_scope=ClientScope.FULL)
    viewed = ClientFactory(short_name="ООО Просмотр", curator=other)
    ClientGrant.objects.create(client=viewed, user=manager_user, can_edit=False)
    own = ClientFactory(short_name="ООО Своя", curator=manager_user)
    # when he opens both cards
    viewed_card = manager_client.get(f"/clients/{viewed.pk}/").content.decode()
    own_card = manager_client.get(f"/clients/{own.pk}/").content.decode()
    # then only his editable card offers «Запустить процесс»
    assert 'data-testid="card-read-only"' in viewed_card
    assert 'data-testid="card-action-start_process"' not in viewed_card
    assert 'data-testid="card-action-start_process"' in own_card
    # and the start form posted about the read-only client is refused next to the client, nothing started
    page = manager_client.post(f"/processes/start/?client={viewed.pk}", {
        "process": claim["process"].pk, "note": "x"}).content.decode()
    assert ("Карточка этого клиента доступна вам только для просмотра, поэтому запустить процесс по нему нельзя."
            in html.unescape(page))
    assert not ProcessRun.objects.exists()


CARD_RUN = re.compile(r'<tr data-row data-id="(\d+)"[^>]*data-testid="card-run"')


@pytest.mark.feature("CLI-14")
@pytest.mark.feature("BPM-02")
def test_the_card_lists_the_processes_run_about_its_client(claim, admin_user, manager_user, manager_client):
    # given two runs about the manager's client and one about another client
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)
    other = ClientFactory(short_name="ООО Другая", curator=manager_user)
    first = services.run_start(acting_user=manager_user, process=claim["process"], client=client, note="a")
    second = services.run_start(acting_user=manager_user, process=claim["process"], client=client, note="b")
    services.run_start(acting_user=manager_user, process=claim["process"], client=other, note="c")
    # when the card is opened and its «Процессы» tab shown
    card = manager_client.get(f"/clients/{client.pk}/").content.decode()
    pane = manager_client.get(f"/processes/client/{client.pk}/", HTTP_HX_REQUEST="true").content.decode()
    # then the tab is on the card and lists this client's runs, newest first, each linking to its run
    assert 'data-testid="tab-processes">Процессы</button>' in card
    assert f'hx-get="/processes/client/{client.pk}/"' in card
    assert [int(pk) for pk in CARD_RUN.findall(pane)] == [second.pk, first.pk]
    assert f'href="/processes/{second.pk}/"' in pane and "Получена рекламация" in pane
    assert f'href="/processes/?client={client.pk}"' in pane
    # a client with none says so
    empty = manager_client.get(f"/processes/client/{ClientFactory(curator=manager_user).pk}/").content.decode()
    assert "По этому клиенту процессы не запускались." in empty
    # and a client whose card the manager may not open answers as the card does: 404
    hidden = ClientFactory(curator=admin_user)
    services.run_start(acting_user=admin_user, process=_scheme(admin_user, admin_user, "Чужой"), client=hidden)
    assert manager_client.get(f"/processes/client/{hidden.pk}/").status_code == 404


@pytest.mark.feature("CLI-14")
def test_the_cards_process_journal_reads_in_queries_that_do_not_grow_with_its_rows(manager_user, manager_client):
    # given the manager's client
    client = ClientFactory(curator=manager_user)

    def add(number: int) -> None:
        ProcessRunFactory(stage=StageFactory(responsible=manager_user), client=client,
                          started_by=manager_user if number % 2 else UserFactory())

    # then 20 runs cost the queries of one
    page = assert_flat_queries(
        lambda: manager_client.get(f"/processes/client/{client.pk}/").content.decode(), add, rows=20)
    assert len(CARD_RUN.findall(page)) == 20


def _menu_items(page: str) -> list[tuple[str, str]]:
    """The (link, label) pairs of the main menu's «Процессы» section."""
    section = re.search(r'data-menu="processes".*?</ul>', page, flags=re.S)
    assert section is not None
    return [(html.unescape(href), label.strip()) for href, label in
            re.findall(r'<a class="dropdown-item[^"]*" href="([^"]+)"[^>]*><span>([^<]+)</span>', section.group(0))]


@pytest.mark.feature("BPM-02", "ACC-03", "ACC-05")
def test_the_journal_as_supervisor_manager_and_administrator(employees_runs, supervisor_user, manager_user,
                                                            admin_user):
    runs = employees_runs["runs"]
    # when the supervisor (own clients only) opens the process journal
    page = signed_in(supervisor_user).get("/processes/").content.decode()
    # then it lists all employees' runs he may see, says how many rows client access hides, and shows nothing of them
    assert [int(pk) for pk in JOURNAL_ROW.findall(page)] == [runs["no_client"].pk]
    assert "Журнал процессов · <span data-testid=\"journal-whose\">все сотрудники</span>" in page
    assert '<p class="small text-body-secondary mt-2 mb-0" data-testid="journal-hidden">2 строки скрыты: клиенты, ' \
           "к которым у вас нет доступа.</p>" in page
    for secret in ("Заметка Иванова", "Клиент Иванова", "Заметка менеджера", "Клиент менеджера", "Личн"):
        assert secret not in page
    # and its filter offers «Все сотрудники» and «Мои процессы»; his own are none
    assert 'data-testid="journal-whose-filter"' in page and "Мои процессы" in page
    mine = signed_in(supervisor_user).get("/processes/?whose=mine").content.decode()
    assert JOURNAL_ROW.findall(mine) == [] and 'data-testid="journal-hidden"' not in mine
    # when the manager opens it, asking for all employees too
    for query in ("", "?whose=all"):
        page = signed_in(manager_user).get(f"/processes/{query}").content.decode()
        # then he sees his own run only, with no choice of employees and nothing said hidden
        assert [int(pk) for pk in JOURNAL_ROW.findall(page)] == [runs["managers"].pk]
        assert 'data-testid="journal-whose-filter"' not in page and 'data-testid="journal-hidden"' not in page
        assert "мои процессы" in page
    # when the administrator opens it: every run but the private client's, nothing hidden (a private client's run is
    # not even counted)
    page = signed_in(admin_user).get("/processes/").content.decode()
    assert [int(pk) for pk in JOURNAL_ROW.findall(page)] == [runs[name].pk for name in ("no_client", "ivanovs",
                                                                                          "managers")]
    assert 'data-testid="journal-hidden"' not in page and "Личн" not in page


@pytest.mark.feature("BPM-02", "ACC-03")
def test_the_hidden_rows_notice_counts_only_what_the_filter_would_list(employees_runs, supervisor_user):
    runs = employees_runs["runs"]
    # given Ivanov's run is closed
    run = runs["ivanovs"]
    services.run_progress(acting_user=employees_runs["ivanov"], run_id=run.pk, seen_stage_id=run.stage_id,
                          state=StageState.DONE, result=run.stage.results.get())
    supervisor = signed_in(supervisor_user)
    # when the supervisor shows open processes only, then only the manager's run is said hidden
    open_only = supervisor.get("/processes/?closed=0").content.decode()
    assert "1 строка скрыта: клиенты, к которым у вас нет доступа." in open_only
    # and with closed ones, both
    assert "2 строки скрыты" in supervisor.get("/processes/").content.decode()


@pytest.mark.feature("ACC-03", "BPM-02")
def test_the_supervisors_and_the_managers_menus_differ_where_their_rights_do(supervisor_user, manager_user,
                                                                           admin_user):
    # when each opens the main window
    menus = {user.login: _menu_items(signed_in(user).get("/").content.decode())
             for user in (supervisor_user, manager_user)}
    # then the supervisor's menu leads to the journal of all employees, the manager's to his own journal
    assert ("/processes/?whose=all", "Журнал процессов всех сотрудников") in menus["super"]
    assert ("/processes/", "Журнал процессов") not in menus["super"]
    assert ("/processes/", "Журнал процессов") in menus["manager"]
    assert all("всех сотрудников" not in label for _href, label in menus["manager"])
    # and the right, not the role, decides: granted to the manager, his menu leads there too
    grant_right(manager_user, "journals_all_users")
    assert ("/processes/?whose=all", "Журнал процессов всех сотрудников") in _menu_items(
        signed_in(manager_user).get("/").content.decode())
