"""Published versions of an exchange's itinerary (as pretalx releases its schedule).

A ``Release`` is one published version: its number (1, 2, …), who published it, when, and a
note. ``ReleasedActivity`` rows are its snapshot (every activity as it stood, by the
activity's stable id ``activity_key``: names as they were, so a later rename of a place does
not rewrite what was published). ``ReleaseChange`` rows are its changelog against the
release before it (the first release has none). ``NoticeSubscription``: a member who asked
for change notices, with the e-mail address (personal data) and the language to write in.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import Timestamped
from civicbridge.exchanges.models import Exchange, Member


class Release(Timestamped):
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    # How many change notices were sent when it was published.
    notices_sent = models.PositiveIntegerField(_("notices sent"), default=0)

    class Meta:
        verbose_name = _("published programme")
        verbose_name_plural = _("published programmes")
        ordering = ["exchange", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "number"], name="release_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.exchange} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("releases:exchange", args=[self.exchange_id]) + f"#release-{self.number}"


class ReleasedActivity(models.Model):
    """One activity as a release published it."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="activities")
    # The activity's id: stable across releases (and the calendars' UID).
    activity_key = models.PositiveIntegerField(_("activity"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20)
    status = models.CharField(_("status"), max_length=16)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    time_precision = models.CharField(_("time precision"), max_length=16)
    place_key = models.PositiveIntegerField(_("place"), null=True, blank=True)
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    venue_key = models.PositiveIntegerField(_("venue"), null=True, blank=True)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    # The groups' ids, sorted and comma-separated ("" = the whole delegation), and their names.
    group_keys = models.CharField(_("groups"), max_length=500, blank=True)
    group_names = models.CharField(_("groups"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("published activity")
        verbose_name_plural = _("published activities")
        ordering = ["release", "starts_at", "activity_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "activity_key"], name="releasedactivity_once"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ChangeKind(models.TextChoices):
    ADDED = "added", _("Added")
    REMOVED = "removed", _("Removed")
    CANCELLED = "cancelled", _("Cancelled")
    STATUS = "status", _("Status changed")
    MOVED = "moved", _("Moved")
    PLACE = "place", _("Place changed")
    RENAMED = "renamed", _("Renamed")
    GROUPS = "groups", _("Groups changed")


class ReleaseChange(models.Model):
    """One line of a release's changelog: what changed of which activity, from → to.
    Times (``moved``) are in ``starts_before`` … ``ends_after``; names and statuses in
    ``before`` / ``after``."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="changes")
    activity_key = models.PositiveIntegerField(_("activity"))
    title = models.CharField(_("title"), max_length=200)
    what = models.CharField(_("what changed"), max_length=16, choices=ChangeKind.choices)
    before = models.CharField(_("from"), max_length=1000, blank=True)
    after = models.CharField(_("to"), max_length=1000, blank=True)
    starts_before = models.DateTimeField(_("starts (from)"), null=True, blank=True)
    ends_before = models.DateTimeField(_("ends (from)"), null=True, blank=True)
    starts_after = models.DateTimeField(_("starts (to)"), null=True, blank=True)
    ends_after = models.DateTimeField(_("ends (to)"), null=True, blank=True)
    # The groups concerned, before and after, and whether the whole delegation is (an
    # activity with no group ticked): who is told.
    group_keys = models.CharField(_("groups concerned"), max_length=1000, blank=True)
    whole_delegation = models.BooleanField(_("concerns the whole delegation"), default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("programme change")
        verbose_name_plural = _("programme changes")
        ordering = ["release", "order", "id"]

    def __str__(self) -> str:
        return f"{self.title}: {self.get_what_display()}"


class NoticeLanguage(models.TextChoices):
    HANS = "zh-hans", "简体中文"
    HANT = "zh-hant", "繁體中文"
    EN = "en", "English"


class NoticeSubscription(Timestamped):
    """A member (a group leader is a member too) who opted in to change notices."""

    PERSONAL_FIELDS = ("email",)

    exchange = models.ForeignKey(
        Exchange, on_delete=models.CASCADE, related_name="notice_subscriptions"
    )
    member = models.OneToOneField(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="notice_subscription",
    )
    # Personal data: left out of the personal-data-free export, shown only to those who
    # see the member's e-mail (exchanges.personal_data).
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=NoticeLanguage.choices, default=NoticeLanguage.HANS
    )

    class Meta:
        verbose_name = _("change-notice subscription")
        verbose_name_plural = _("change-notice subscriptions")
        ordering = ["exchange", "id"]

    def __str__(self) -> str:
        return f"{self.member} ({self.language})"
