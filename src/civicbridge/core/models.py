"""Abstract bases shared by the domain apps."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core import hans_hant


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Raised by every update service; an edit based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class SoftDeletable(models.Model):
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Named(models.Model):
    """A name stored as entered plus its Simplified and Traditional forms for display."""

    name = models.CharField(_("name"), max_length=200)
    name_hans = models.CharField(_("name (Simplified)"), max_length=200, blank=True)
    name_hant = models.CharField(_("name (Traditional)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def name_in(self, which: str) -> str:
        value = self.name_hant if which == hans_hant.HANT else self.name_hans
        return value or self.name


class UserPreference(models.Model):
    """What a user chose for themselves: their language, remembered across sessions."""

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="preference")
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language or '-'}"
