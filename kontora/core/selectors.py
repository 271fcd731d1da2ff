from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from kontora.core import hooks
from kontora.core.models import (
    BankAccount,
    Department,
    Job,
    LegalEntity,
    Notification,
    Position,
    SystemSettings,
    UserParameters,
)


def system_settings() -> SystemSettings:
    """The base-wide settings row, created with defaults on first use."""
    obj, _created = SystemSettings.objects.get_or_create(pk=1)
    return obj


# Functionality blocks an administrator can switch off (Settings → Functionality) → their SystemSettings flag.
BLOCK_FLAGS: dict[str, str] = {
    "sales": "sales_enabled",
    "works": "works_enabled",
    "warehouse": "warehouse_enabled",
    "cash": "cash_enabled",
    "security_tab": "security_tab_enabled",
    "shipping_tab": "shipping_tab_enabled",
}


def block_enabled(system: SystemSettings, block: str) -> bool:
    """Whether a functionality block is on; an unknown block name is a programming error."""
    try:
        flag = BLOCK_FLAGS[block]
    except KeyError:
        raise ValueError(f"unknown functionality block {block!r}") from None
    return bool(getattr(system, flag))


def user_parameters(user: Any) -> UserParameters:
    """Settings → Parameters of one user, created with defaults on first use."""
    obj, _created = UserParameters.objects.get_or_create(user=user)
    return obj


def access_job(user: Any, job_id: int) -> Job:
    """A job its author or an administrator may watch; the same 404 for someone else's and a missing one."""
    jobs = Job.objects.select_related("created_by")
    if not user.is_admin:
        jobs = jobs.filter(created_by=user)
    job = jobs.filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def job_list(*, fetched_by: Any, before_id: int | None = None, limit: int = 50) -> list[Job]:
    """Jobs newest first, a page of `limit` below `before_id`; an administrator sees everyone's."""
    jobs = Job.objects.select_related("created_by").order_by("-id")
    if not fetched_by.is_admin:
        jobs = jobs.filter(created_by=fetched_by)
    if before_id is not None:
        jobs = jobs.filter(pk__lt=before_id)
    return list(jobs[:limit])


def notification_state(user: Any) -> tuple[int, int]:
    """(unread count, newest unread id) of the user: one query over the (user, read_at, -id) index."""
    row = Notification.objects.filter(user=user, read_at__isnull=True).aggregate(count=Count("id"), last=Max("id"))
    return row["count"] or 0, row["last"] or 0


def notifications_unread_after(user: Any, after_id: int, *, limit: int = 5) -> list[Notification]:
    """The newest unread notifications above `after_id` (not yet shown as toasts), oldest first."""
    rows = (
        Notification.objects.filter(user=user, read_at__isnull=True, pk__gt=after_id)
        .select_related("sender")
        .order_by("-id")[:limit]
    )
    return list(reversed(rows))


def notification_list(*, fetched_by: Any, before_id: int | None = None, limit: int = 50) -> list[Notification]:
    notifications = Notification.objects.filter(user=fetched_by).select_related("sender").order_by("-id")
    if before_id is not None:
        notifications = notifications.filter(pk__lt=before_id)
    return list(notifications[:limit])


def message_recipients() -> QuerySet[Any]:
    """Users who can sign in and so can read a message."""
    return get_user_model().objects.filter(disabled=False, dismissed=False).order_by("full_name", "id")


def default_legal_entity() -> LegalEntity | None:
    """Our legal entity documents are issued on behalf of unless the user picks another (Constants)."""
    return LegalEntity.objects.filter(is_default=True).first()


def default_bank_account() -> BankAccount | None:
    """The default settlement account; it belongs to the default legal entity."""
    return BankAccount.objects.filter(is_default=True).select_related("legal_entity").first()


def legal_entities() -> list[LegalEntity]:
    """Constants: every legal entity (default first) with its bank accounts (default first)."""
    return list(LegalEntity.objects.prefetch_related("bank_accounts").order_by("-is_default", "short_name", "id"))


def access_legal_entity(entity_id: int) -> LegalEntity:
    entity = LegalEntity.objects.filter(pk=entity_id).first()
    if entity is None:
        raise Http404
    return entity


def access_bank_account(account_id: int) -> BankAccount:
    account = BankAccount.objects.select_related("legal_entity").filter(pk=account_id).first()
    if account is None:
        raise Http404
    return account


def structure_tree() -> list[Department]:
    """Administration → Enterprise: structure — departments, each with its positions prefetched."""
    positions = Prefetch("positions", queryset=Position.objects.order_by("order", "name", "id"))
    return list(Department.objects.prefetch_related(positions).order_by("order", "name", "id"))


def department_choices(*, keep_id: int | None = None) -> QuerySet[Department]:
    """Departments a user card may pick: the active ones and the one the card already carries."""
    return Department.objects.filter(Q(is_active=True) | Q(pk=keep_id)).order_by("order", "name", "id")


def position_choices(*, keep_id: int | None = None) -> QuerySet[Position]:
    """Positions a user card may pick (of active departments), and the one it already carries."""
    offered = Q(is_active=True, department__is_active=True) | Q(pk=keep_id)
    return Position.objects.filter(offered).select_related("department").order_by(
        "department__order", "department__name", "order", "name", "id"
    )


def access_department(department_id: int) -> Department:
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        raise Http404
    return department


def access_position(position_id: int) -> Position:
    position = Position.objects.select_related("department").filter(pk=position_id).first()
    if position is None:
        raise Http404
    return position


def visible_menu(user: Any, system: SystemSettings) -> list[dict[str, Any]]:
    """The main menu for this user: the registered items by section, (group, order), a divider between groups;
    an item of a switched-off functionality block or refused to the user is left out, and so is an empty
    section."""
    declared = list(hooks.MENU.items())
    for provider in hooks.MENU_PROVIDERS.items():
        declared.extend(item for item in provider.items() if item.section == provider.section)
    sections = []
    for key, label in hooks.MENU_SECTIONS:
        items: list[dict[str, Any] | None] = []
        group = None
        for item in sorted((i for i in declared if i.section == key), key=lambda i: (i.group, i.order)):
            if item.block and not block_enabled(system, item.block):
                continue
            if not item.visible(user, system):
                continue
            if group is not None and item.group != group:
                items.append(None)
            group = item.group
            items.append({
                "label": item.label, "url": reverse(item.url_name, args=item.args), "shortcut": item.shortcut,
                "method": item.method,
            })
        if items:
            sections.append({"key": key, "label": label, "items": items})
    return sections


def main_window_centre() -> hooks.Centre | None:
    centre = hooks.CENTRE.items()
    return centre[0] if centre else None


def assistant_monitors() -> list[dict[str, Any]]:
    """The Assistant's monitors in order, with their URLs, for core/home.html."""
    return [
        {"key": m.key, "url": reverse(m.url_name), "every": m.every_seconds}
        for m in sorted(hooks.MONITORS.items(), key=lambda m: (m.order, m.key))
    ]
