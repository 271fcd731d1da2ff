"""Fixtures of the processes' tests: the manual's scheme «Обработка рекламации», built through the designer's
services as an administrator would build it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from kontora.processes.services import setup as designer
from tests.accounts.factories import UserFactory


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
