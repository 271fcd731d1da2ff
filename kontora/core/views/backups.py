"""Administration → Backups: the archives in the backup folder, a backup made now, downloads."""

from __future__ import annotations

import os

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kontora.core.backup import backup_dir, backup_list, backup_path
from kontora.core.permissions import actor_of, admin_required
from kontora.core.selectors import jobs as selectors
from kontora.core.services import backups as backup_services
from kontora.core.services import jobs as job_services
from kontora.core.text import id_param


@admin_required
@require_GET
def backups(request: HttpRequest) -> HttpResponse:
    job_id = id_param(request.GET.get("job"))
    job = selectors.access_job(request.user, job_id) if job_id is not None else None
    context = {
        "archives": backup_list(),
        "job": job,
        "job_can_cancel": bool(job and job_services.job_cancellable(job)),
        "backup_dir": backup_dir(),
        "backup_hour": settings.BACKUP_HOUR,
        "backup_keep": settings.BACKUP_KEEP,
    }
    return render(request, "core/backups.html", context)


@admin_required
@require_POST
def backup_create(request: HttpRequest) -> HttpResponse:
    job = job_services.job_start(acting_user=actor_of(request), kind="backup", title=_("Backup"))
    return redirect(f"{reverse('core:backups')}?job={job.pk}")


@admin_required
@require_GET
def backup_download(request: HttpRequest, name: str) -> HttpResponse:
    path = backup_path(name)  # only names of our archives, inside the backup folder
    if path is None:
        raise Http404
    archive = path.open("rb")  # opened first: a download that cannot start is not recorded
    # The whole base, private clients included, leaves the server: the audit log keeps who took it and when.
    try:
        backup_services.backup_download_record(acting_user=actor_of(request), name=path.name,
                                               size=os.fstat(archive.fileno()).st_size)
    except BaseException:
        archive.close()
        raise
    response = FileResponse(archive, as_attachment=True, filename=path.name, content_type="application/x-tar")
    return response  # type: ignore[return-value]  # streamed; admin_required is typed for HttpResponse
