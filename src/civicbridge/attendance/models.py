"""Attendance at an activity: one record per member and activity (checked in by QR link or
by hand, when and by whom), and the check-in links already spent (single use)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import Timestamped
from civicbridge.exchanges.models import Activity, Member


class CheckInMethod(models.TextChoices):
    LINK = "link", _("QR check-in link")
    HAND = "hand", _("By hand")


class Attendance(Timestamped):
    """A member was there: checked in at ``activity`` (the proof a report can cite)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="attendances"
    )
    checked_in_at = models.DateTimeField(_("checked in at"))
    method = models.CharField(
        _("checked in"), max_length=8, choices=CheckInMethod.choices, default=CheckInMethod.HAND
    )
    # Who marked it (the organiser at the door, or who scanned the link); empty for a
    # command or an import of an account no longer known.
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance records")
        ordering = ["activity", "checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"], name="attendance_once_per_member_and_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.activity}"


class SpentCheckInLink(models.Model):
    """A check-in link that was used at an activity: it is refused when opened again for
    it, even after its attendance was taken back. ``nonce`` is the random part of the signed
    link (an activity's link is spent once; a badge's once per activity)."""

    nonce = models.CharField(max_length=32)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField()
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("spent check-in link")
        verbose_name_plural = _("spent check-in links")
        constraints = [
            models.UniqueConstraint(fields=["nonce", "activity"], name="check_in_link_spent_once")
        ]

    def __str__(self) -> str:
        return self.nonce
