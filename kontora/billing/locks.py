"""Row locks of billing (core.locks): a sale or a work is changed by one transaction at a time."""

from __future__ import annotations

from kontora.billing.models import Sale, Work
from kontora.core.locks import locked


def sale_to_change(sale_id: int) -> Sale:
    return locked(Sale.objects.filter(pk=sale_id)).select_related("client", "item").get()


def work_to_change(work_id: int) -> Work:
    return locked(Work.objects.filter(pk=work_id)).select_related("client").get()
