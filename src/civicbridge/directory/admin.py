"""Admin for places, organisations, people and positions. Place has ~9,000 rows: every
foreign key to it is an autocomplete, never a select."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from civicbridge.core.admin import RecordAdmin, RecordInline, SoftDeletableAdmin
from civicbridge.directory import services
from civicbridge.directory.models import Organisation, Person, Place, PlaceAlias, Position

NAME_SEARCH = ("name", "name_hans", "name_hant")


class PlaceAliasInline(RecordInline, admin.TabularInline):
    model = PlaceAlias
    fields = ("name", "kind", "note")


@admin.register(Place)
class PlaceAdmin(RecordAdmin):
    list_display = ("name", "short_name", "kind", "side", "status", "code", "parent", "is_pilot")
    list_filter = ("side", "status", "kind", "is_pilot", "pilot_since")
    search_fields = (
        *NAME_SEARCH,
        "short_name",
        "short_name_hans",
        "short_name_hant",
        "=code",
        "search_text",
    )
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    # Merging moves records and aliases: done by directory.services.merge_place (the place
    # page, the API), never by editing the field.
    readonly_fields = ("path", "search_text", "merged_into")
    inlines = (PlaceAliasInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "name_hans",
                    "name_hant",
                    "kind",
                    "side",
                    "status",
                    "merged_into",
                    "parent",
                    "code",
                )
            },
        ),
        (_("Short name"), {"fields": ("short_name", "short_name_hans", "short_name_hant")}),
        (None, {"fields": ("is_pilot", "pilot_since", "note", "path", "search_text")}),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None:
            # Moving a place would leave the paths of everything below it stale.
            fields = [*fields, "parent", "side"]
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        path = Place.path_below(obj.parent.path if obj.parent_id else None, obj.pk)
        if obj.path != path:
            obj.path = path
            Place.objects.filter(pk=obj.pk).update(path=path)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_place_search_text(place=form.instance)


@admin.register(PlaceAlias)
class PlaceAliasAdmin(RecordAdmin):
    list_display = ("name", "place", "kind")
    list_filter = ("kind", "place__side")
    search_fields = ("name", "place__name", "place__name_hant", "=place__code")
    list_select_related = ("place",)
    autocomplete_fields = ("place",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.refresh_place_search_text(place=obj.place)


@admin.register(Organisation)
class OrganisationAdmin(SoftDeletableAdmin):
    list_display = ("name", "short_name", "kind", "place", "parent")
    list_filter = ("kind", "place__side")
    search_fields = (*NAME_SEARCH, "short_name", "search_text", "=place__code")
    list_select_related = ("place", "parent")
    autocomplete_fields = ("place", "parent")
    readonly_fields = ("search_text",)

    def save_model(self, request, obj, form, change):
        obj.search_text = services._organisation_search_text(obj)
        super().save_model(request, obj, form, change)


class PositionInline(RecordInline, admin.TabularInline):
    model = Position
    fk_name = "person"
    fields = ("title", "organisation", "place", "start_date", "end_date", "source")
    autocomplete_fields = ("organisation", "place")


@admin.register(Person)
class PersonAdmin(SoftDeletableAdmin):
    list_display = ("name", "name_hant", "gender", "home_place")
    list_filter = ("gender", "home_place__side")
    search_fields = (*NAME_SEARCH, "search_text")
    list_select_related = ("home_place",)
    autocomplete_fields = ("home_place",)
    readonly_fields = ("search_text",)
    inlines = (PositionInline,)

    def save_model(self, request, obj, form, change):
        obj.search_text = services._person_search_text(obj)
        super().save_model(request, obj, form, change)


@admin.register(Position)
class PositionAdmin(RecordAdmin):
    list_display = ("person", "title", "organisation", "place", "start_date", "end_date")
    list_filter = ("start_date", "end_date", "place__kind", "place__side")
    search_fields = (
        "person__name",
        "person__name_hant",
        "title",
        "organisation__name",
        "organisation__name_hant",
        "place__name",
        "place__name_hant",
        "=place__code",
    )
    list_select_related = ("person", "organisation", "place")
    autocomplete_fields = ("person", "organisation", "place")
    date_hierarchy = "start_date"
