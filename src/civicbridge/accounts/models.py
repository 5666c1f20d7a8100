"""Who may do what: role assignments scoped to places and organisations, personal API
tokens, the audit trail and the record of failed sign-ins."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    ORGANISER = "organiser", _("Organiser of a place")
    COORDINATOR = "coordinator", _("Coordinator of a visiting organisation")
    COMMUNITY_MEMBER = "community_member", _("Community member")
    VIEWER = "viewer", _("Viewer")


class RoleAssignment(models.Model):
    """One role of one user. Organisers and community members act for a place (and every
    place below it), coordinators for an organisation; administrators and viewers for all."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    place = models.ForeignKey(
        "directory.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=["organiser", "community_member"], place__isnull=False)
                    | Q(role="coordinator", organisation__isnull=False)
                    | Q(role__in=["administrator", "viewer"])
                ),
                name="roleassignment_has_its_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "place", "organisation"],
                name="roleassignment_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        scope = self.place or self.organisation
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")


class PersonLink(models.Model):
    """The directory entry (Person) a user account belongs to: a li chief's account and the
    li chief in the directory. Messages are signed with this person, not the login name."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person_link"
    )
    person = models.OneToOneField(
        "directory.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="account_link",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("account's person")
        verbose_name_plural = _("accounts' people")

    def __str__(self) -> str:
        return f"{self.user} = {self.person}"


TOKEN_PREFIX = "cb_"  # noqa: S105 (a marker, not a secret)


def hash_token(raw: str) -> str:
    """Tokens are long random strings, so one round of SHA-256 is enough to store them."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """A personal token for the REST API (``Authorization: Bearer <token>``). Only its hash
    is kept; the token itself is shown once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    label = models.CharField(_("label"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, to recognise a token in the list.
    prefix = models.CharField(max_length=12, editable=False)
    read_only = models.BooleanField(_("read-only"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.label})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    RESTORE = "restore", _("Restored")
    EXPORT = "export", _("Exported")


class AuditEntry(models.Model):
    """One change to a domain record (or one export): who, when, what, before and after."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept when the account is gone, and for changes made by commands ("system").
    username = models.CharField(_("user name"), max_length=150, blank=True)
    via = models.CharField(_("through"), max_length=20, blank=True)  # page, api, command
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    model = models.CharField(_("record type"), max_length=100)  # "exchanges.activity"
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    object_repr = models.CharField(_("record name"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '-'} {self.action} {self.model}#{self.object_id}"

    @property
    def changed_fields(self) -> list[str]:
        keys = set(self.before or {}) | set(self.after or {})
        return sorted(keys)


class FailedLogin(models.Model):
    """One failed sign-in, kept a short while to throttle password guessing."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.at:%Y-%m-%d %H:%M}"
