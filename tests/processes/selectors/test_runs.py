"""Reads of started processes (BPM-02, BPM-03): who sees which run in the journal, the monitor and by its id."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kontora.processes import policies
from kontora.processes.models import StageState
from kontora.processes.selectors import runs as selectors
from kontora.processes.services import runs as services
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import make_private

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.feature("BPM-02")
def test_runs_about_a_private_client_are_hidden_like_the_client(claim, admin_user, manager_user):
    # given
    private = ClientFactory(short_name="Тайный клиент", curator=manager_user, private=True)
    run = services.run_start(acting_user=manager_user, process=claim["process"], client=private)
    # when / then: the administrator neither sees it in the journal nor may start one about it
    assert list(selectors.run_journal(manager_user)) == [run]
    assert list(selectors.run_journal(admin_user)) == []
    with pytest.raises(ValidationError) as e:
        services.run_start(acting_user=admin_user, process=claim["process"], client=private)
    assert "client" in e.value.message_dict


@pytest.mark.feature("BPM-03")
def test_the_responsible_sees_the_run_on_his_stage_but_not_a_private_client_of_another(claim, admin_user):
    # given: Ivanov works in "own" mode and curates none of these clients
    ivanov = claim["ivanov"]
    ivanov.client_scope = "own"
    ivanov.save(update_fields=["client_scope"])
    curator = UserFactory(login="curator", full_name="Куратор Клиентов", client_scope="full")
    open_client = ClientFactory(short_name="Открытый клиент", curator=curator)
    private = ClientFactory(short_name="Личный клиент", curator=curator)
    got, analysis, _memo, _end = claim["stages"]
    runs = [services.run_start(acting_user=curator, process=claim["process"], client=c) for c in (open_client, private)]
    for run in runs:
        services.run_progress(acting_user=admin_user, run_id=run.pk, seen_stage_id=got.pk, state=StageState.DONE,
                              result=claim["results"]["fits"])
    make_private(private)  # after the run reached his stage: it could not have been moved there otherwise (F19)
    # when / then: the run reached his stage; he sees it, except the one about a private client
    assert list(selectors.monitor_runs(ivanov)) == [runs[0]]
    assert policies.runs.get(ivanov, runs[0].pk) == runs[0]
    assert analysis.responsible == ivanov
