from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civicbridge.accounts import services
from civicbridge.accounts.admin_base import SoftDeleteActions
from civicbridge.accounts.models import ApiToken, AuditEntry, FailedLogin, RoleAssignment
from civicbridge.directory import admin as directory_admin
from civicbridge.directory.models import Organisation, Person


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "place", "organisation", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "place__name", "organisation__name")
    raw_id_fields = ("user", "place", "organisation")
    readonly_fields = ("created_at", "created_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "label",
        "prefix",
        "read_only",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("read_only",)
    search_fields = ("user__username", "label", "prefix")
    readonly_fields = ("user", "prefix", "read_only", "created_at", "last_used_at", "revoked_at")
    fields = readonly_fields + ("label",)
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are created by their owners at /accounts/tokens/

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        n = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_token(token=token, by=request.user)
            n += 1
        self.message_user(
            request,
            ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", n) % {"n": n},
            messages.SUCCESS,
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "via", "action", "model", "object_id", "object_repr")
    list_filter = ("action", "via", "model")
    search_fields = ("username", "object_id", "object_repr")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FailedLogin)
class FailedLoginAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "ip")
    search_fields = ("username", "ip")


# The directory sits below accounts, so its soft-deletable records (organisations, people)
# get the audited "mark deleted" and "restore" actions here: their admins, as the directory
# defines them, are registered again with SoftDeleteActions mixed in.
for _model, _admin in (
    (Organisation, directory_admin.OrganisationAdmin),
    (Person, directory_admin.PersonAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(
        _model,
        type(_admin.__name__, (SoftDeleteActions, _admin), {"__module__": __name__}),
    )
