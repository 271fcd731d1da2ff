"""Bank statement import (issue 18, INV-04): a statement of 1,000 incoming lines loaded, matched and recorded
(≤ 5 s, SQLite and PostgreSQL).

`run()` makes a fresh SQLite base with `kontora upgrade` and `kontora demo` (2,000 clients), then measures in a
child process (`python -m bench.statement measure HOME`): an administrator's 1,000 clients get INNs and an issued
invoice each; the statement names 400 invoices by number in the purpose, pays 400 by the payer's INN and the due
amount, brings 100 advances of known payers and 100 payments of strangers. `statement_load` (read + match + kept)
and `statement_record` (every matched line a payment, one transaction) are timed; the baseline is the target.
With KONTORA_BENCH_DATABASES naming postgresql and KONTORA_BENCH_PG_URL a PostgreSQL base, the same there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from typing import Any

from bench import ROOT, Result, child_env, django_in

LINES = 1000
CLIENTS = 2000
TARGET_MS = 5000.0


def _file(account: str, documents: list[tuple[str, str, str, str]], day: str) -> bytes:
    lines = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", f"ДатаНачала={day}",
             f"ДатаКонца={day}", f"РасчСчет={account}"]
    for number, amount, inn, purpose in documents:
        lines += ["СекцияДокумент=Платежное поручение", f"Номер={number}", f"Дата={day}", f"Сумма={amount}",
                  "ПлательщикСчет=40702810100000000777", f"ПлательщикИНН={inn}", "Плательщик1=ООО «Плательщик»",
                  f"ПолучательСчет={account}", f"ДатаПоступило={day}", f"НазначениеПлатежа={purpose}",
                  "КонецДокумента"]
    lines.append("КонецФайла")
    return "\r\n".join(lines).encode("cp1251")


def _measure(home: str) -> list[dict[str, Any]]:
    django_in(home)
    from django.utils import timezone

    from kontora.accounts.models import User
    from kontora.billing.models import Invoice, Payment
    from kontora.billing.services.statement import statement_load, statement_record
    from kontora.clients.models import Client
    from kontora.core.models import BankAccount, LegalEntity

    admin = User.objects.filter(login="bench-admin").first() or User.objects.create(
        login="bench-admin", login_key="bench-admin", full_name="Бенч Администратор", role="admin",
        client_scope="full", doc_prefix="БА")
    entity = LegalEntity.objects.filter(is_default=True).first() or LegalEntity.objects.create(
        full_name="ООО «Контора»", short_name="ООО «Контора»", inn="7707083893", is_default=True)
    account = BankAccount.objects.filter(legal_entity=entity).first() or BankAccount.objects.create(
        legal_entity=entity, bank_name="ПАО Сбербанк", bik="044525225", account="40702810538000000001",
        is_default=True)
    today = timezone.localdate()
    clients = list(Client.objects.filter(is_private=False).order_by("id")[:LINES])
    for n, client in enumerate(clients):
        client.inn = f"{5000000000 + n}"
    Client.objects.bulk_update(clients, ["inn"], batch_size=500)
    first = (Invoice.objects.filter(legal_entity=entity, number_year=today.year).order_by("-number")
             .values_list("number", flat=True).first() or 0) + 1
    invoices = Invoice.objects.bulk_create([
        Invoice(client=client, legal_entity=entity, bank_account=account, date=today, number=first + n,
                number_year=today.year, prefix="БА", status=Invoice.Status.ISSUED, gross=Decimal(1000 + n),
                due=Decimal(1000 + n), author=admin)
        for n, client in enumerate(clients)
    ])
    documents = []
    for n in range(LINES):
        invoice, inn = invoices[n], clients[n].inn
        if n < 400:
            documents.append((f"{n + 1}", f"{invoice.gross}", inn, f"Оплата по счёту № БА-{invoice.number}"))
        elif n < 800:
            documents.append((f"{n + 1}", f"{invoice.gross}", inn, "Оплата по договору"))
        elif n < 900:
            documents.append((f"{n + 1}", "777.00", inn, "Предоплата"))
        else:
            documents.append((f"{n + 1}", "50.00", f"{9000000000 + n}", "Возврат займа"))
    data = _file(account.account, documents, f"{today:%d.%m.%Y}")
    started = time.perf_counter()
    loaded = statement_load(acting_user=admin, data=data, filename="bench.txt")
    matched = time.perf_counter()
    done = statement_record(acting_user=admin, statement_id=loaded.pk)
    ended = time.perf_counter()
    assert done.recorded == 900 and Payment.objects.filter(bank_document__in=[d[0] for d in documents]).count() >= 900
    sizes = f"{LINES} lines, {done.recorded} recorded"
    return [
        {"measure": "statement of 1,000 lines loaded and matched", "value": (matched - started) * 1000,
         "baseline": TARGET_MS, "unit": "ms", "sizes": sizes},
        {"measure": "statement of 1,000 lines loaded, matched and recorded (target 5 s)",
         "value": (ended - started) * 1000, "baseline": TARGET_MS, "unit": "ms", "sizes": sizes},
    ]


def run() -> list[Result]:
    results: list[Result] = []
    urls = [""]
    if "postgresql" in os.environ.get("KONTORA_BENCH_DATABASES", "") and os.environ.get("KONTORA_BENCH_PG_URL"):
        urls.append(os.environ["KONTORA_BENCH_PG_URL"])
    for url in urls:
        with tempfile.TemporaryDirectory(prefix="kontora-bench-") as home:
            env = child_env(home, url)
            subprocess.run([sys.executable, "-m", "kontora.cli", "upgrade"], env=env, cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
            subprocess.run([sys.executable, "-m", "kontora.cli", "demo", "--clients", str(CLIENTS), "--events", "0",
                            "--tasks", "0"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            child = subprocess.run([sys.executable, "-m", "bench.statement", "measure", home], env=env, cwd=ROOT,
                                   check=True, capture_output=True, text=True)
        name = "statement" + (" (postgresql)" if url else "")
        results += [Result(name, **row) for row in json.loads(child.stdout)]
    return results


if __name__ == "__main__" and sys.argv[1:2] == ["measure"]:
    print(json.dumps(_measure(sys.argv[2])))
