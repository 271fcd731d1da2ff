"""The first-run wizard's one write (SYS-05): all or nothing, once, and audited."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kontora.accounts.models import User
from kontora.accounts.services.setup import setup_complete
from kontora.core.errors import Conflict
from kontora.core.models import AuditEvent, BankAccount, LegalEntity
from kontora.core.services.organisation import BankAccountData, LegalEntityData

pytestmark = [pytest.mark.feature("SYS-05"), pytest.mark.django_db]


def nothing_written() -> bool:
    return not (User.objects.exists() or LegalEntity.objects.exists() or BankAccount.objects.exists())


def _organisation(short_name: str) -> LegalEntityData:
    return LegalEntityData(full_name=f"Общество {short_name}", short_name=short_name, inn="7707083893")


def test_setup_complete_refuses_once_a_user_exists():
    # given
    setup_complete(organisation=_organisation("ООО «Ромашка»"), bank=None, login="a", full_name="А", password="x")
    # when / then
    with pytest.raises(Conflict):
        setup_complete(organisation=_organisation("ООО «Лютик»"), bank=None, login="b", full_name="Б", password="x")
    assert User.objects.count() == LegalEntity.objects.count() == 1


def test_setup_complete_with_a_bad_account_writes_nothing():
    bank = BankAccountData(bank_name="ПАО Сбербанк", bik="044525225", account="40702810938000000002")
    with pytest.raises(Exception, match="Расчётный счёт: контрольный ключ не сходится с БИК"):
        setup_complete(organisation=_organisation("ООО «Ромашка»"), bank=bank, login="a", full_name="А",
                       password="x")
    assert nothing_written()


@pytest.mark.django_db(transaction=True)
def test_two_browsers_finishing_at_the_same_moment_make_one_administrator():
    # given two requests released at the same instant
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def finish(login: str, short_name: str) -> None:
        try:
            barrier.wait()
            setup_complete(organisation=_organisation(short_name), bank=None, login=login, full_name=login,
                           password="x")
            outcomes.append("created")
        except Conflict:
            outcomes.append("already done")
        finally:
            connection.close()

    threads = [threading.Thread(target=finish, args=args) for args in (("one", "ООО «Один»"), ("two", "ООО «Два»"))]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert sorted(outcomes) == ["already done", "created"]
    assert User.objects.count() == 1
    assert LegalEntity.objects.filter(is_default=True).count() == LegalEntity.objects.count() == 1


def test_setup_completion_is_audited_by_the_new_administrator():
    # when
    admin = setup_complete(organisation=_organisation("ООО «Ромашка»"), bank=None, login=" Director ",
                           full_name="Иван Иванов", password="x")
    # then
    [row] = AuditEvent.objects.filter(event="accounts.setup.complete")
    assert (row.actor, row.summary, row.target_type, row.target_id) == (
        admin, "Первоначальная настройка завершена", "accounts.user", admin.pk,
    )
    assert row.extra == {"legal_entity": "ООО «Ромашка»"}
    assert (admin.login, admin.login_key) == ("Director", "director")


def test_a_refused_setup_leaves_no_audit_row():
    # given
    setup_complete(organisation=_organisation("ООО «Ромашка»"), bank=None, login="a", full_name="А", password="x")
    # when
    with pytest.raises(Conflict) as refused:
        setup_complete(organisation=_organisation("ООО «Лютик»"), bank=None, login="b", full_name="Б", password="x")
    # then
    assert refused.value.message == "Программа уже настроена. Войдите в систему."
    assert AuditEvent.objects.filter(event="accounts.setup.complete").count() == 1
