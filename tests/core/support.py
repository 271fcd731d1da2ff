"""Plain helpers of core's tests: our organisation's requisites as the tests enter them, archive members, the bell's
answers."""

from __future__ import annotations

import re
import tarfile
from html import unescape
from pathlib import Path
from typing import Any

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


def bell_answer(response: Any) -> dict[str, Any]:
    """An answer of the bell's poll, read as the page sees it: the state for the next poll, the count on the badge
    and the toasts added (id, sender shown, text, the "Open" link)."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    badge = re.search(r'data-testid="bell-count"( hidden)?>([^<]*)<', page)
    assert badge is not None
    toasts = []
    for one in re.findall(r'<div class="toast".*?</div>\s*</div>\s*</div>', page, re.S):
        open_link = re.search(r'<a href="([^"]*)">Открыть</a>', one)
        toasts.append((
            int(re.search(r'data-notification="(\d+)"', one)[1]),  # type: ignore[index]
            unescape(re.search(r'<strong class="me-auto">(.*?)</strong>', one, re.S)[1].strip()),  # type: ignore[index]
            unescape(re.search(r'<div class="k-toast-text">(.*?)</div>', one, re.S)[1]),  # type: ignore[index]
            open_link[1] if open_link else "",
        ))
    return {
        "after": int(re.search(r'name="after" value="(\d+)"', page)[1]),  # type: ignore[index]
        "unread": int(re.search(r'name="unread" value="(-?\d+)"', page)[1]),  # type: ignore[index]
        "badge": "" if badge[1] else badge[2],
        "toasts": toasts,
    }
