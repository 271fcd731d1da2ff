"""«Исходящие письма» (GRP-06) as the selectors read it: the user's own letters, a letter about a client only while
he may open that client, everyone's to a holder of «журналы всех сотрудников»; the filters; keyset pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from kontora.accounts.models import ClientScope
from kontora.messaging.models import Letter
from kontora.messaging.selectors.outbox import ATTENTION, MINE, OutboxChoice, outbox_page
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import grant_right, make_private
from tests.messaging.factories import LetterFactory


def _listed(user: Any, **choice: Any) -> list[int]:
    return [letter.pk for letter in outbox_page(user, OutboxChoice(**choice), cursor={}, size=50).letters]


@pytest.mark.feature("GRP-06")
def test_the_outbox_lists_the_users_own_letters_newest_first_and_not_anothers(manager_user):
    # given two letters of the manager and one of a colleague
    older = LetterFactory(author=manager_user)
    newer = LetterFactory(author=manager_user)
    LetterFactory(author=UserFactory())
    # then the manager's outbox lists his two, newest first
    assert _listed(manager_user) == [newer.pk, older.pk]


@pytest.mark.feature("GRP-06")
def test_a_letter_about_a_client_is_listed_only_while_the_user_may_open_the_client(manager_user):
    # given the manager's letter about his own client (own clients only)
    assert manager_user.client_scope == ClientScope.OWN
    client = ClientFactory(curator=manager_user)
    letter = LetterFactory(author=manager_user, client=client)
    # then it is listed while the client is his, and no row is said hidden
    page = outbox_page(manager_user, OutboxChoice(), cursor={}, size=50)
    assert [row.pk for row in page.letters] == [letter.pk] and page.hidden == 0
    # when the client passes to another curator
    client.curator = UserFactory()
    client.save(update_fields=["curator"])
    # then the letter is no longer listed, only counted as hidden
    page = outbox_page(manager_user, OutboxChoice(), cursor={}, size=50)
    assert page.letters == [] and page.hidden == 1
    # and once that client is the other curator's private one, it is not even counted
    make_private(client)
    assert outbox_page(manager_user, OutboxChoice(), cursor={}, size=50).hidden == 0


@pytest.mark.feature("GRP-06")
def test_the_states_to_act_on_the_class_and_the_period_narrow_the_list(manager_user):
    # given letters of every state and class, one queued last month
    by_state = {state: LetterFactory(author=manager_user, state=state) for state in Letter.State.values}
    marketing = LetterFactory(author=manager_user, purpose=Letter.Purpose.MARKETING)
    last_month = LetterFactory(author=manager_user)
    Letter.objects.filter(pk=last_month.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    # then «требуют внимания» is unknown, failed and held; one state is that state
    attention = {by_state[state].pk for state in ("unknown", "failed", "held")}
    assert set(_listed(manager_user, state=ATTENTION)) == attention
    assert _listed(manager_user, state=Letter.State.UNKNOWN) == [by_state["unknown"].pk]
    # the class
    assert _listed(manager_user, purpose=Letter.Purpose.MARKETING) == [marketing.pk]
    # and the period, on the user's days
    today = timezone.localdate()
    assert last_month.pk not in _listed(manager_user, date_from=today - datetime.timedelta(days=7))
    assert _listed(manager_user, date_to=today - datetime.timedelta(days=30)) == [last_month.pk]


@pytest.mark.feature("GRP-06")
def test_a_holder_of_all_journals_sees_every_employees_letters_about_clients_he_opens(supervisor_user, manager_user):
    # given the manager's letters: about the supervisor's client, about a client he may not open, about none
    grant_right(supervisor_user, "journals_all_users")
    supervisor_user.client_scope = ClientScope.OWN
    supervisor_user.save(update_fields=["client_scope"])
    opened = LetterFactory(author=manager_user, client=ClientFactory(curator=supervisor_user))
    kept = LetterFactory(author=manager_user, client=ClientFactory(curator=manager_user))
    no_client = LetterFactory(author=manager_user)
    own = LetterFactory(author=supervisor_user)
    # then all employees' letters are those about clients he opens, and his own; the others are counted
    page = outbox_page(supervisor_user, OutboxChoice(), cursor={}, size=50)
    assert [row.pk for row in page.letters] == [own.pk, opened.pk] and page.hidden == 1
    # and «мои письма» narrows to his own
    assert _listed(supervisor_user, whose=MINE) == [own.pk]
    # while a user without the right is given his own whatever he asks
    assert _listed(manager_user, whose="all") == [no_client.pk, kept.pk]


@pytest.mark.feature("GRP-06")
def test_the_outbox_pages_by_keyset_without_repeating_or_skipping(manager_user):
    # given 7 letters, some queued at the same moment
    letters = [LetterFactory(author=manager_user) for _ in range(7)]
    moment = timezone.now()
    Letter.objects.filter(pk__in=[letter.pk for letter in letters[:4]]).update(created_at=moment)
    # when read three at a time, each page on from the last
    seen: list[int] = []
    cursor: dict[str, str] = {}
    while True:
        page = outbox_page(manager_user, OutboxChoice(), cursor=cursor, size=3)
        seen += [row.pk for row in page.letters]
        if not page.pager.after:
            break
        cursor = {"after": page.pager.after}
    # then every letter came once, in the list's order
    assert seen == list(Letter.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
