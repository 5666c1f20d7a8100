"""Documents keep little state of their own: calendar subscription tokens and news briefs."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """A secret URL to subscribe to one calendar (an exchange, a group or a person) without
    signing in. Revoking it stops the URL from working; a new token can be issued."""

    class Scope(models.TextChoices):
        EXCHANGE = "exchange", _("Exchange")
        GROUP = "group", _("Group")
        PERSON = "person", _("Person")

    scope = models.CharField(_("calendar of"), max_length=16, choices=Scope.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    # For a person's calendar: which exchange (empty: all their exchanges).
    exchange = models.ForeignKey(
        "exchanges.Exchange",
        verbose_name=_("exchange"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    label = models.CharField(_("label"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["scope", "object_id"])]

    def __str__(self) -> str:
        return f"{self.scope}:{self.object_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class NewsBrief(models.Model):
    """One saved version of an exchange's news brief (新闻稿). The brief is stored once, in
    the script it is written in (the host side's: ``documents.brief.brief_script``), and
    shown converted to the reader's: one edit serves both. Versions are numbered 1, 2, 3 …
    per exchange and kept."""

    class Script(models.TextChoices):
        HANS = "hans", _("Simplified Chinese")
        HANT = "hant", _("Traditional Chinese")

    exchange = models.ForeignKey(
        "exchanges.Exchange",
        verbose_name=_("exchange"),
        on_delete=models.CASCADE,
        related_name="news_briefs",
    )
    # The script ``text`` is written in.
    script = models.CharField(_("script"), max_length=4, choices=Script.choices)
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    # True for a draft saved as generated from the record, False once a person edited it.
    generated = models.BooleanField(_("generated from the record"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("news brief version")
        verbose_name_plural = _("news brief versions")
        ordering = ["exchange_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "number"], name="newsbrief_one_version"),
            models.CheckConstraint(condition=Q(number__gte=1), name="newsbrief_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.exchange_id} {self.script} v{self.number}"
