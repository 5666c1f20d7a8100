"""Admin bases shared by the domain apps, and the user preference."""

from django.contrib import admin

from civicbridge.core import hans_hant
from civicbridge.core.models import Named, UserPreference
from civicbridge.core.services import bump_version

TIMESTAMPS = ("created_at", "updated_at", "version")


class RecordAdmin(admin.ModelAdmin):
    """Base for the domain models. Admin edits bypass the services, so the bookkeeping the
    services do is repeated here: both scripts of a name, the version counter."""

    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) of 9,000 places on every search

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        own = {f.name for f in self.model._meta.concrete_fields}
        fields += [f for f in (*TIMESTAMPS, "deleted_at") if f in own and f not in fields]
        return fields

    def save_model(self, request, obj, form, change):
        fill_name_pair(obj)
        if change and hasattr(obj, "version"):
            bump_version(obj)
        super().save_model(request, obj, form, change)
        hans_hant.invalidate_names()


class RecordInline:
    """Mixin for inlines: leaves the bookkeeping fields out of the row."""

    extra = 0
    show_change_link = True


def fill_name_pair(obj) -> None:
    if isinstance(obj, Named) and obj.name and not (obj.name_hans and obj.name_hant):
        hans, hant = hans_hant.name_pair(obj.name)
        obj.name_hans = obj.name_hans or hans
        obj.name_hant = obj.name_hant or hant


class SoftDeletableAdmin(RecordAdmin):
    """Records that are never hard-deleted: deleted records stay listed, with a filter.
    Marking them deleted and restoring them is audited, so those actions come from the
    accounts app (accounts/admin_base.py: ``SoftDeleteActions``, ``SoftDeleteAdmin``)."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), ("deleted_at", admin.EmptyFieldListFilter))


@admin.register(UserPreference)
class UserPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "language")
    list_filter = ("language",)
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)
