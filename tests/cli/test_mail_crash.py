"""A mailing whose worker is killed outright (GRP-06): a real `kontora worker` sends a mailing's letters to a real
SMTP server and is killed with SIGKILL between a letter's send and its record; the round after the restart sends
the rest. The server saw no letter twice, and every row ends sent, failed or unknown — none lost, none resent by
itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.support import DJANGO_PRELUDE, ROOT, Home, query, wait_for
from tests.messaging.support import LOGIN, PASSWORD, Inbox, SmtpServer, serve

pytestmark = pytest.mark.feature("GRP-06")

LETTERS = 6
PAUSE = 1.0  # seconds between a letter's send and its record: the kill falls in it

# `kontora worker` as the operator runs it, with a pause after each letter leaves and before it is recorded.
SLOW_WORKER = DJANGO_PRELUDE + f"""
import sys, time
from kontora.messaging.services.smtp import SmtpSession
deliver = SmtpSession.deliver
def slow_deliver(self, message):
    reply = deliver(self, message)
    time.sleep({PAUSE})
    return reply
SmtpSession.deliver = slow_deliver
from kontora.cli import main
sys.exit(main(["worker", "--threads", "1"]))
"""

MAILING = DJANGO_PRELUDE + """
import sys
from django.db import transaction
from kontora.accounts.models import User
from kontora.messaging.services.mailboxes import mailbox_save
from kontora.messaging.services.marketing import mailing_create, marketing_letter_queue
from kontora.messaging.services.outbox import letters_send_soon
from tests.clients.factories import ClientFactory
from tests.messaging.support import subscribed
admin = User.objects.get(login="admin")
port, login, password, count = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
mailbox_save(acting_user=admin, values={"host": "localhost", "port": port, "security": "starttls", "address": login,
                                        "login": login, "password": password, "limit_minute": 0, "limit_hour": 0,
                                        "limit_day": 0, "window_from": "00:00", "window_to": "00:00"})
mailing = mailing_create(acting_user=admin, subject="Новости", text="Здравствуйте!", html="", individual=False,
                         attachments=())
with transaction.atomic():
    for n in range(count):
        client = ClientFactory(curator=admin)
        subscribed(client, f"buyer{n}@example.test")
        marketing_letter_queue(mailing=mailing, client=client, recipient=f"buyer{n}@example.test", values={})
    letters_send_soon()
"""

# What the per-minute round of a restarted worker does, run when the dead worker's lease is over.
NEXT_ROUND = DJANGO_PRELUDE + """
from django.utils import timezone
from kontora.messaging.services import outbox
outbox.letters_sending_expire(now=timezone.now() + outbox.SENDING_LEASE)
outbox.letters_send_due(rounds=50)
"""


@pytest.fixture
def smtp_server(certificate: tuple[Path, Path], settings: Any) -> Iterator[SmtpServer]:
    yield from serve(certificate, settings, "starttls", Inbox())


def _child(home: Home, env: dict[str, str], code: str, *args: str) -> None:
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-4000:]


def test_a_mailing_whose_worker_is_killed_loses_no_letter_and_sends_none_twice(
    home: Home, smtp_server: SmtpServer, certificate: tuple[Path, Path],
) -> None:
    env = {**home.env, "KONTORA_MAIL_CA_FILE": str(certificate[0]), "KONTORA_PUBLIC_URL": "https://crm.test"}
    log = home.path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen([sys.executable, "-c", SLOW_WORKER], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=output)
    try:
        # given a mailing of six letters handed to the worker
        _child(home, env, MAILING, str(smtp_server.port), LOGIN, PASSWORD, str(LETTERS))
        # when the worker is killed right after the third letter reached the server, before its record
        try:
            wait_for(lambda: len(smtp_server.inbox.letters) >= 3, seconds=90)
        except AssertionError:
            raise AssertionError(log.read_text(errors="replace")[-4000:]) from None
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    states = dict(query(home, "SELECT recipient, state FROM messaging_letter"))
    assert sorted(states.values()) == ["queued"] * (LETTERS - 3) + ["sending"] + ["sent"] * 2
    # and the restarted worker's round comes after the dead one's lease
    _child(home, env, NEXT_ROUND)
    # then the server saw each letter once: the one whose record was lost is "unknown", never resent by itself
    received = [str(letter["To"]) for letter in smtp_server.inbox.letters]
    assert sorted(received) == sorted(set(received)) and len(received) == LETTERS
    states = dict(query(home, "SELECT recipient, state FROM messaging_letter"))
    assert sorted(states.values()) == ["sent"] * (LETTERS - 1) + ["unknown"]
    unknown = next(recipient for recipient, state in states.items() if state == "unknown")
    assert unknown in received
