"""Billing (issue 18) over a million invoices, on SQLite and PostgreSQL: issuing an invoice of 20 lines, the invoice
journal's first page filtered by period and status, the debts report with ageing, an invoice's PDF and a bank
statement of 1,000 lines matched and recorded.

Bases: `kontora upgrade` + `kontora demo --clients N/10 --invoices N` (the demo's billing fill: executemany, COPY on
PostgreSQL, numbers in blocks through the numbering service), then bench.registry's users; built once and cached under
bench.registry's CACHE keyed by size, seed and the migrations (as its bases are). The build's time is reported.
PostgreSQL runs in bench.registry's throwaway cluster. Measured in a child process:

- reads (the journal, the debts report) with bench.clients' method: the call beside the very statements it sent,
  replayed on the driver's cursor, alternated call by call; medians. The journal is held to 50 ms and 3× its SQL;
- writes with bench.writes' method: each in a transaction rolled back, alternated with its statements replayed raw
  (the same rows every round, the commit outside both figures);
- the PDF and the statement, whole: median wall time of a few rounds (the statement's rolled back).

Each case calls one function named here, the product's own code: `journal_page` (`selectors.invoices.invoice_journal`),
`debts_report` (`selectors.reports.debts_ageing`), `invoice_pdf` (`selectors.printing.invoice_pdf`) and
`statement_record` (`services.statement.statement_load` and `statement_record`).

KONTORA_BENCH_INVOICES sets the size (default 1000000; e.g. 50000 for a smoke run); KONTORA_BENCH_DATABASES=sqlite
(or postgresql; default both); KONTORA_BENCH_BILLING_CASES=issue,journal only the cases named (by their start).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import ROOT, Result, child_env, django_in
from bench import clients as reads
from bench.clients import _compare
from bench.registry import CACHE, RAW_FACTOR, _build, _key, _pg_bin, _pg_cluster, _pg_database

INVOICES = int(os.environ.get("KONTORA_BENCH_INVOICES", "1000000"))
CLIENTS = max(INVOICES // 10, 1_000)  # ten invoices a client
ONLY = tuple(filter(None, os.environ.get("KONTORA_BENCH_BILLING_CASES", "").split(",")))
PAGE = 50
LINES = 20  # lines of the issued invoice
STATEMENT_LINES = 1_000
WHOLE_ROUNDS = 5  # the PDF's and the statement's rounds (each takes up to seconds)
# The debts report's rounds, each beside its SQL: a scan of the million takes seconds (a minute on a busy machine).
DEBTS_ROUNDS = int(os.environ.get("KONTORA_BENCH_DEBTS_ROUNDS", "3"))
# The issue's targets, ms of median server time.
TARGETS = {"issue": 50.0, "journal": 50.0, "debts": 1000.0, "pdf": 1000.0, "statement": 5000.0}


# --- the pieces other engineers write: plug the real ones in here ------------------------------------------------

def journal_page(user: Any, *, date_from: datetime.date, date_to: datetime.date, status: str) -> list[Any]:
    """The invoice journal's first page (Журналы → Журнал счетов) filtered by period and status."""
    from kontora.billing.selectors import invoices

    journal = getattr(invoices, "invoice_journal", None)
    if journal is not None:
        page = journal(fetched_by=user, date_from=date_from, date_to=date_to, status=status, legal_entity=None,
                       client=None, after=None, size=PAGE)
        return list(getattr(page, "rows", page))
    rows = invoices.invoice_list(fetched_by=user, status=status).filter(date__gte=date_from, date__lte=date_to)
    return list(rows[:PAGE])


def journal_label() -> str:
    from kontora.billing.selectors import invoices

    name = "invoice_journal" if hasattr(invoices, "invoice_journal") else "invoice_list + a period filter"
    return f"billing.selectors.invoices.{name}, first page of {PAGE}"


def debts_report(user: Any, today: datetime.date) -> object:
    """The receivables report's rows on `today`: its one query (per client and manager, the due of the open invoices
    by age, the names joined to the groups) and the rows made and ordered (`billing.selectors.reports.debts_ageing`)."""
    from kontora.billing.selectors.reports import debts_ageing

    return debts_ageing(user, on=today)


DEBTS_LABEL = "receivables with ageing on a date (`debts_ageing`: the grouped query with the names), every employee's"


def invoice_pdf(user: Any, invoice: Any) -> bytes:
    """The invoice's «Счёт на оплату» PDF as `billing:invoice_print` draws it, the access check included."""
    from kontora.billing.selectors.invoices import access_invoice
    from kontora.billing.selectors.printing import invoice_pdf as drawn

    return drawn(access_invoice(user, invoice.pk))


