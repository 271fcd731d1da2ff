"""«Ход процесса» through the views (BPM-04, BPM-05): moving a run by its responsibles, errors in place,
who sees and moves what, deleting, the protocol and its print form."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone, translation

from kontora.processes.models import ProcessRun, ProtocolEntry, StageState
from kontora.processes.services import runs as services
from kontora.processes.services import setup as designer
from kontora.processes.views.progress import human_duration
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import make_private
from tests.processes.factories import ProtocolEntryFactory
from tests.support.http import signed_in
from tests.support.queries import count_queries


@pytest.fixture
def run(claim: dict[str, Any], admin_user: Any, manager_user: Any) -> ProcessRun:
    """A run about the manager's client; Ivanov (the later stages) sees the client in the list but cannot open it."""
    ivanov = claim["ivanov"]
    ivanov.client_scope = "list_all"
    ivanov.save(update_fields=["client_scope"])
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)
    return services.run_start(acting_user=admin_user, process=claim["process"], client=client, note="Брак партии")


def _post(client: Any, run: ProcessRun, **data: Any) -> Any:
    data.setdefault("seen_stage_id", ProcessRun.objects.get(pk=run.pk).stage_id)
    data.setdefault("comment", "")
    data.setdefault("result", "")
    return client.post(f"/processes/{run.pk}/", data)


@pytest.mark.feature("BPM-04")
@pytest.mark.feature("BPM-05")
def test_the_manual_scheme_is_walked_through_the_page_and_closes_read_only(claim, run, admin_user, manager_user):
    # given
    got, analysis, memo, end = claim["stages"]
    results = claim["results"]
    manager = signed_in(manager_user)
    # when: the responsible of the start stage opens the run
    page = manager.get(f"/processes/{run.pk}/").content.decode()
    # then: the page in Russian with the client linked, the form offering this stage's results only
    assert f"Ход процесса №{run.pk} · Обработка рекламации" in page
    assert f'href="/clients/{run.client_id}/"' in page
    assert 'data-testid="run-progress-form"' in page
    assert "Рекламация уместна → Анализ рекламации" in page
    assert "Рекламация неуместна → Конец" in page
    assert "Виноваты мы" not in page
    assert f'name="seen_stage_id" value="{got.pk}"' in page
    # when: he takes it into work, then completes it with «уместна»
    response = _post(manager, run, state=StageState.IN_WORK, comment="Смотрю")
    assert response.status_code == 302 and response.url == f"/processes/{run.pk}/"
    assert ProcessRun.objects.get(pk=run.pk).stage_state == StageState.IN_WORK
    response = _post(manager, run, state=StageState.DONE, result=results["fits"].pk)
    # then: the run is on Ivanov's stage and the manager sees it read-only with who is responsible
    assert response.status_code == 302
    moved = ProcessRun.objects.get(pk=run.pk)
    assert (moved.stage, moved.responsible, moved.stage_state) == (analysis, claim["ivanov"], StageState.NEW)
    page = manager.get(f"/processes/{run.pk}/").content.decode()
    assert 'data-testid="run-progress-form"' not in page
    assert "За текущий этап отвечает Иван Иванов" in page
    # when: Ivanov (who cannot open the client's card) goes on to the memo and the end
    ivanov = signed_in(claim["ivanov"])
    page = ivanov.get(f"/processes/{run.pk}/").content.decode()
    assert "ООО Ромашка" in page and f'href="/clients/{run.client_id}/"' not in page
    assert _post(ivanov, run, state=StageState.DONE, result=results["ours"].pk).status_code == 302
    assert _post(ivanov, run, state=StageState.DONE, result=results["any"].pk, comment="Подписано").status_code == 302
    # then: closed on «Конец»; the page is read-only for everyone, the administrator included
    closed = ProcessRun.objects.get(pk=run.pk)
    assert closed.is_closed and closed.stage == end and closed.responsible is None
    for user_client in (manager, signed_in(admin_user)):
        page = user_client.get(f"/processes/{run.pk}/").content.decode()
        assert 'data-testid="run-closed"' in page and "Процесс закрыт" in page
        assert 'data-testid="run-progress-form"' not in page and 'data-testid="run-delete"' not in page
    # and Ivanov, who cannot open the client's card, sees the run no more once it has left his stage: a run is
    # client-owned data, seen at the card level (issue 10) — on his stage only because the process handed it to him
    assert ivanov.get(f"/processes/{run.pk}/").status_code == 404
    # and the protocol tab lists every step
    assert [(e.kind, e.stage_name, e.result_name) for e in ProtocolEntry.objects.filter(run=run)] == [
        ("start", got.name, ""), ("state", got.name, ""), ("result", got.name, "Рекламация уместна"),
        ("result", analysis.name, "Виноваты мы"), ("result", memo.name, "Любой результат"),
    ]
    assert page.count('data-testid="protocol-row"') == 5
    # when: an administrator's form posted to the closed run
    response = _post(signed_in(admin_user), run, state=StageState.IN_WORK)
    # then: refused with the reason on top, nothing changed
    assert response.status_code == 200
    assert "Процесс закрыт: его можно только просматривать." in response.content.decode()
    assert ProtocolEntry.objects.filter(run=run).count() == 5


