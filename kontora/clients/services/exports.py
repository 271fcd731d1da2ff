"""The export log (ACL-06): every export of clients is on record — who, when, in which form, which selection, and
how many rows were actually written."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients.models import ClientExport
from kontora.clients.selectors.exports import FORMATS
from kontora.core.audit import audit_record, model_update


def client_export_start(*, acting_user: User, fmt: str, description: str, address: str) -> ClientExport:
    """The log row of an export about to be written (rows = 0 until the writer reports how many).

    Written before the first client row, so even an aborted download is on record.
    """
    if fmt not in FORMATS:
        raise ValidationError({"format": _("Choose the file format.")})
    with transaction.atomic():
        export = ClientExport.objects.create(
            user=acting_user, user_login=acting_user.login, format=fmt, rows=0,
            description=description[:500], address=address[:64],
        )
        audit_record(actor=acting_user, event="clients.export.start", summary=_("Client export started"),
                     target=export, extra={"format": fmt, "description": export.description,
                                           "address": export.address})
    return export


def client_export_finish(*, acting_user: User, export: ClientExport, rows: int) -> None:
    """The number of client rows the writer actually wrote (also of a download dropped half-way)."""
    with transaction.atomic():
        changes = model_update(export, data={"rows": rows}, fields=["rows"])
        audit_record(actor=acting_user, event="clients.export.finish", summary=_("Client export finished"),
                     target=export, changes=changes, extra={"rows": rows})
