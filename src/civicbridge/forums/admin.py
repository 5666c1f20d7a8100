"""Admin for forums: the taxonomy, topics discussed, speakers, and the agenda and outcomes
edited inside their forum."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from civicbridge.core.admin import RecordAdmin, RecordInline
from civicbridge.forums.models import AgendaItem, Forum, Outcome, Speaker, Topic, TopicMention


@admin.register(Topic)
class TopicAdmin(RecordAdmin):
    list_display = ("code", "name_hans", "name_hant", "name_en", "parent", "order")
    search_fields = ("code", "name_hans", "name_hant", "name_en")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    ordering = ("order", "code")


class TopicMentionInline(RecordInline, admin.TabularInline):
    model = TopicMention
    fields = ("topic", "wording", "order")
    autocomplete_fields = ("topic",)


class AgendaItemInline(RecordInline, admin.TabularInline):
    model = AgendaItem
    fields = ("order", "kind", "title", "speakers")
    autocomplete_fields = ("speakers",)


class OutcomeInline(RecordInline, admin.TabularInline):
    model = Outcome
    fields = ("order", "text")


@admin.register(Forum)
class ForumAdmin(RecordAdmin):
    list_display = ("__str__", "activity", "exchange", "starts_at")
    list_filter = ("activity__starts_at", "topic_mentions__topic")
    search_fields = ("theme", "summary", "activity__title", "activity__exchange__title")
    list_select_related = ("activity__exchange",)
    autocomplete_fields = ("activity",)
    inlines = (TopicMentionInline, AgendaItemInline, OutcomeInline)

    @admin.display(description=_("exchange"))
    def exchange(self, forum):
        return forum.activity.exchange

    @admin.display(ordering="activity__starts_at", description=_("starts"))
    def starts_at(self, forum):
        return forum.activity.starts_at


@admin.register(TopicMention)
class TopicMentionAdmin(RecordAdmin):
    list_display = ("__str__", "topic", "exchange", "group", "activity", "forum")
    list_filter = ("topic",)
    search_fields = ("wording", "topic__name_hans", "topic__name_hant", "exchange__title")
    list_select_related = ("topic", "exchange", "group", "activity", "forum")
    autocomplete_fields = ("exchange", "group", "activity", "forum", "topic")


@admin.register(Speaker)
class SpeakerAdmin(RecordAdmin):
    list_display = ("__str__", "activity", "side", "title", "order")
    list_filter = ("side",)
    search_fields = (
        "person__name",
        "person__name_hant",
        "organisation__name",
        "place__name",
        "place__name_hant",
        "title",
        "activity__title",
    )
    list_select_related = ("activity", "person", "organisation", "place")
    autocomplete_fields = ("activity", "person", "organisation", "place")


@admin.register(AgendaItem)
class AgendaItemAdmin(RecordAdmin):
    list_display = ("title", "forum", "kind", "order")
    list_filter = ("kind",)
    search_fields = ("title", "description", "forum__theme")
    list_select_related = ("forum__activity",)
    autocomplete_fields = ("forum", "speakers")


@admin.register(Outcome)
class OutcomeAdmin(RecordAdmin):
    list_display = ("__str__", "forum", "order")
    search_fields = ("text", "forum__theme")
    list_select_related = ("forum__activity",)
    autocomplete_fields = ("forum",)