@pytest.mark.feature("BPM-04")
def test_errors_are_shown_next_to_their_fields_and_nothing_changes(claim, run, manager_user):
    # given
    manager = signed_in(manager_user)
    results = claim["results"]
    # when: completed without a result
    response = _post(manager, run, state=StageState.DONE)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-result"' in html
    assert "Выберите результат этапа: от него зависит, куда процесс перейдёт дальше." in html
    # when: a result of another stage is injected into the form
    response = _post(manager, run, state=StageState.DONE, result=results["ours"].pk)
    # then
    html = response.content.decode()
    assert "Этот результат относится к другому этапу." in html
    assert 'data-testid="error-result"' in html
    # when: a result with a state other than «Завершен»
    html = _post(manager, run, state=StageState.IN_WORK, result=results["fits"].pk).content.decode()
    # then
    assert 'data-testid="error-state"' in html and "установите состояние «Завершен»" in html
    # when: the form comes without the stage it was shown for
    html = _post(manager, run, seen_stage_id="", state=StageState.IN_WORK).content.decode()
    # then
    assert 'data-testid="run-form-errors"' in html and "Страница устарела: откройте процесс заново." in html
    # and nothing was written
    fresh = ProcessRun.objects.get(pk=run.pk)
    assert (fresh.stage_id, fresh.stage_state) == (claim["stages"][0].pk, StageState.NEW)
    assert ProtocolEntry.objects.filter(run=run).count() == 1


@pytest.mark.feature("BPM-04")
def test_a_stale_page_is_refused_as_already_moved(claim, run, manager_user):
    # given: the run on Ivanov's analysis stage, his page open on it
    got, analysis, memo, _end = claim["stages"]
    services.run_progress(acting_user=manager_user, run_id=run.pk, seen_stage_id=got.pk, state=StageState.DONE,
                          result=claim["results"]["fits"])
    ivanov = signed_in(claim["ivanov"])
    assert _post(ivanov, run, state=StageState.DONE, result=claim["results"]["ours"].pk).status_code == 302
    entries = ProtocolEntry.objects.filter(run=run).count()
    # when: a second tab still showing the analysis stage posts again
    response = _post(ivanov, run, seen_stage_id=analysis.pk, state=StageState.DONE,
                     result=claim["results"]["theirs"].pk)
    # then: the reason on top, the page shows where the run stands now, nothing changed
    html = response.content.decode()
    assert response.status_code == 200
    assert "Процесс уже перешёл на этап «Докладная руководству»" in html
    assert f'name="seen_stage_id" value="{memo.pk}"' in html
    fresh = ProcessRun.objects.get(pk=run.pk)
    assert (fresh.stage, fresh.is_closed) == (memo, False)
    assert ProtocolEntry.objects.filter(run=run).count() == entries
    # when: the manager's old page of the start stage (no longer his turn) is posted
    response = _post(signed_in(manager_user), run, seen_stage_id=got.pk, state=StageState.DONE,
                     result=claim["results"]["unfit"].pk)
    # then: told the same, shown read-only, nothing changed
    html = response.content.decode()
    assert response.status_code == 200
    assert "Процесс уже перешёл на этап «Докладная руководству»" in html
    assert 'data-testid="run-progress-form"' not in html
    assert ProcessRun.objects.get(pk=run.pk).stage == memo
    assert ProtocolEntry.objects.filter(run=run).count() == entries


