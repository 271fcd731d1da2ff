"""Journals → «Исходящие письма» (GRP-06): the page lists the user's letters as the selectors give them, a letter's
page shows its text as text, and «Отправить снова» queues an unknown, failed or held letter — the row answered in
place, a refusal beside it — for its author only."""

from __future__ import annotations

import html
import re

import pytest

from kontora.core.models import AuditEvent
from kontora.messaging.models import Channel, Letter
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import grant_right
from tests.messaging.factories import LetterFactory
from tests.support.http import signed_in
from tests.support.queries import assert_flat_queries

ROW = re.compile(r'<tr data-row data-id="(\d+)"')
MORE = re.compile(r'<tr class="k-journal-more" hx-get="([^"]+)"')
HTMX = {"HTTP_HX_REQUEST": "true"}


def _ids(page: str) -> list[int]:
    return [int(pk) for pk in ROW.findall(page)]


@pytest.mark.feature("GRP-06")
def test_the_page_lists_own_letters_with_their_state_and_client_not_anothers(manager_user, manager_client):
    # given the manager's held letter about his client, and a colleague's letter
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    held = LetterFactory(author=manager_user, client=client, state=Letter.State.HELD, subject="Счёт № 7",
                         answer="535 5.7.8 Authentication credentials invalid")
    foreign = LetterFactory(author=UserFactory(), subject="Чужое письмо")
    # when he opens the journal
    page = manager_client.get("/messaging/outbox/").content.decode()
    # then his letter is listed with its state, the server's answer, its client as a link to the card, and a resend
    assert _ids(page) == [held.pk]
    assert "Исходящие письма" in page and "Задержано" in page and "535 5.7.8 Authentication" in page
    assert f'href="/clients/{client.pk}/"' in page and "Ромашка" in page
    assert f'hx-post="/messaging/outbox/{held.pk}/resend/"' in page
    assert foreign.subject not in page


@pytest.mark.feature("GRP-06")
def test_the_journal_is_in_the_journals_menu(manager_client, supervisor_user):
    page = manager_client.get("/").content.decode()
    assert 'href="/messaging/outbox/"' in page and "Исходящие письма" in page
    # a holder of «журналы всех сотрудников» is offered every employee's
    page = signed_in(supervisor_user).get("/").content.decode()
    assert 'href="/messaging/outbox/?whose=all"' in page and "Исходящие письма всех сотрудников" in page


@pytest.mark.feature("GRP-06")
def test_the_filters_narrow_the_page(manager_user, manager_client):
    unknown = LetterFactory(author=manager_user, state=Letter.State.UNKNOWN)
    failed = LetterFactory(author=manager_user, state=Letter.State.FAILED, purpose=Letter.Purpose.MARKETING)
    LetterFactory(author=manager_user, state=Letter.State.SENT)
    assert _ids(manager_client.get("/messaging/outbox/?state=attention").content.decode()) == [failed.pk, unknown.pk]
    assert _ids(manager_client.get("/messaging/outbox/?state=unknown").content.decode()) == [unknown.pk]
    assert _ids(manager_client.get("/messaging/outbox/?purpose=marketing").content.decode()) == [failed.pk]
    # a bad date is marked next to its field and narrows nothing
    page = manager_client.get("/messaging/outbox/?date_from=3000-01-01").content.decode()
    assert len(_ids(page)) == 3 and 'data-testid="filter-error"' in page


@pytest.mark.feature("GRP-06")
def test_a_letter_about_a_client_he_no_longer_opens_is_not_listed_nor_opened(manager_user, manager_client):
    # given his letter about a client that passed to another curator, and one about his own client
    lost = ClientFactory(curator=UserFactory(), short_name="Ушедший")
    gone = LetterFactory(author=manager_user, client=lost, subject="Письмо ушедшему")
    kept = LetterFactory(author=manager_user, client=ClientFactory(curator=manager_user))
    # then only the second is listed, the first counted as hidden and not shown
    page = manager_client.get("/messaging/outbox/").content.decode()
    assert _ids(page) == [kept.pk]
    assert "1 строка скрыта: клиенты, к которым у вас нет доступа." in page
    assert "Ушедший" not in page and gone.subject not in page
    # and its page and its resend are the same 404 as a missing letter's
    assert manager_client.get(f"/messaging/outbox/{gone.pk}/").status_code == 404
    assert manager_client.post(f"/messaging/outbox/{gone.pk}/resend/").status_code == 404


@pytest.mark.feature("GRP-06")
def test_resending_an_unknown_letter_queues_it_with_an_audit_row(manager_user, manager_client,
                                                                 django_capture_on_commit_callbacks):
    letter = LetterFactory(author=manager_user, state=Letter.State.UNKNOWN, attempts=1,
                           answer="Отправка прервалась до того, как был записан её результат")
    # when he presses «Отправить снова» in its row
    with django_capture_on_commit_callbacks() as handed:
        response = manager_client.post(f"/messaging/outbox/{letter.pk}/resend/", **HTMX)
    # then the letter is queued again from the start, handed to a worker, and the act is audited
    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == (Letter.State.QUEUED, 0)
    assert [c for c in handed if c.__qualname__.startswith("letter_resend.")]
    audit = AuditEvent.objects.get(event="messaging.letter.resend")
    assert audit.actor_id == manager_user.pk and audit.target_id == letter.pk
    # and the answer is its row as it stands, with nothing to resend any more
    body = response.content.decode()
    assert response.status_code == 200 and _ids(body) == [letter.pk] and "В очереди" in body
    assert "resend/" not in body


