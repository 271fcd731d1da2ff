"""`kontora demo`: fills the base with demonstration clients, their relationship history and tasks, their invoices,
payments, acts, invoice-facturas, sales and works."""

from __future__ import annotations

import argparse
import time

from kontora.cli.common import EXIT_OK
from kontora.cli.database import prepare, require_current_schema

EVENTS_PER_CLIENT = 5
TASKS_PER_CLIENT = 1
# The money side (issue 18): an invoice, a sale and a work per client.
INVOICES_PER_CLIENT = SALES_PER_CLIENT = WORKS_PER_CLIENT = 1


def cmd_demo(args: argparse.Namespace) -> int:
    prepare()
    require_current_schema()
    from kontora.activity.demo import activity_fill
    from kontora.clients.demo import demo_fill

    started = time.monotonic()
    result = demo_fill(clients=args.clients, seed=args.seed, password=args.password)
    print(f"added {result.clients} clients (codes from {result.first_code}) with {result.contacts} contact persons, "
          f"curated by {result.users} demo users, in {time.monotonic() - started:.1f} s", flush=True)
    events = EVENTS_PER_CLIENT * args.clients if args.events is None else args.events
    tasks = TASKS_PER_CLIENT * args.clients if args.tasks is None else args.tasks
    if events or tasks:
        started = time.monotonic()
        activity = activity_fill(first_code=result.first_code, events=events, tasks=tasks,
                                 users=list(result.user_ids), seed=args.seed)
        (events_wall, events_cpu), (tasks_wall, tasks_cpu) = activity.events_time, activity.tasks_time
        print(f"added {activity.events} events and {activity.tasks} tasks about them, "
              f"in {time.monotonic() - started:.1f} s (events {events_wall:.1f} s, {events_cpu:.1f} s CPU; "
              f"tasks {tasks_wall:.1f} s, {tasks_cpu:.1f} s CPU)")
    invoices = INVOICES_PER_CLIENT * args.clients if args.invoices is None else args.invoices
    sales = SALES_PER_CLIENT * args.clients if args.sales is None else args.sales
    works = WORKS_PER_CLIENT * args.clients if args.works is None else args.works
    if invoices or sales or works:
        from kontora.billing.demo import billing_fill

        shares = {name: getattr(args, name) / 100 for name in ("act_share", "factura_share")
                  if getattr(args, name, None) is not None}
        billing = billing_fill(first_code=result.first_code, invoices=invoices, sales=sales, works=works,
                               users=list(result.user_ids), seed=args.seed, **shares)
        wall, cpu = billing.seconds
        print(f"added {billing.invoices} invoices with {billing.lines} lines and {billing.payments} payments, "
              f"{billing.acts} acts and {billing.facturas} invoice-facturas, "
              f"{billing.sales} sales and {billing.works} works, in {wall:.1f} s ({cpu:.1f} s CPU)"
              + (f"; {billing.items_added} nomenclature items added" if billing.items_added else ""), flush=True)
    return EXIT_OK