@pytest.mark.feature("BPM-04")
def test_a_manager_who_is_not_responsible_sees_no_form_and_gets_403(claim, run, manager_user):
    # given: a colleague who sees the client (a full-scope manager) but is not responsible for its stage
    colleague = UserFactory(login="colleague", full_name="Пётр Коллегин", client_scope="full")
    browser = signed_in(colleague)
    # when
    page = browser.get(f"/processes/{run.pk}/")
    response = _post(browser, run, state=StageState.IN_WORK)
    # then
    assert page.status_code == 200
    assert 'data-testid="run-progress-form"' not in page.content.decode()
    assert "За текущий этап отвечает Алексей Менеджеров" in page.content.decode()
    assert response.status_code == 403
    assert ProcessRun.objects.get(pk=run.pk).stage_state == StageState.NEW
    assert browser.post(f"/processes/{run.pk}/delete/").status_code == 403
    assert ProcessRun.objects.filter(pk=run.pk).exists()


@pytest.mark.feature("BPM-04")
@pytest.mark.feature("BPM-05")
def test_a_run_about_a_hidden_client_is_404_everywhere(claim, admin_user, manager_user):
    # given: a run about another manager's private client
    other = UserFactory(login="other", full_name="Другой Менеджер")
    hidden = ClientFactory(short_name="Тайный клиент", curator=other)
    run = services.run_start(acting_user=other, process=claim["process"], client=hidden)
    make_private(hidden)  # after the start: it could not have been started onto the manager's stage otherwise
    # when / then: the manager (even the responsible of its stage) and the administrator get 404
    for user in (manager_user, admin_user):
        browser = signed_in(user)
        assert browser.get(f"/processes/{run.pk}/").status_code == 404
        assert _post(browser, run, state=StageState.IN_WORK).status_code == 404
        assert browser.get(f"/processes/{run.pk}/protocol/print/").status_code == 404
        assert browser.post(f"/processes/{run.pk}/delete/").status_code == 404
    assert ProcessRun.objects.get(pk=run.pk).stage_state == StageState.NEW


@pytest.mark.feature("BPM-04")
def test_only_an_administrator_deletes_and_only_an_unfinished_run(claim, run, admin_user, manager_user):
    # given
    admin, manager = signed_in(admin_user), signed_in(manager_user)
    # then: the manager (the responsible) is offered no delete and is refused one
    assert 'data-testid="run-delete"' not in manager.get(f"/processes/{run.pk}/").content.decode()
    assert manager.post(f"/processes/{run.pk}/delete/").status_code == 403
    # the administrator is offered it, with a confirmation
    page = admin.get(f"/processes/{run.pk}/").content.decode()
    assert 'data-testid="run-delete"' in page and "Удалить незавершённый процесс" in page
    # when: he deletes it
    response = admin.post(f"/processes/{run.pk}/delete/")
    # then: gone with its protocol, back to the journal
    assert response.status_code == 302 and response.url == "/processes/"
    assert not ProcessRun.objects.filter(pk=run.pk).exists()
    assert not ProtocolEntry.objects.filter(run_id=run.pk).exists()
    # given: a closed run
    closed = services.run_start(acting_user=admin_user, process=claim["process"])
    services.run_progress(acting_user=admin_user, run_id=closed.pk, seen_stage_id=claim["stages"][0].pk,
                          state=StageState.DONE, result=claim["results"]["unfit"])
    # when: the administrator tries to delete it anyway
    response = admin.post(f"/processes/{closed.pk}/delete/")
    # then: refused, kept
    assert "Закрытый процесс — это документ истории: удалить его нельзя." in response.content.decode()
    assert ProcessRun.objects.filter(pk=closed.pk, is_closed=True).exists()
    assert 'data-testid="run-delete"' not in admin.get(f"/processes/{closed.pk}/").content.decode()


@pytest.mark.feature("BPM-05")
def test_the_print_form_has_every_protocol_line_with_durations(claim, run, manager_user):
    # given: the start stage took 2 h 15 min, the analysis 3 days 4 hours
    got, analysis, _memo, _end = claim["stages"]
    services.run_progress(acting_user=manager_user, run_id=run.pk, seen_stage_id=got.pk, state=StageState.DONE,
                          result=claim["results"]["fits"], comment="Уместна")
    services.run_progress(acting_user=claim["ivanov"], run_id=run.pk, seen_stage_id=analysis.pk,
                          state=StageState.DONE, result=claim["results"]["theirs"])
    entries = list(ProtocolEntry.objects.filter(run=run).order_by("id"))
    now = timezone.now()
    ProtocolEntry.objects.filter(pk=entries[1].pk).update(stage_entered_at=now - timedelta(hours=2, minutes=15),
                                                         at=now)
    ProtocolEntry.objects.filter(pk=entries[2].pk).update(stage_entered_at=now - timedelta(days=3, hours=4), at=now)
    # when
    response = signed_in(manager_user).get(f"/processes/{run.pk}/protocol/print/")
    # then: a page without the menu, with a print button and every protocol line
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-k-print" in html and "k-menubar" not in html
    # and its own print sheet, not the app's layout
    assert 'href="/static/kontora/print.css"' in html and "kontora.css" not in html
    assert "@media print" in Path(str(finders.find("kontora/print.css"))).read_text(encoding="utf-8")
    assert f"Протокол процесса №{run.pk} · Обработка рекламации" in html and "ООО Ромашка" in html
    assert html.count('data-testid="protocol-row"') == 3
    assert "Рекламация уместна" in html and "Виноват клиент" in html and "Уместна" in html
    assert "2 ч 15 мин" in html and "3 дн 4 ч" in html


