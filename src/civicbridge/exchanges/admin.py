"""Admin for exchanges: members, groups and activities edited inside their exchange."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civicbridge.accounts.admin_base import SoftDeleteAdmin
from civicbridge.core.admin import RecordAdmin, RecordInline
from civicbridge.exchanges.models import (
    Activity,
    Composition,
    Exchange,
    ExchangeOrganisation,
    ExchangePlace,
    Gift,
    Group,
    Label,
    Member,
    Photo,
    Statement,
)

PERSON_SEARCH = ("person__name", "person__name_hans", "person__name_hant")


class ExchangeOrganisationInline(RecordInline, admin.TabularInline):
    model = ExchangeOrganisation
    fields = ("organisation", "role", "order", "note")
    autocomplete_fields = ("organisation",)


class ExchangePlaceInline(RecordInline, admin.TabularInline):
    model = ExchangePlace
    fields = ("role", "place", "wording", "order")
    autocomplete_fields = ("place",)


class CompositionInline(RecordInline, admin.TabularInline):
    model = Composition
    fields = ("label", "count", "group", "order")


class StatementInline(RecordInline, admin.StackedInline):
    model = Statement
    fields = ("kind", "text", "person", "organisation", "side", "speaker_wording", "activity")
    autocomplete_fields = ("person", "organisation")


class GroupInline(RecordInline, admin.TabularInline):
    model = Group
    fields = (
        "name",
        "host_place",
        "start_date",
        "end_date",
        "host_organisation",
        "leader",
        "declared_headcount",
        "headline",
        "order",
    )
    autocomplete_fields = ("host_place", "host_organisation", "leader")


class MemberInline(RecordInline, admin.TabularInline):
    model = Member
    fields = ("person", "role", "side", "title", "organisation", "home_place", "group", "order")
    autocomplete_fields = ("person", "organisation", "home_place", "group")


class GroupMemberInline(MemberInline):
    """A group's members (they are added to the exchange, then assigned to a group)."""

    fk_name = "group"
    fields = ("person", "role", "side", "title", "organisation", "home_place", "order")
    autocomplete_fields = ("person", "organisation", "home_place")

    def has_add_permission(self, request, obj=None):
        return False


class ActivityInline(RecordInline, admin.TabularInline):
    model = Activity
    fields = (
        "kind",
        "title",
        "status",
        "starts_at",
        "ends_at",
        "time_precision",
        "place",
        "venue",
    )
    autocomplete_fields = ("place", "venue")
    ordering = ("starts_at", "order", "id")


@admin.register(Exchange)
class ExchangeAdmin(SoftDeleteAdmin):
    list_display = (
        "title",
        "start_date",
        "end_date",
        "status",
        "visiting_organisation",
        "host_place",
        "declared_headcount",
    )
    list_filter = ("status", "start_date", "host_place__side")
    search_fields = ("title", "visiting_organisation__name", "visiting_organisation__name_hant")
    list_select_related = ("visiting_organisation", "host_place")
    autocomplete_fields = ("visiting_organisation", "visiting_place", "host_place")
    date_hierarchy = "start_date"
    filter_horizontal = ("labels",)
    inlines = (
        ExchangePlaceInline,
        ExchangeOrganisationInline,
        CompositionInline,
        GroupInline,
        MemberInline,
        ActivityInline,
        StatementInline,
    )


@admin.register(Label)
class LabelAdmin(RecordAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    autocomplete_fields = ("places",)


@admin.register(ExchangeOrganisation)
class ExchangeOrganisationAdmin(RecordAdmin):
    list_display = ("organisation", "exchange", "role", "order")
    list_filter = ("role",)
    search_fields = ("organisation__name", "organisation__name_hant", "exchange__title")
    list_select_related = ("organisation", "exchange")
    autocomplete_fields = ("exchange", "organisation")


@admin.register(Group)
class GroupAdmin(RecordAdmin):
    list_display = ("name", "exchange", "host_place", "leader", "declared_headcount", "order")
    list_filter = ("exchange__start_date",)
    search_fields = ("name", "headline", "exchange__title", "host_place__name")
    list_select_related = ("exchange", "host_place", "leader__person")
    autocomplete_fields = ("exchange", "host_place", "host_organisation", "leader")
    inlines = (GroupMemberInline,)


@admin.register(Member)
class MemberAdmin(RecordAdmin):
    list_display = ("person", "exchange", "role", "side", "title", "group", "organisation")
    list_filter = ("role", "side", "exchange__start_date")
    search_fields = (*PERSON_SEARCH, "title", "exchange__title")
    list_select_related = ("person", "exchange", "group", "organisation")
    autocomplete_fields = ("exchange", "person", "organisation", "home_place", "group")


@admin.register(Activity)
class ActivityAdmin(RecordAdmin):
    list_display = ("title", "exchange", "kind", "starts_at", "ends_at", "time_precision", "place")
    list_filter = ("kind", "time_precision", "starts_at", "place__side")
    search_fields = ("title", "description", "exchange__title", "place__name", "venue__name")
    list_select_related = ("exchange", "place", "venue")
    autocomplete_fields = (
        "exchange",
        "place",
        "venue",
        "groups",
        "hosts",
        "participants",
    )
    date_hierarchy = "starts_at"


@admin.register(Gift)
class GiftAdmin(RecordAdmin):
    list_display = ("__str__", "exchange", "activity")
    list_filter = ("exchange__start_date",)
    search_fields = (
        "description",
        "giver_person__name",
        "giver_organisation__name",
        "recipient_person__name",
        "recipient_organisation__name",
    )
    list_select_related = (
        "exchange",
        "activity",
        "giver_person",
        "giver_organisation",
        "recipient_person",
        "recipient_organisation",
    )
    autocomplete_fields = (
        "exchange",
        "activity",
        "giver_person",
        "giver_organisation",
        "recipient_person",
        "recipient_organisation",
    )


@admin.register(Photo)
class PhotoAdmin(RecordAdmin):
    list_display = ("caption", "exchange", "activity", "taken_on", "credit", "order")
    list_filter = ("taken_on",)
    search_fields = ("caption", "credit", "exchange__title")
    list_select_related = ("exchange", "activity")
    autocomplete_fields = ("exchange", "activity")
    # Images arrive only through exchanges.services.add_photo (re-encoded); here they are
    # links to the photo view, which checks the exchange's permission.
    readonly_fields = ("image_link", "thumbnail_link", "content_type", "original_name")

    @admin.display(description=_("image"))
    def image_link(self, obj):
        return _file_link(obj, "exchanges:photo_image", obj.image)

    @admin.display(description=_("thumbnail"))
    def thumbnail_link(self, obj):
        return _file_link(obj, "exchanges:photo_thumbnail", obj.thumbnail)


def _file_link(obj, view: str, stored):
    if obj is None or obj.pk is None or not stored:
        return "—"
    return format_html('<a href="{}">{}</a>', reverse(view, args=[obj.pk]), obj.original_name)
