from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kontora.accounts import policies


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    SPECIALIST = "specialist", _("Specialist")


class ClientScope(models.TextChoices):
    """The manual's four working modes with clients (ACL-01)."""

    OWN = "own", _("Sees and works only with own clients")
    LIST_ALL = "list_all", _("Sees all clients in the list, opens only own")
    OPEN_ALL = "open_all", _("Opens all clients, edits all but main data of others'")
    FULL = "full", _("Sees and works with all clients")


def login_key(login: str) -> str:
    """Logins are case-insensitive, Cyrillic included: "Иванов" and "иванов" are one account.

    Kept as a column because SQLite's LOWER()/LIKE fold Latin letters only. Whoever writes `login` writes
    `login_key = login_key(login)` with it (the services of accounts, `kontora createadmin`, the demo fill).
    """
    return login.strip().casefold()


class UserManager(BaseUserManager):  # type: ignore[type-arg]
    def get_by_natural_key(self, username: str | None) -> User:  # type: ignore[override]
        return self.get(login_key=login_key(username or ""))  # type: ignore[return-value]


class User(AbstractBaseUser):
    login = models.CharField(_("login"), max_length=64, unique=True)
    login_key = models.CharField(max_length=64, unique=True, editable=False)
    full_name = models.CharField(pgettext_lazy("person", "full name"), max_length=200)
    department = models.ForeignKey(
        "core.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="users",
        verbose_name=_("department"),
    )
    position = models.ForeignKey(
        "core.Position", null=True, blank=True, on_delete=models.PROTECT, related_name="users",
        verbose_name=_("position"),
    )
    doc_prefix = models.CharField(
        _("document number prefix"), max_length=10, blank=True,
        help_text=_("Put before the numbers of documents this user issues, e.g. \"АМ\" gives АМ-422."),
    )
    email = models.EmailField(_("work e-mail"), blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=32, blank=True)
    disabled = models.BooleanField(_("account disabled"), default=False)
    dismissed = models.BooleanField(_("employee dismissed"), default=False)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MANAGER)
    client_scope = models.CharField(
        _("working mode with clients"), max_length=16, choices=ClientScope.choices, default=ClientScope.OWN
    )
    language = models.CharField(_("interface language"), max_length=8, choices=settings.LANGUAGES, default="ru")
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "login"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.full_name or self.login

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return not (self.disabled or self.dismissed)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def has_right(self, code: str) -> bool:
        return policies.has_right(self, code)


class UserRight(models.Model):
    """A right granted to one user beyond the base rights of the role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="granted_rights")
    code = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code"], name="accounts_userright_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.code}"


class LoginFailure(models.Model):
    """One failed sign-in; five within the lockout window lock that login from that address, and many from one
    address, whatever the logins, slow further sign-ins from it (accounts.selectors.address_slowed_until)."""

    login = models.CharField(max_length=64)
    ip = models.GenericIPAddressField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["login", "ip", "at"]), models.Index(fields=["ip", "at"])]

    def __str__(self) -> str:
        return f"{self.login}@{self.ip} {self.at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A signed-in browser session, for Administration → Active users."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last request"), auto_now_add=True)
    ip = models.GenericIPAddressField(_("IP address"))
    hostname = models.CharField(_("computer name"), max_length=255, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.ip}"