@pytest.mark.feature("BPM-05")
def test_human_duration_keeps_two_units() -> None:
    with translation.override("en"):
        assert human_duration(timedelta(seconds=20)) == "< 1 min"
        assert human_duration(timedelta(minutes=5, seconds=59)) == "5 min"
        assert human_duration(timedelta(hours=2)) == "2 h"
        assert human_duration(timedelta(hours=2, minutes=15)) == "2 h 15 min"
        assert human_duration(timedelta(days=3, hours=4, minutes=30)) == "3 d 4 h"
        assert human_duration(timedelta(days=1)) == "1 d"


@pytest.mark.feature("BPM-05")
def test_a_runs_page_costs_the_same_queries_with_1_or_20_protocol_lines(run, manager_user):
    # given: the run's start line, then 19 more by different users
    manager = signed_in(manager_user)

    def page() -> tuple[int, int]:
        with count_queries() as captured:
            html = manager.get(f"/processes/{run.pk}/?tab=protocol").content.decode()
        return len(captured), html.count('data-testid="protocol-row"')

    page()  # warm the session and caches
    # when
    few = page()
    for _ in range(19):
        ProtocolEntryFactory(run=run, user=UserFactory())
    many = page()
    # then
    assert (few[1], many[1]) == (1, 20)
    assert many[0] == few[0]


@pytest.mark.feature("BPM-02", "BPM-04", "ACL-02")
def test_a_run_is_client_owned_data_seen_at_the_card_level(claim, run, manager_user):
    # given a colleague in the "list all" mode: he lists the run's client but cannot open its card, and no stage of
    # the run is his
    colleague = signed_in(UserFactory(login="colleague", client_scope="list_all"))
    # when he asks for the run's page, its print form and the journal (also the client's)
    pages = [colleague.get(f"/processes/{run.pk}/"), colleague.get(f"/processes/{run.pk}/protocol/print/")]
    journal = colleague.get("/processes/").content.decode() + colleague.get(
        f"/processes/?client={run.client_id}").content.decode()
    # then the run and its note stay with those who may open the card (issue 11, F2: process pages)
    assert [page.status_code for page in pages] == [404, 404]
    assert f'data-id="{run.pk}"' not in journal and "Брак партии" not in journal
    # while the client's curator (the start stage's responsible) sees it with its note
    page = signed_in(manager_user).get(f"/processes/{run.pk}/").content.decode()
    assert "Брак партии" in page and f'href="/clients/{run.client_id}/"' in page


ALREADY_MOVED = "Этот процесс уже переведён на другой этап."


def _tab(client: Any, run: ProcessRun) -> dict[str, Any]:
    """The progress form as a tab of `client` has it now: the stage it was shown for, as the page carries it."""
    page = client.get(f"/processes/{run.pk}/").content.decode()
    seen = re.search(r'name="seen_stage_id" value="(\d+)"', page)
    assert seen is not None, "the tab shows no progress form"
    return {"seen_stage_id": seen.group(1)}


@pytest.mark.feature("BPM-04")
def test_a_second_tab_of_a_run_that_left_the_users_sight_says_already_moved(claim, run, manager_user):
    # given the run on Ivanov's analysis stage (he cannot open the client: he sees the run while it is his), and two
    # of his tabs showing the form of that stage
    services.run_progress(acting_user=manager_user, run_id=run.pk, seen_stage_id=claim["stages"][0].pk,
                          state=StageState.DONE, result=claim["results"]["fits"])
    ivanov = signed_in(claim["ivanov"])
    first, second = _tab(ivanov, run), _tab(ivanov, run)
    move = {"state": StageState.DONE, "result": claim["results"]["theirs"].pk, "comment": ""}
    # when the first tab closes the run with «Виноват клиент» and the second posts the same form
    assert ivanov.post(f"/processes/{run.pk}/", {**first, **move}).status_code == 302
    response = ivanov.post(f"/processes/{run.pk}/", {**second, **move}, follow=True)
    # then he is told it has already moved (not 404), and where it went and about whom are not told
    page = response.content.decode()
    assert response.status_code == 200 and response.redirect_chain == [("/processes/", 302)]
    assert ALREADY_MOVED in page
    assert "ООО Ромашка" not in page and "Конец" not in page
    assert ProtocolEntry.objects.filter(run=run).count() == 3
    # while the run itself stays out of his sight (the control: the first move took it away)
    assert ivanov.get(f"/processes/{run.pk}/").status_code == 404


