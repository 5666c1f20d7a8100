"""Sources (news reports) and the provenance of records: which record came from which
source, and where in its text."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import Timestamped
from civicbridge.exchanges.models import Exchange


class Source(Timestamped):
    """A report an exchange's record comes from."""

    class Script(models.TextChoices):
        HANS = "hans", _("Simplified")
        HANT = "hant", _("Traditional")

    headline = models.CharField(_("headline"), max_length=300, blank=True)
    publishers = models.CharField(_("publisher(s)"), max_length=300, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    dateline = models.CharField(_("dateline"), max_length=200, blank=True)
    reporter = models.CharField(_("reporter"), max_length=200, blank=True)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices, blank=True)
    # The SHA-256 of the text as read, so the same report is recognised when read again.
    text_sha256 = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    exchanges = models.ManyToManyField(
        Exchange, verbose_name=_("exchanges"), blank=True, related_name="sources"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "id"]

    def __str__(self) -> str:
        return self.headline or self.url or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reports:source", args=[self.pk])


class Provenance(models.Model):
    """One record (of any type) taken from a source, with the fact's type and its span in the
    source's text ([start, end) character offsets)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="provenance")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    fact_type = models.CharField(_("fact type"), max_length=32, blank=True)
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("provenance")
        verbose_name_plural = _("provenance")
        ordering = ["source", "span_start", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} ← {self.source_id}"
