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


def _journal(user, **options):
    page = selectors.journal_page(user, cursor={}, **options)
    return [run.pk for run in page.runs], page.hidden


@pytest.mark.feature("BPM-02", "ACC-03", "ACC-05")
def test_a_supervisor_sees_every_employees_runs_within_client_access(employees_runs, supervisor_user):
    runs = employees_runs["runs"]
    # when the supervisor (own clients only) looks at the journal
    listed, hidden = _journal(supervisor_user)
    # then every employee's run he may see is listed — Ivanov's about no client, on Ivanov's stage —, and the two
    # about clients he may not open are counted, not listed; the private client's is neither
    assert listed == [runs["no_client"].pk]
    assert hidden == 2
    # and his own processes alone are none of these
    assert _journal(supervisor_user, whose=selectors.MINE) == ([], 0)
    # when he works with every client (full access), every one but the private client's is listed, none hidden
    supervisor_user.client_scope = "full"
    supervisor_user.save(update_fields=["client_scope"])
    listed, hidden = _journal(supervisor_user)
    assert listed == [runs["no_client"].pk, runs["ivanovs"].pk, runs["managers"].pk] and hidden == 0


@pytest.mark.feature("BPM-02", "ACC-05")
def test_a_manager_sees_his_own_runs_only_whatever_he_asks(employees_runs, manager_user):
    runs = employees_runs["runs"]
    # when the manager looks at the journal, and asks for all employees' runs
    # then he sees only the run he started about his client (not Ivanov's about no client, which he could open)
    assert _journal(manager_user) == ([runs["managers"].pk], 0)
    assert _journal(manager_user, whose=selectors.EVERYONE) == ([runs["managers"].pk], 0)
    assert policies.runs.get(manager_user, runs["no_client"].pk) == runs["no_client"]
    # and even with every client open to him, another's run is not his journal's — but his client's journal lists
    # every run about that client
    manager_user.client_scope = "full"
    manager_user.save(update_fields=["client_scope"])
    assert _journal(manager_user) == ([runs["managers"].pk], 0)
    assert _journal(manager_user, client_id=runs["ivanovs"].client_id) == ([runs["ivanovs"].pk], 0)
    # while Ivanov's own journal holds his runs, his private client's among them (the control)
    ivanovs = [runs[name].pk for name in ("private", "no_client", "ivanovs", "managers")]
    assert _journal(employees_runs["ivanov"]) == (ivanovs, 0)


@pytest.mark.feature("BPM-02", "ACC-03", "ACL-03")
def test_an_administrator_sees_all_runs_but_a_private_clients_which_is_not_even_counted(employees_runs, admin_user):
    runs = employees_runs["runs"]
    # when the administrator looks at the journal
    # then every employee's run is listed but the one about another's private client, which is not counted either
    assert _journal(admin_user) == ([runs["no_client"].pk, runs["ivanovs"].pk, runs["managers"].pk], 0)
    # and his own processes are none of them
    assert _journal(admin_user, whose=selectors.MINE) == ([], 0)