@pytest.mark.feature("BPM-04")
def test_a_second_tab_of_a_run_the_user_still_sees_says_already_moved(claim, run, manager_user):
    # given two tabs of the manager (the client's curator) on the start stage
    manager = signed_in(manager_user)
    first, second = _tab(manager, run), _tab(manager, run)
    move = {"state": StageState.DONE, "result": claim["results"]["unfit"].pk, "comment": ""}
    # when the first tab closes the run and the second posts the same form
    assert manager.post(f"/processes/{run.pk}/", {**first, **move}).status_code == 302
    response = manager.post(f"/processes/{run.pk}/", {**second, **move})
    # then the page says it has already moved on (not that he may not, nor a 404), and nothing changed
    assert response.status_code == 200
    assert "Процесс уже перешёл на этап «Конец»" in response.content.decode()
    assert ProtocolEntry.objects.filter(run=run).count() == 2


@pytest.mark.feature("BPM-04", "ACL-02")
def test_already_moved_is_never_told_about_a_run_that_was_not_the_users(claim, run, manager_user):
    # given a run that left the start stage, and a colleague who never had a stage of it (he cannot see the run)
    got = claim["stages"][0]
    services.run_progress(acting_user=manager_user, run_id=run.pk, seen_stage_id=got.pk, state=StageState.DONE,
                          result=claim["results"]["fits"])
    colleague = signed_in(UserFactory(login="colleague", client_scope="list_all"))
    # when he posts a form naming the stage the run left
    response = colleague.post(f"/processes/{run.pk}/", {"seen_stage_id": got.pk, "state": StageState.DONE,
                                                         "result": claim["results"]["unfit"].pk, "comment": ""})
    # then he gets the 404 of any run he does not see: nothing about the run is told
    assert response.status_code == 404


@pytest.mark.feature("BPM-04")
def test_a_tab_of_an_earlier_visit_to_the_same_stage_is_stale(claim, run, admin_user, manager_user):
    # given a scheme that leads from the analysis back to the start stage, and the manager's tab on the start stage
    got, analysis, _memo, _end = claim["stages"]
    back = designer.result_save(acting_user=admin_user, stage=analysis, name="На доработку", next_stage=got)
    manager = signed_in(manager_user)
    old_tab = _tab(manager, run)
    old_tab["seen_entered"] = re.search(
        r'name="seen_entered" value="([^"]+)"', manager.get(f"/processes/{run.pk}/").content.decode()
    ).group(1)
    # when the run goes to the analysis and comes back to the start stage, and the old tab posts
    assert manager.post(f"/processes/{run.pk}/", {**old_tab, "state": StageState.DONE, "comment": "",
                                                  "result": claim["results"]["fits"].pk}).status_code == 302
    services.run_progress(acting_user=claim["ivanov"], run_id=run.pk, seen_stage_id=analysis.pk,
                          state=StageState.DONE, result=back)
    entries = ProtocolEntry.objects.filter(run=run).count()
    response = manager.post(f"/processes/{run.pk}/", {**old_tab, "state": StageState.DONE, "comment": "",
                                                      "result": claim["results"]["unfit"].pk})
    # then the post of the earlier visit is refused as stale, though the run stands on that stage again
    assert response.status_code == 200
    assert "Процесс уже перешёл на этап «Получена рекламация»" in response.content.decode()
    fresh = ProcessRun.objects.get(pk=run.pk)
    assert (fresh.stage, fresh.is_closed) == (got, False)
    assert ProtocolEntry.objects.filter(run=run).count() == entries
    # and the page of this visit moves it (the control)
    assert manager.post(f"/processes/{run.pk}/", {
        **_tab(manager, run), "seen_entered": fresh.stage_entered_at.isoformat(), "state": StageState.DONE,
        "comment": "", "result": claim["results"]["unfit"].pk,
    }).status_code == 302
    assert ProcessRun.objects.get(pk=run.pk).is_closed
