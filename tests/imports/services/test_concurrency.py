"""An import never stalls the office (IMP-03): another user's card save made while the import writes its batches
gets in between two batches — it is neither refused as "database is locked" nor left waiting for the whole import."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from kontora.clients.models import Client
from kontora.clients.services.card import client_update
from kontora.core.services import jobs
from kontora.imports.services import writing
from kontora.imports.services.writing import import_start, import_write
from tests.clients.factories import ClientFactory
from tests.imports.support import checked, importer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.feature("IMP-03"),
              pytest.mark.usefixtures("english", "small_batches")]


def test_a_card_save_during_an_import_gets_in_between_two_batches(monkeypatch):
    # given an import of 60 rows (20 batches) and another user's client
    monkeypatch.setattr(jobs, "_enqueue", lambda job_id: None)  # the writing runs in the thread below, not the queue
    user, other = importer(), importer()
    card = ClientFactory(short_name="Карточка", curator=other)
    run = import_start(acting_user=user, import_id=checked(
        user, [[f"ООО «Клиент {n}»", "", "", "", "", "", ""] for n in range(60)]).pk)
    first_batch = threading.Event()
    real_gap = writing._gap

    def gap() -> None:
        first_batch.set()
        real_gap()

    monkeypatch.setattr(writing, "_gap", gap)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            import_write(import_id=run.pk)
        except BaseException as exc:  # the main thread reports it
            failures.append(exc)
        finally:
            connections.close_all()

    worker = threading.Thread(target=write)
    # when the other user saves his card once the import has written its first batch
    worker.start()
    assert first_batch.wait(30)
    client_update(acting_user=other, client=card, values={"website": "example.ru"})
    imported_by_then = Client.objects.filter(created_by=user).count()
    worker.join(60)
    # then his save went in while the import was still writing, and the import finished
    assert failures == []
    assert 0 < imported_by_then < 60
    assert Client.objects.filter(created_by=user).count() == 60
    card.refresh_from_db()
    assert card.website == "example.ru"