@pytest.mark.feature("GRP-06")
def test_a_sent_letter_is_refused_with_the_services_message_beside_its_row(manager_user, manager_client):
    letter = LetterFactory(author=manager_user, state=Letter.State.SENT)
    response = manager_client.post(f"/messaging/outbox/{letter.pk}/resend/", **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and _ids(body) == [letter.pk]
    assert ('data-testid="outbox-problem">Отправить снова можно только письмо с ошибкой, задержанное или с '
            "неизвестной судьбой.</div>") in body
    letter.refresh_from_db()
    assert letter.state == Letter.State.SENT
    assert not AuditEvent.objects.filter(event="messaging.letter.resend").exists()


@pytest.mark.feature("GRP-06")
def test_another_users_letter_cannot_be_resent(manager_user, manager_client, supervisor_user):
    # given a colleague's failed letter about the supervisor's client
    colleague = UserFactory()
    letter = LetterFactory(author=colleague, state=Letter.State.FAILED,
                           client=ClientFactory(curator=supervisor_user))
    # then the manager gets the same 404 as for a missing letter
    assert manager_client.post(f"/messaging/outbox/{letter.pk}/resend/").status_code == 404
    assert manager_client.get(f"/messaging/outbox/{letter.pk}/").status_code == 404
    # and the supervisor, who sees every employee's journal, sees it without a resend, which is refused (403)
    grant_right(supervisor_user, "journals_all_users")
    supervisor = signed_in(supervisor_user)
    page = supervisor.get("/messaging/outbox/").content.decode()
    assert _ids(page) == [letter.pk] and "resend/" not in page
    assert supervisor.post(f"/messaging/outbox/{letter.pk}/resend/").status_code == 403
    letter.refresh_from_db()
    assert letter.state == Letter.State.FAILED


@pytest.mark.feature("GRP-06")
def test_a_letters_page_shows_its_text_and_html_as_text_never_drawn(manager_user, manager_client):
    letter = LetterFactory(author=manager_user, state=Letter.State.FAILED, text="Строка 1\n<b>не жирный</b>",
                           html='<p onclick="steal()">Привет</p><script>alert(1)</script>',
                           answer="550 5.1.1 User unknown")
    page = manager_client.get(f"/messaging/outbox/{letter.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and 'onclick="steal()"' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;не жирный&lt;/b&gt;" in page
    assert "550 5.1.1 User unknown" in page and 'data-testid="letter-resend"' in page
    # the page's own resend (no htmx) comes back to the page with the outcome
    response = manager_client.post(f"/messaging/outbox/{letter.pk}/resend/")
    assert response.status_code == 302 and response["Location"] == f"/messaging/outbox/{letter.pk}/"
    assert "Письмо снова поставлено в очередь." in manager_client.get(response["Location"]).content.decode()


@pytest.mark.feature("GRP-06")
def test_an_sms_row_says_sms_and_shows_the_start_of_its_text_where_a_letter_has_its_subject(manager_user,
                                                                                              manager_client):
    sms = LetterFactory(author=manager_user, channel=Channel.SMS, subject="", recipient="+79161234567",
                        state=Letter.State.HELD, text="Скидка 10% на всё до пятницы! " * 8)
    letter = LetterFactory(author=manager_user, subject="Счёт № 12", text="Текст письма не показывается")
    page = manager_client.get("/messaging/outbox/").content.decode()
    rows = dict(zip(_ids(page), page.split('<tr data-row data-id="')[1:], strict=True))
    assert "· SMS" in rows[sms.pk] and 'data-testid="outbox-sms">Скидка 10% на всё до пятницы! Скидка' in rows[sms.pk]
    assert "· SMS" not in rows[letter.pk] and "Счёт № 12" in rows[letter.pk]
    assert "Текст письма" not in page
    # the row answered in place by «Отправить снова» shows it too
    answer = manager_client.post(f"/messaging/outbox/{sms.pk}/resend/", **HTMX).content.decode()
    assert 'data-testid="outbox-sms">Скидка 10%' in answer


@pytest.mark.feature("GRP-06")
def test_the_journal_pages_by_fifty_and_its_queries_do_not_grow_with_the_rows(manager_user, manager_client):
    clients = [ClientFactory(curator=manager_user) for _ in range(3)]

    def add(number: int) -> None:
        LetterFactory(author=manager_user, client=clients[number % 3] if number % 4 else None,
                      state=Letter.State.UNKNOWN if number % 2 else Letter.State.SENT,
                      **({"channel": Channel.SMS, "subject": "", "recipient": "+79161234567"} if number % 3 == 0
                         else {}))

    # the page reads as many queries for 20 rows as for one
    page = assert_flat_queries(lambda: manager_client.get("/messaging/outbox/").content.decode(), add, rows=20)
    assert len(_ids(page)) == 20
    # and with 55, it shows 50, then "show more" brings the other 5 and no further "more"
    for number in range(35):
        add(number)
    page = manager_client.get("/messaging/outbox/").content.decode()
    first = _ids(page)
    more = MORE.search(page)
    assert len(first) == 50 and more is not None
    rest_page = manager_client.get(html.unescape(more.group(1)), **HTMX).content.decode()
    rest = _ids(rest_page)
    assert len(rest) == 5 and MORE.search(rest_page) is None
    assert first + rest == list(Letter.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