PDF_LABEL = "an invoice's PDF «Счёт на оплату» (bank block with the QR code, parties, lines, totals, sum in words)"




def statement_record(user: Any, data: bytes) -> int:
    """A bank statement loaded (read and matched, `statement_load`) and «Провести» (`statement_record`): the lines
    matched by the invoice number or by the payer's INN and amount recorded as payments; returns how many."""
    from kontora.billing.services.statement import statement_load
    from kontora.billing.services.statement import statement_record as record

    loaded = statement_load(acting_user=user, data=data, filename="bench.txt")
    return record(acting_user=user, statement_id=loaded.pk).recorded


STATEMENT_LABEL = (f"a bank statement of {STATEMENT_LINES:,} lines loaded, matched and recorded (`statement_load` "
                   "+ «Провести»)")


# --- measuring (in the child) ------------------------------------------------------------------------------------

def _statement_file(account: str, today: datetime.date) -> tuple[bytes, int]:
    """A 1C exchange file of STATEMENT_LINES incoming payments for open invoices of our default payee (19 in 20
    naming the invoice, the rest only the payer) and a few matching nothing; returns it and how many should match."""
    from kontora.billing.models import Invoice

    # Not of private clients: their cards are their curators' alone, and the bench's administrator records them all.
    open_ = list(Invoice.objects.filter(status=Invoice.Status.ISSUED, legal_entity__is_default=True,
                                        number_year=today.year, due__gt=0, client__is_private=False)
                 .order_by("-date", "-id").values_list("number", "date", "due", "client__inn", "client__full_name")
                 [:STATEMENT_LINES])
    day = f"{today:%d.%m.%Y}"
    lines = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", f"ДатаСоздания={day}",
             f"ДатаНачала={day}", f"ДатаКонца={day}", f"РасчСчет={account}"]
    for n, (number, date, due, inn, name) in enumerate(open_):
        purpose = (f"Оплата по счёту № {number} от {date:%d.%m.%Y}" if n % 20 else "Оплата за товары")
        lines += ["СекцияДокумент=Платежное поручение", f"Номер={n + 1}", f"Дата={day}", f"Сумма={due:.2f}",
                  f"Плательщик1={name}", f"ПлательщикИНН={inn}", "ПлательщикСчет=40702810100000000777",
                  f"ПолучательСчет={account}", f"ПолучательРасчСчет={account}", f"ДатаПоступило={day}",
                  f"НазначениеПлатежа={purpose}", "КонецДокумента"]
    for n in range(STATEMENT_LINES - len(open_)):
        lines += ["СекцияДокумент=Платежное поручение", f"Номер={9000 + n}", f"Дата={day}", "Сумма=1234.56",
                  "Плательщик1=ООО «Неизвестный»", "ПлательщикИНН=7700000000", f"ПолучательСчет={account}",
                  f"ДатаПоступило={day}", "НазначениеПлатежа=Оплата по договору", "КонецДокумента"]
    lines.append("КонецФайла")
    return ("\r\n".join(lines) + "\r\n").encode("cp1251", errors="replace"), len(open_)


def _whole(case: str, label: str, call: Callable[[], object], sizes: str, *, rollback: bool) -> dict[str, Any]:
    """The median wall (and this thread's CPU) time of a few whole calls; writes rolled back."""
    from django.db import connection, transaction

    def once() -> object:
        if not rollback:
            return call()
        with transaction.atomic():
            result = call()
            transaction.set_rollback(True)
        return result

    answer = once()  # warm-up (templates, fonts, imports)
    walls, cpus = [], []
    for _ in range(WHOLE_ROUNDS):
        wall, cpu = time.perf_counter(), time.thread_time()
        once()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.thread_time() - cpu) * 1000)
    return {"case": case, "measure": label, "value": statistics.median(walls), "baseline": TARGETS[case],
            "unit": "ms", "cpu_value": statistics.median(cpus),
            "sizes": f"{sizes}; {WHOLE_ROUNDS} rounds; answer {answer if isinstance(answer, int) else 'ok'}; "
                     f"{connection.vendor}"}


