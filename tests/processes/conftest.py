"""Fixtures of the processes' tests: the manual's scheme «Обработка рекламации», built through the designer's
services as an administrator would build it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from kontora.processes.services import setup as designer
from kontora.processes.services.runs import run_start
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import make_private


@pytest.fixture
def english() -> Iterator[None]:
    """The services' exact messages are asserted in their msgid form; the Russian is checked by the view tests."""
    with translation.override("en"):
        yield


@pytest.fixture
def claim(admin_user: Any, manager_user: Any) -> dict[str, Any]:
    """The manual's scheme: received → analysis → memo → end, with its results and transitions.

    The start stage is the manager's, the analysis and the memo Ivanov's (`claim["ivanov"]`); `claim["stages"]`
    is (received, analysis, memo, end), `claim["results"]` names the five results.
    """
    ivanov = UserFactory(login="ivanov", full_name="Иван Иванов")
    p = designer.process_save(acting_user=admin_user, name="Обработка рекламации")
    got = designer.stage_save(acting_user=admin_user, process=p, name="Получена рекламация", is_start=True,
                              responsible=manager_user)
    analysis = designer.stage_save(acting_user=admin_user, process=p, name="Анализ рекламации", responsible=ivanov)
    memo = designer.stage_save(acting_user=admin_user, process=p, name="Докладная руководству", responsible=ivanov)
    end = designer.stage_save(acting_user=admin_user, process=p, name="Конец", is_end=True)
    r = {
        "fits": designer.result_save(acting_user=admin_user, stage=got, name="Рекламация уместна", next_stage=analysis),
        "unfit": designer.result_save(acting_user=admin_user, stage=got, name="Рекламация неуместна", next_stage=end),
        "ours": designer.result_save(acting_user=admin_user, stage=analysis, name="Виноваты мы", next_stage=memo),
        "theirs": designer.result_save(acting_user=admin_user, stage=analysis, name="Виноват клиент", next_stage=end),
        "any": designer.result_save(acting_user=admin_user, stage=memo, name="Любой результат", next_stage=end),
    }
    return {"process": p, "ivanov": ivanov, "stages": (got, analysis, memo, end), "results": r}


@pytest.fixture
def employees_runs(admin_user: Any, manager_user: Any, supervisor_user: Any) -> dict[str, Any]:
    """Runs of several employees, for the journals of all employees: a process whose start stage is Ivanov's
    (`ivanov`, a manager of his own clients), and four runs standing there — `managers` (started by the manager
    about his client), `ivanovs` (Ivanov's, about his client), `no_client` (Ivanov's, about no client) and
    `private` (Ivanov's, about his client made private after the start). The manager and the supervisor work with
    their own clients only."""
    ivanov = UserFactory(login="ivanov", full_name="Иван Иванов")
    process = designer.process_save(acting_user=admin_user, name="Согласование договора")
    start = designer.stage_save(acting_user=admin_user, process=process, name="Проверка", is_start=True,
                                responsible=ivanov)
    end = designer.stage_save(acting_user=admin_user, process=process, name="Конец", is_end=True)
    designer.result_save(acting_user=admin_user, stage=start, name="Готово", next_stage=end)
    managers_client = ClientFactory(short_name="Клиент менеджера", curator=manager_user)
    ivanovs_client = ClientFactory(short_name="Клиент Иванова", curator=ivanov)
    private_client = ClientFactory(short_name="Личный Иванова", curator=ivanov)
    runs = {
        "managers": run_start(acting_user=manager_user, process=process, client=managers_client,
                              note="Заметка менеджера"),
        "ivanovs": run_start(acting_user=ivanov, process=process, client=ivanovs_client, note="Заметка Иванова"),
        "no_client": run_start(acting_user=ivanov, process=process, note="Без клиента"),
        "private": run_start(acting_user=ivanov, process=process, client=private_client, note="Личная заметка"),
    }
    make_private(private_client)
    assert manager_user.client_scope == supervisor_user.client_scope == "own"
    return {"ivanov": ivanov, "process": process, "runs": runs}
