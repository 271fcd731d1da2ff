"""Outbox rows for tests that need many of them, or one in a given state: written directly, without sending (a
letter a test sends goes through `services.outbox.letter_queue`)."""

from __future__ import annotations

import factory

from kontora.messaging.models import Letter
from tests.accounts.factories import UserFactory


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letter

    purpose = Letter.Purpose.TRANSACTIONAL
    state = Letter.State.SENT
    author = factory.SubFactory(UserFactory)
    client = None
    recipient = factory.Sequence(lambda n: f"client{n}@example.test")
    subject = factory.Sequence(lambda n: f"Счёт № {n}")
    text = "Добрый день!"
    message_id = factory.Sequence(lambda n: f"<letter{n}@romashka.test>")
