"""The board's pages (LAD-04): the columns and cards, the scope, a card's move recorded as an event, the conflict
rule, rights; and the conversion report over the board's clients."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from kontora.accounts.models import ClientScope
from kontora.activity.models import Event
from kontora.clients.models import Client, ClientGrant, StageChange
from kontora.directories.models import LadderStage
from tests.accounts.factories import UserFactory
from tests.activity.factories import event_type
from tests.clients.factories import ClientFactory
from tests.support.queries import assert_flat_queries

pytestmark = [pytest.mark.django_db, pytest.mark.feature("LAD-04")]

BOARD, MOVE, COLUMN = "/pipeline/board/", "/pipeline/board/move/", "/pipeline/board/column/"
CONVERSION = "/reports/ladder-conversion/"
NAME_ALPHA = json.dumps({"op": "and", "items": [{"field": "name", "operator": "contains", "value": "альфа"}]})


def _ladder(*names: str) -> list[LadderStage]:
    LadderStage.objects.update(is_active=False)
    return [LadderStage.objects.create(name=name, name_key=name.lower(), order=n) for n, name in enumerate(names)]


def _move(http: Any, client: Client, stage: LadderStage, *, seen: Any = "", **more: Any) -> Any:
    return http.post(f"{MOVE}?client={client.pk}&stage={stage.pk}", {
        "stage": stage.pk, "seen_stage": seen, "event_type": event_type().pk,
        "description": "Договорились о встрече", **more})


def test_the_board_shows_each_stage_with_its_count_and_cards(manager_user: Any, manager_client: Any) -> None:
    # given two stages with the manager's clients on them, and one client off the ladder
    first, second = _ladder("Знакомство", "Переговоры")
    ClientFactory(curator=manager_user, ladder_stage=first, short_name="Альфа", code=501)
    ClientFactory(curator=manager_user, ladder_stage=first, short_name="Бета", code=502)
    ClientFactory(curator=manager_user, ladder_stage=second, short_name="Гамма", code=503)
    ClientFactory(curator=manager_user, short_name="Дельта", code=504)
    # when the board opens
    page = manager_client.get(BOARD).content.decode()
    # then each column shows its clients and its count
    assert 'data-testid="board-count-off">1<' in page
    assert f'data-testid="board-count-{first.pk}">2<' in page
    assert f'data-testid="board-count-{second.pk}">1<' in page
    column = page.split(f'data-testid="board-column-{first.pk}"')[1].split("</section>")[0]
    assert "Альфа" in column and "Бета" in column and "Гамма" not in column
    # and the menu leads there
    assert 'href="/pipeline/board/"' in manager_client.get("/").content.decode()


def test_a_column_shows_more_cards_on_request(manager_user: Any, manager_client: Any) -> None:
    (stage,) = _ladder("Знакомство")
    for n in range(25):
        ClientFactory(curator=manager_user, ladder_stage=stage, short_name=f"Клиент {n:02d}", code=600 + n)
    page = manager_client.get(BOARD).content.decode()
    assert "Клиент 19" in page and "Клиент 20" not in page
    more = page.split(f'data-testid="board-more-{stage.pk}"')[0].rsplit('hx-get="', 1)[1].split('"')[0]
    rest = manager_client.get(more.replace("&amp;", "&")).content.decode()
    assert "Клиент 20" in rest and "Клиент 24" in rest and "Клиент 19" not in rest
    assert "board-more" not in rest


def test_the_board_follows_a_template_or_the_registry_filter(manager_user: Any, manager_client: Any) -> None:
    # given the manager's own client and a colleague's, both on one stage
    (stage,) = _ladder("Знакомство")
    ClientFactory(curator=manager_user, ladder_stage=stage, short_name="Альфа своя")
    ClientFactory(curator=UserFactory(), ladder_stage=stage, short_name="Бета чужая")
    manager_user.client_scope = ClientScope.OPEN_ALL
    manager_user.save()
    # when the board shows the template «Мои клиенты»
    mine = manager_client.get(BOARD, {"scope": "static:my"}).content.decode()
    everyone = manager_client.get(BOARD).content.decode()
    # then only his own; without it both (the manager opens every client)
    assert "Альфа своя" in mine and "Бета чужая" not in mine
    assert "Альфа своя" in everyone and "Бета чужая" in everyone
    # when the registry's filter is on and the board is asked to follow it
    manager_client.post("/clients/filter/apply/", {"spec": NAME_ALPHA})
    filtered = manager_client.get(BOARD, {"scope": "active"}).content.decode()
    assert "Альфа своя" in filtered and "Бета чужая" not in filtered
    # under a filter the column's count is capped, with the exact count a click away
    assert 'data-testid="board-exact"' not in filtered  # nothing reached the cap
    # and a template the user may not use is no scope: said, and every client shown
    refused = manager_client.get(BOARD, {"scope": "user:99999"}).content.decode()
    assert 'data-testid="board-scope-problem"' in refused and "Бета чужая" in refused


def test_a_list_only_user_sees_no_card_of_a_client_he_may_not_open(manager_user: Any, manager_client: Any) -> None:
    (stage,) = _ladder("Знакомство")
    ClientFactory(curator=manager_user, ladder_stage=stage, short_name="Своя")
    ClientFactory(curator=UserFactory(), ladder_stage=stage, short_name="Чужая")
    manager_user.client_scope = ClientScope.LIST_ALL
    manager_user.save()
    page = manager_client.get(BOARD).content.decode()
    assert "Своя" in page and "Чужая" not in page
    assert f'data-testid="board-count-{stage.pk}">1<' in page


@pytest.mark.feature("HIS-02")
def test_a_move_changes_the_stage_and_records_the_event(manager_user: Any, manager_client: Any) -> None:
    # given a client on the first stage
    first, second = _ladder("Знакомство", "Переговоры")
    client = ClientFactory(curator=manager_user, ladder_stage=first, short_name="Альфа")
    # when its card is dropped on the second column: the form comes pre-filled
    form = manager_client.get(MOVE, {"client": client.pk, "stage": second.pk, "seen": first.pk},
                              HTTP_HX_REQUEST="true").content.decode()
    assert "Переведён на этап «Переговоры» на доске лестницы продаж." in form
    assert f'value="{first.pk}"' in form  # the stage the board showed
    answer = _move(manager_client, client, second, seen=first.pk, HTTP_HX_REQUEST="true")
    # then the board is drawn again, the client stands on the second stage, moved by the board, with its event
    assert answer.status_code in (204, 302), answer.content.decode()[:2000]
    assert Client.objects.get(pk=client.pk).ladder_stage_id == second.pk
    move = StageChange.objects.get(client=client)
    assert (move.source, move.from_stage_id, move.to_stage_id) == ("board", first.pk, second.pk)
    event = Event.objects.get(client=client)
    assert (event.stage_id, event.description, event.author_id) == (second.pk, "Договорились о встрече",
                                                                   manager_user.pk)


def test_a_move_without_a_stage_or_a_type_is_refused_next_to_the_field(
        manager_user: Any, manager_client: Any) -> None:
    (first,) = _ladder("Знакомство")
    client = ClientFactory(curator=manager_user)
    answer = manager_client.post(f"{MOVE}?client={client.pk}", {"seen_stage": "", "description": "x"})
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Выберите этап, на который переместить клиента." in page
    assert "Обязательное поле." in page.split('name="event_type"')[1].split("</select>")[1][:400]
    assert not StageChange.objects.exists() and not Event.objects.exists()
    # positive control: with both it moves
    assert _move(manager_client, client, first).status_code == 302
    assert StageChange.objects.filter(client=client, source="board").count() == 1


def test_a_card_moved_meanwhile_by_someone_else_is_not_moved_again(
        manager_user: Any, manager_client: Any, admin_client: Any) -> None:
    # given the board read with the client on the first stage
    first, second, third = _ladder("Знакомство", "Переговоры", "Сделка")
    client = ClientFactory(curator=manager_user, ladder_stage=first)
    # when an administrator moves it to the third stage first
    assert _move(admin_client, client, third, seen=first.pk).status_code == 302
    # then the manager's move from the first to the second is refused, saying who moved it where
    answer = _move(manager_client, client, second, seen=first.pk)
    page = answer.content.decode()
    assert answer.status_code == 200 and "«Сделка»" in page and "refresh the board" not in page
    assert "обновите доску" in page
    assert Client.objects.get(pk=client.pk).ladder_stage_id == third.pk
    assert Event.objects.filter(client=client).count() == 1
    # while a move to the stage it already reached is no conflict
    assert _move(manager_client, client, third, seen=first.pk).status_code == 302


def test_a_client_the_user_may_not_edit_does_not_move(manager_user: Any, manager_client: Any) -> None:
    (stage,) = _ladder("Знакомство")
    # given a colleague's client he may only list, and one granted to him to read
    foreign, granted = ClientFactory(curator=UserFactory()), ClientFactory(curator=UserFactory())
    ClientGrant.objects.create(client=granted, user=manager_user, can_edit=False)
    manager_user.client_scope = ClientScope.LIST_ALL  # lists every client, opens and edits only his own
    manager_user.save()
    # then neither moves: the one he may not open is not found, the read-only one is forbidden
    assert manager_client.get(MOVE, {"client": foreign.pk, "stage": stage.pk}).status_code == 404
    assert _move(manager_client, foreign, stage).status_code == 404
    assert manager_client.get(MOVE, {"client": granted.pk, "stage": stage.pk}).status_code == 403
    assert _move(manager_client, granted, stage).status_code == 403
    assert Client.objects.filter(pk__in=[foreign.pk, granted.pk], ladder_stage__isnull=False).count() == 0
    # positive control: his own client moves
    own = ClientFactory(curator=manager_user)
    assert _move(manager_client, own, stage).status_code == 302


@pytest.mark.feature("RPT-01")
def test_the_conversion_report_counts_the_board_moves_of_the_period(manager_user: Any, manager_client: Any) -> None:
    # given two clients moved on the board today, one of them on to the second stage
    first, second = _ladder("Знакомство", "Переговоры")
    a, b = ClientFactory(curator=manager_user), ClientFactory(curator=manager_user)
    for client, stage in ((a, first), (b, first), (a, second)):
        _move(manager_client, client, stage, seen=client.ladder_stage_id or "")
        client.refresh_from_db()
    today = timezone.localdate()
    period = {"run": "1", "date_from": (today - datetime.timedelta(days=1)).isoformat(),
              "date_to": today.isoformat()}
    # when the conversion report is run
    page = manager_client.get(CONVERSION, period).content.decode()
    # then the first stage was reached by both, half of whom went on
    assert "Знакомство" in page and "50,0 %" in page
    xlsx = manager_client.get(CONVERSION, {**period, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_conversion_report_refuses_a_filter_no_longer_seen_with_a_message(manager_client: Any) -> None:
    today = timezone.localdate().isoformat()
    period = {"run": "1", "date_from": today, "date_to": today}
    unavailable = manager_client.get(CONVERSION, {**period, "clients": "user:99999"})
    broken = manager_client.get(CONVERSION, {**period, "spec": '{"op": "and", "items": [{"field": "attr:99999", '
                                                                 '"operator": "in", "value": [1]}]}'})
    empty = manager_client.get(CONVERSION, {"run": "1", "date_from": "", "date_to": today})
    assert (unavailable.status_code, broken.status_code, empty.status_code) == (200, 200, 200)
    assert "Этот шаблон вам недоступен." in unavailable.content.decode()
    assert "Фильтр реестра, который показывала доска, больше нельзя применить" in broken.content.decode()
    assert "Укажите начало периода." in empty.content.decode()
    # positive control: the same period with every client runs
    assert 'data-testid="report-table"' in manager_client.get(CONVERSION, period).content.decode()


def test_the_board_reads_as_many_queries_with_many_cards(manager_user: Any, manager_client: Any) -> None:
    first, second = _ladder("Знакомство", "Переговоры")
    page = assert_flat_queries(
        lambda: manager_client.get(BOARD).content.decode(),
        lambda n: ClientFactory(curator=manager_user, ladder_stage=(first, second)[n % 2], short_name=f"Клиент {n}"))
    assert "Клиент 19" in page
