"""Row locks of the board (core.locks): a card's move holds its client's row, so the stage it was read at is
compared with the stage it stands at under the lock (two users dragging one card queue)."""

from __future__ import annotations

from kontora.clients.models import Client
from kontora.core.locks import locked


def client_to_move(client_id: int) -> Client:
    return locked(Client.objects.filter(pk=client_id).select_related("ladder_stage")).get()
