"""Background jobs of the clients app (registered in hooks.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kontora.clients.flexi.selectors.specs import to_q
from kontora.clients.selectors.registry import registry_count_exact
from kontora.core.services.jobs import JobContext


def registry_count_run(ctx: JobContext) -> dict[str, Any]:
    """The "clients_registry_count" job (services.registry.registry_count_start): the registry's clients counted
    to the end, inside its author's access and under the filter he had on; the count in the job's result."""
    user = ctx.job.created_by
    if user is None:
        raise ValueError(_("The user who asked for the count no longer exists."))
    spec = ctx.params.get("spec")
    ctx.progress(0, None, _("Counting the clients"))
    count = registry_count_exact(fetched_by=user, filter_q=None if spec is None else to_q(spec, user=user))
    return {"summary": _("Clients in the registry: %(count)s") % {"count": count}, "count": count}