def _measure_all(home: str) -> list[dict[str, Any]]:
    django_in(home)
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from bench.writes import _write_compare
    from kontora.accounts.models import User
    from kontora.billing.models import Invoice, InvoiceLine, Payment
    from kontora.billing.selectors.invoices import rates_offered
    from kontora.billing.services.invoices import InvoiceData, LineData, invoice_create, invoice_issue
    from kontora.clients.models import Client
    from kontora.core.models import BankAccount, LegalEntity
    from kontora.directories.models import NomenclatureItem

    assert not settings.DEBUG
    admin = User.objects.get(login="bench-admin")
    manager = User.objects.get(login="bench-manager")
    today = timezone.localdate()
    total, lines, payments = Invoice.objects.count(), InvoiceLine.objects.count(), Payment.objects.count()
    sizes = f"{total:,} invoices, {lines:,} lines, {payments:,} payments, {Client.objects.count():,} clients"
    rows: list[dict[str, Any]] = []

    def wanted(case: str) -> bool:
        return not ONLY or case.startswith(ONLY)

    partial = Path(home) / f"bench-billing-partial-{connection.vendor}.jsonl"  # what a failed run still measured
    partial.write_text("")

    def note(case: str) -> None:
        saved()
        print(f"  {connection.vendor} {total:,}: {case} …", file=sys.stderr, flush=True)

    def saved() -> None:
        """The rows measured so far, on file (a run stopped midway keeps them)."""
        partial.write_text("".join(json.dumps({**row, "vendor": connection.vendor}, ensure_ascii=False) + "\n"
                                   for row in rows))

    if wanted("issue"):
        note("issue")
        entity = LegalEntity.objects.get(is_default=True)
        rate = rates_offered(entity, today).default
        items = list(NomenclatureItem.objects.filter(is_active=True, sale_price__gt=0).order_by("pk")[:LINES])
        client = Client.objects.filter(curator__isnull=False).order_by("pk").first()
        data = InvoiceData(client=client, date=today, lines=[
            LineData(name=item.name, quantity=Decimal(n % 7 + 1), price=item.sale_price, unit="шт",
                     discount=Decimal(5 if n % 4 == 0 else 0), vat_rate=rate, item=item)
            for n, item in enumerate(items * (LINES // len(items) + 1))][:LINES])

        def issue() -> object:
            invoice = invoice_create(acting_user=admin, data=data)
            return invoice_issue(acting_user=admin, invoice_id=invoice.pk)

        rows.append(_write_compare("issue", f"invoice_create + invoice_issue of {LINES} lines (services, rolled back)",
                                   issue, sizes))
    if wanted("journal"):
        note("journal")
        quarter, year_ago = today - datetime.timedelta(days=90), today - datetime.timedelta(days=365)
        choices = [(quarter, today, Invoice.Status.ISSUED), (year_ago, year_ago + datetime.timedelta(days=30),
                                                            Invoice.Status.PAID),
                   (quarter, today, Invoice.Status.CANCELLED)]
        label = f"{journal_label()}: last 90 days issued / a month a year ago paid / 90 days cancelled"
        rows.append({"case": "journal", **_compare(f"{label}, administrator", [
            (lambda f=f, t=t, s=s: journal_page(admin, date_from=f, date_to=t, status=s)) for f, t, s in choices],
            sizes)})
        note("journal_manager")
        rows.append({"case": "journal_manager", **_compare(f"{label}, a manager in own mode (1 client in 200)", [
            (lambda f=f, t=t, s=s: journal_page(manager, date_from=f, date_to=t, status=s)) for f, t, s in choices],
            sizes)})
    if wanted("debts"):
        note("debts")
        open_count = Invoice.objects.filter(status__in=[Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID]).count()
        rounds, warmup = reads.ROUNDS, reads.WARMUP
        reads.ROUNDS, reads.WARMUP = DEBTS_ROUNDS, 0  # the statements' capture is its warm-up
        try:
            rows.append({"case": "debts", **_compare(f"{DEBTS_LABEL}, administrator",
                                                     [lambda: debts_report(admin, today)],
                                                     f"{sizes}; {open_count:,} open")})
        finally:
            reads.ROUNDS, reads.WARMUP = rounds, warmup
        saved()
    if wanted("pdf"):
        note("pdf")
        # The recent invoice with the most lines (the demo's have up to six).
        latest = Invoice.objects.filter(legal_entity__is_default=True).order_by("-id").values("pk")[:500]
        pk = (InvoiceLine.objects.filter(invoice__in=latest).values("invoice").annotate(n=Count("id"))
              .order_by("-n", "-invoice").values_list("invoice", flat=True).first())
        invoice = Invoice.objects.select_related("client", "legal_entity", "bank_account").get(pk=pk)
        rows.append(_whole("pdf", PDF_LABEL, lambda: invoice_pdf(admin, invoice),
                           f"{sizes}; invoice of {invoice.lines.count()} lines", rollback=False))
    if wanted("statement"):
        note("statement")
        account = BankAccount.objects.get(is_default=True).account
        data, matching = _statement_file(account, today)
        rows.append(_whole("statement", STATEMENT_LABEL, lambda: statement_record(admin, data),
                           f"{sizes}; {matching:,} lines for open invoices", rollback=True))
    for row in rows:
        row["vendor"] = connection.vendor
    saved()
    return rows


# --- building and running (in the parent) ------------------------------------------------------------------------

def _verdicts(rows: list[dict[str, Any]], builds: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    for row in rows:
        case, value, base = row["case"], row["value"], row["baseline"]
        checks = []
        if case in TARGETS:
            checks.append((f"≤ {TARGETS[case]:g} ms", value <= TARGETS[case]))
        if case == "journal":
            checks.append((f"≤ {RAW_FACTOR:g}× raw", value <= RAW_FACTOR * base))
        verdict = ", ".join(f"{text} {'PASS' if ok else 'FAIL'}" for text, ok in checks) or "(information)"
        cpu = f"  [CPU {row['cpu_value']:.1f} ms]" if "cpu_value" in row else ""
        kind = "target" if case in ("pdf", "statement") else "raw SQL"
        lines.append(f"{row['vendor']:<10} {case:<16} {value:9.2f} ms  {kind} {base:9.3f} ms  "
                     f"ratio {value / base if base else float('inf'):6.2f}  {verdict}{cpu}")
    for name, record in builds.items():
        fill = re.search(r"added (\d+) invoices .*? in ([\d.]+) s \(([\d.]+) s CPU\)", record.get("demo_output", ""))
        lines.append(f"{name}: base built in {record['demo_seconds']:.0f} s"
                     + (f" (the billing fill: {int(fill.group(1)):,} invoices in {fill.group(2)} s, "
                        f"{fill.group(3)} s CPU)" if fill else ""))
    load = os.getloadavg()
    lines.append(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")
    return lines


DEMO_ARGS = ["--invoices", str(INVOICES), "--sales", "0", "--works", "0", "--events", "0", "--tasks", "0"]


def _measure(home: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    child = subprocess.run([sys.executable, "-m", "bench.billing", "measure", str(home)], env=env, cwd=ROOT,
                           check=True, stdout=subprocess.PIPE, text=True)
    rows: list[dict[str, Any]] = json.loads(child.stdout)
    return rows


def run() -> list[Result]:
    wanted = set(os.environ.get("KONTORA_BENCH_DATABASES", "sqlite,postgresql").split(","))
    key = f"billing-{INVOICES}-{_key(CLIENTS)}"
    rows: list[dict[str, Any]] = []
    builds: dict[str, dict[str, Any]] = {}
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", file=sys.stderr)
    if "sqlite" in wanted:
        home = CACHE / f"sqlite-{key}"
        env = child_env(home)
        builds["sqlite"] = _build(home, env, CLIENTS, demo_args=DEMO_ARGS)
        rows += _measure(home, env)
    pg_bin = _pg_bin()
    if "postgresql" in wanted and pg_bin is None:
        print("no PostgreSQL binaries under /usr/lib/postgresql: PostgreSQL not measured", file=sys.stderr)
    elif "postgresql" in wanted and pg_bin is not None:
        with _pg_cluster(pg_bin) as server:
            home = CACHE / f"pg-{key}"
            home.mkdir(parents=True, exist_ok=True)
            env = child_env(home, _pg_database(server, f"kontora_{key.replace('-', '_')}", home))
            builds["postgresql"] = _build(home, env, CLIENTS, demo_args=DEMO_ARGS)
            rows += _measure(home, env)
    verdicts = _verdicts(rows, builds)
    print("\n".join(verdicts), file=sys.stderr)
    out = ROOT / "build" / "bench-billing.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"rows": rows, "verdicts": verdicts, "builds": builds}, ensure_ascii=False, indent=1))
    return [Result(f"billing/{row['vendor']}", row["measure"], row["value"], row["baseline"], row["unit"],
                   row["sizes"]) for row in rows]


if __name__ == "__main__":
    if sys.argv[1:2] != ["measure"] or len(sys.argv) != 3:
        sys.exit("usage: python -m bench.billing measure KONTORA_HOME  (or: python -m bench billing)")
    print(json.dumps(_measure_all(sys.argv[2])))
