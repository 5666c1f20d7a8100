"""Admin for forums: topics, speakers, agenda and outcomes edited inside their forum."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from civicbridge.core.admin import RecordAdmin, RecordInline
from civicbridge.forums.models import AgendaItem, Forum, ForumTopic, Outcome, Speaker, Topic


@admin.register(Topic)
class TopicAdmin(RecordAdmin):
    list_display = ("code", "name_hans", "name_hant", "name_en", "order")
    search_fields = ("code", "name_hans", "name_hant", "name_en")
    ordering = ("order", "code")


class ForumTopicInline(admin.TabularInline):
    model = ForumTopic
    extra = 0
    fields = ("topic", "wording")
    autocomplete_fields = ("topic",)


class SpeakerInline(RecordInline, admin.TabularInline):
    model = Speaker
    fields = ("person", "organisation", "place", "title", "side", "order")
    autocomplete_fields = ("person", "organisation", "place")


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
    list_filter = ("activity__starts_at", "topics")
    search_fields = ("theme", "summary", "activity__title", "activity__exchange__title")
    list_select_related = ("activity__exchange",)
    autocomplete_fields = ("activity",)
    inlines = (ForumTopicInline, SpeakerInline, AgendaItemInline, OutcomeInline)

    @admin.display(description=_("exchange"))
    def exchange(self, forum):
        return forum.activity.exchange

    @admin.display(ordering="activity__starts_at", description=_("starts"))
    def starts_at(self, forum):
        return forum.activity.starts_at


@admin.register(ForumTopic)
class ForumTopicAdmin(admin.ModelAdmin):
    list_display = ("forum", "topic", "wording")
    list_filter = ("topic",)
    search_fields = ("wording", "forum__theme", "topic__name_hans", "topic__name_hant")
    list_select_related = ("forum__activity", "topic")
    autocomplete_fields = ("forum", "topic")


@admin.register(Speaker)
class SpeakerAdmin(RecordAdmin):
    list_display = ("__str__", "forum", "side", "title", "order")
    list_filter = ("side",)
    search_fields = (
        "person__name",
        "person__name_hant",
        "organisation__name",
        "place__name",
        "place__name_hant",
        "title",
        "forum__theme",
    )
    list_select_related = ("forum__activity", "person", "organisation", "place")
    autocomplete_fields = ("forum", "person", "organisation", "place")


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
