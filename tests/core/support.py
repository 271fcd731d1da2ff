"""Plain helpers of core's tests: our organisation's requisites as the tests enter them, archive members."""

from __future__ import annotations

import tarfile
from pathlib import Path

from kontora.core.models import AuditEvent
from kontora.core.services.organisation import BankAccountData, LegalEntityData

ROMASHKA = LegalEntityData(
    full_name="Общество с ограниченной ответственностью «Ромашка»", short_name="ООО «Ромашка»",
    inn="7707083893", kpp="773601001", ogrn="1027700132195",
)
SBER_ACCOUNT = BankAccountData(
    bank_name="ПАО Сбербанк", bik="044525225", corr_account="30101810400000000225", account="40702810938000000001"
)


def alfa_account(tail: str) -> str:
    """A valid settlement account at Alfa-Bank (key against BIK …593)."""
    for key in "0123456789":
        account = f"40802810{key}{tail}"
        if sum(int(c) * (7, 1, 3)[i % 3] for i, c in enumerate("593" + account)) % 10 == 0:
            return account
    raise AssertionError


def read_member(archive: Path, name: str) -> bytes:
    with tarfile.open(archive) as tar:
        return tar.extractfile(name).read()  # type: ignore[union-attr]


def audit_row(event: str) -> AuditEvent:
    """The one audit row of `event` (a service writes exactly one per call)."""
    rows = list(AuditEvent.objects.filter(event=event))
    assert len(rows) == 1, [(row.event, row.summary) for row in AuditEvent.objects.all()]
    return rows[0]
