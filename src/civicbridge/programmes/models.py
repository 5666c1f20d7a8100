"""Programmes and series, their figures per period, and links between exchanges."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import Timestamped
from civicbridge.directory.models import Organisation, Place
from civicbridge.exchanges.models import Exchange


class Direction(models.TextChoices):
    TO_TAIWAN = "to_taiwan", _("Mainland to Taiwan")
    TO_MAINLAND = "to_mainland", _("Taiwan to the mainland")
    BOTH = "both", _("Both ways")


class Programme(Timestamped):
    """A programme (一日里长, 一日居委主任) or a series of exchanges (双城交流, 京台社区发展论坛)."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        SERIES = "series", _("Series")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PROGRAMME)
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    direction = models.CharField(
        _("direction"), max_length=16, choices=Direction.choices, blank=True
    )
    start_year = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True)
    aim = models.TextField(_("aim"), blank=True)
    exchanges = models.ManyToManyField(
        Exchange, verbose_name=_("exchanges"), blank=True, related_name="programmes"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("programme or series")
        verbose_name_plural = _("programmes and series")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", args=[self.pk])


class ProgrammeFigure(Timestamped):
    """A figure about a programme over a period: 221 居委会 to Taipei, 2013–2017."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="figures")
    figure = models.DecimalField(_("figure"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("what is counted"), max_length=200)
    # The programme as the source words it, when it differs from the programme's name.
    about = models.CharField(_("about (as written)"), max_length=200, blank=True)
    direction = models.CharField(
        _("direction"), max_length=16, choices=Direction.choices, blank=True
    )
    period_start = models.PositiveSmallIntegerField(_("from (year)"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("to (year)"), null=True, blank=True)
    exchange = models.ForeignKey(
        Exchange,
        verbose_name=_("reported with exchange"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_figures",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("programme figure")
        verbose_name_plural = _("programme figures")
        ordering = ["programme", "period_start", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="programmefigure_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.unit}"


class ExchangeLink(Timestamped):
    """How an exchange relates to another visit: the return visit of an earlier trip, a
    follow-up, an earlier visit the report mentions. ``other`` is the recorded exchange when
    there is one; otherwise who went where and when, as the sources say."""

    class Kind(models.TextChoices):
        RETURN_VISIT = "return_visit", _("Return visit of")
        FOLLOW_UP = "follow_up", _("Follow-up of")
        EARLIER = "earlier", _("Earlier visit mentioned")
        LATER = "later", _("Later visit planned")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    other = models.ForeignKey(
        Exchange,
        verbose_name=_("recorded exchange"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_from",
    )
    who = models.CharField(_("who (as written)"), max_length=200, blank=True)
    where = models.CharField(_("where (as written)"), max_length=200, blank=True)
    where_place = models.ForeignKey(
        Place,
        verbose_name=_("where"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("link between exchanges")
        verbose_name_plural = _("links between exchanges")
        ordering = ["exchange", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(other=models.F("exchange")), name="exchangelink_not_itself"
            ),
            models.CheckConstraint(
                condition=Q(other__isnull=False)
                | ~Q(who="")
                | ~Q(where="")
                | Q(start_date__isnull=False),
                name="exchangelink_says_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.other or self.who or self.where}"
