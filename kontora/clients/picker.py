"""The clients picker: forms choose a client by typing the start of its name, among the clients the user sees.

Registered as a directory (by hooks.py) so the engine's search-as-you-type widget and `directories:pick` serve
it; the rows start from `access.visible_clients`, so a picker never offers a client (a private one above all)
the user may not see. Clients are created and changed in their own card, never from the picker.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kontora.clients.access import visible_clients
from kontora.clients.models import Client
from kontora.directories.hooks import Directory

CLIENTS = Directory(
    key="clients",
    model=Client,
    fields=("code", "short_name"),
    title=_("Clients"),
    search_field="name_key",
    order_by=("name_key", "id"),
    in_menu=False,
    queryset_for=visible_clients,
    editable=False,
)
