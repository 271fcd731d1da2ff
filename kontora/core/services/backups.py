"""Backups as the administrator meets them: a download of an archive is recorded in the audit log.

An archive is the whole base, private clients included; taking one away is an administrator's right, never a
silent one (issue 11, item 2): the row's event is "backup.download", which the sign-in notice reads.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kontora.core.audit import audit_record
from kontora.core.permissions import Actor


def backup_download_record(*, acting_user: Actor, name: str, size: int) -> None:
    with transaction.atomic():
        audit_record(actor=acting_user, event="backup.download",
                     summary=_("Backup archive %(name)s downloaded.") % {"name": name},
                     extra={"archive": name, "size": size})
