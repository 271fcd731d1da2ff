"""The servers and workers of a base, registered in it (SYS-10): what a restore from any home consults."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from kontora.core.models import ServerProcess
from kontora.core.selectors.servers import FRESH, servers_described, servers_running
from kontora.core.services import servers


@pytest.mark.feature("SYS-10")
def test_a_registered_server_runs_until_it_is_forgotten(db):
    # given
    process = servers.server_register(role="serve", home="/srv/kontora/a", port=8001)
    # then
    assert [(row.role, row.host, row.pid, row.port) for row in servers_running()] == [
        ("serve", socket.gethostname(), os.getpid(), 8001)]
    # when
    servers.server_forget(process)
    # then
    assert servers_running() == []


@pytest.mark.feature("SYS-10")
def test_a_server_not_renewed_for_a_while_counts_as_gone_and_renewing_keeps_it(db):
    # given: two servers last seen just past and just within the freshness
    gone = servers.server_register(role="serve", home="/a", port=8001)
    kept = servers.server_register(role="worker", home="/b")
    ServerProcess.objects.filter(pk=gone.pk).update(seen_at=timezone.now() - FRESH - timedelta(seconds=1))
    ServerProcess.objects.filter(pk=kept.pk).update(seen_at=timezone.now() - FRESH + timedelta(seconds=5))
    # then
    assert [row.pk for row in servers_running()] == [kept.pk]
    # when: the old one renews (it was only slow)
    servers.server_renew(gone)
    # then
    assert {row.pk for row in servers_running()} == {gone.pk, kept.pk}


@pytest.mark.feature("SYS-10")
def test_a_server_whose_row_vanished_registers_again_when_it_renews(db):
    # given: a restore replaced the base and forgot the rows of the restored one
    process = servers.server_register(role="serve", home="/a", port=8001)
    servers.servers_forget()
    assert servers_running() == []
    # when
    servers.server_renew(process)
    # then
    assert [(row.role, row.port, row.home) for row in servers_running()] == [("serve", 8001, "/a")]


@pytest.mark.feature("SYS-10")
def test_the_operator_reads_each_process_as_host_port_and_pid(db):
    rows = [ServerProcess(role="serve", host="app1", pid=42, port=8000, home="/a"),
            ServerProcess(role="worker", host="app2", pid=7, home="/b")]
    assert servers_described(rows) == "server app1:8000 (pid 42), worker app2 (pid 7)"
