"""The reception plan (接待方案) of an exchange: its cost lines, its approval (事前审批) and
the history of every step. The plan's party, size, dates and itinerary are read from the
exchange itself (approvals/selectors.py); what was approved is kept as a snapshot (JSON
text) to flag the changes made after the approval."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import Timestamped
from civicbridge.exchanges.models import Exchange


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ReceptionPlan(Timestamped):
    exchange = models.OneToOneField(
        Exchange, on_delete=models.CASCADE, related_name="reception_plan"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # 接待标准: the standards the reception keeps to (meals, lodging, vehicles), as entered.
    standards = models.TextField(_("reception standards (接待标准)"), blank=True)
    # One round per submission: resubmitting after a return or a change starts a new one.
    round = models.PositiveIntegerField(_("round"), default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or returned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or returned"), null=True, blank=True)
    # What was approved, as JSON text (approvals.selectors.plan_snapshot); empty before.
    approved_snapshot = models.TextField(_("what was approved"), blank=True, editable=False)

    class Meta:
        verbose_name = _("reception plan")
        verbose_name_plural = _("reception plans")
        ordering = ["exchange"]

    def __str__(self) -> str:
        return f"{self.exchange} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("approvals:plan", args=[self.exchange_id])


class CostCategory(models.TextChoices):
    ACCOMMODATION = "accommodation", _("Accommodation")
    MEALS = "meals", _("Meals")
    TRANSPORT = "transport", _("Transport")
    VENUE = "venue", _("Venue")
    GIFTS = "gifts", _("Gifts")
    PRINTING = "printing", _("Printing")
    OTHER = "other", _("Other")


class CostLine(Timestamped):
    """An estimated cost of the reception; ``actual_amount`` is what was spent (for the
    reception list after the visit), empty while unknown."""

    plan = models.ForeignKey(ReceptionPlan, on_delete=models.CASCADE, related_name="cost_lines")
    category = models.CharField(_("category"), max_length=16, choices=CostCategory.choices)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1)
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    # quantity × unit price, kept as computed when the line was written.
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, editable=False)
    actual_amount = models.DecimalField(
        _("actual amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.description} {self.amount}"


class StepAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned")


class PlanStep(models.Model):
    """One step of the plan's approval: who did what, when, with which note."""

    plan = models.ForeignKey(ReceptionPlan, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=16, choices=StepAction.choices)
    round = models.PositiveIntegerField(_("round"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The actor's name as it was (kept when the account goes).
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["plan", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.actor_name} · {self.at:%Y-%m-%d %H:%M}"
