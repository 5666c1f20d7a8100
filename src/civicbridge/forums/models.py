"""Forums (京台社区大讲堂): theme, agenda, outcomes; the taxonomy of topics and the topics
discussed anywhere (``TopicMention``); speakers at any activity (a forum's are its
activity's)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import Timestamped
from civicbridge.directory.models import Organisation, Person, Place
from civicbridge.exchanges.models import Activity, Exchange, Group, Side


class Topic(Timestamped):
    """One entry of the shared taxonomy of topics (社区养老, 志愿服务, 治安 …)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_hans = models.CharField(_("name (Simplified)"), max_length=50)
    name_hant = models.CharField(_("name (Traditional)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=100)
    # The taxonomy grows: a narrower topic (垃圾分类) under a broader one (环保).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="narrower",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name_hans

    def name_in(self, which: str) -> str:
        return {"hant": self.name_hant, "en": self.name_en}.get(which, self.name_hans)


class Forum(Timestamped):
    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="forum")
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["activity__starts_at", "id"]

    def __str__(self) -> str:
        return self.theme or self.activity.title

    @property
    def speakers(self):
        """A forum's speakers are its activity's (``Speaker.activity``)."""
        return Speaker.objects.filter(activity_id=self.activity_id)


class TopicMention(Timestamped):
    """A topic discussed, where it was discussed (the exchange, a group, an activity or a
    forum), with the source's wording. ``topic`` is empty while the wording is not yet filed
    under the taxonomy."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="topic_mentions")
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="topic_mentions"
    )
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="topic_mentions"
    )
    forum = models.ForeignKey(
        Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="topic_mentions"
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentions",
    )
    wording = models.CharField(_("wording in the source"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("topic discussed")
        verbose_name_plural = _("topics discussed")
        ordering = ["exchange", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False) | ~Q(wording=""), name="topicmention_named"
            )
        ]

    def __str__(self) -> str:
        return self.wording or str(self.topic)


class Speaker(Timestamped):
    """Someone who spoke at an activity (a forum's, or any other), under the title they
    spoke as. The source may name only the organisation or place they spoke for (三位主任 of
    three communities)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="speeches",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("on behalf of place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title spoken under"), max_length=200, blank=True)
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    summary = models.TextField(_("what was said"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["activity", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False)
                | Q(organisation__isnull=False)
                | Q(place__isnull=False),
                name="speaker_is_someone",
            )
        ]

    def __str__(self) -> str:
        who = self.person or self.place or self.organisation
        return f"{who} ({self.title})" if self.title else str(who)


class AgendaItem(Timestamped):
    class Kind(models.TextChoices):
        SPEECH = "speech", _("Speech")
        PRESENTATION = "presentation", _("Presentation")
        DISCUSSION = "discussion", _("Discussion")
        QA = "qa", _("Questions and answers")
        CEREMONY = "ceremony", _("Ceremony")
        GIFT_EXCHANGE = "gift_exchange", _("Gift exchange")
        GROUP_PHOTO = "group_photo", _("Group photo")
        PERFORMANCE = "performance", _("Performance")
        OTHER = "other", _("Other")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    speakers = models.ManyToManyField(
        Speaker, verbose_name=_("speakers"), blank=True, related_name="agenda_items"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["forum", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Outcome(Timestamped):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField(_("outcome"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["forum", "order", "id"]

    def __str__(self) -> str:
        return self.text[:60]
