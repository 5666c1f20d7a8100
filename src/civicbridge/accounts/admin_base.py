"""The admin base for soft-deletable records: marking them deleted and restoring them,
one by one through accounts.services (so each is audited).

It lives in accounts, above core (core/admin.py: ``RecordAdmin``, ``SoftDeletableAdmin``)
and the directory: the apps above accounts use ``SoftDeleteAdmin``; the directory's
soft-deletable records (organisations, people) get ``SoftDeleteActions`` in
accounts/admin.py, since the directory sits below accounts.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civicbridge.accounts import services
from civicbridge.core.admin import SoftDeletableAdmin


class SoftDeleteActions:
    """ModelAdmin mixin: the "mark deleted" and "restore" actions."""

    actions = ["mark_deleted", "restore"]

    @admin.action(description=_("Mark the selected records deleted"), permissions=["change"])
    def mark_deleted(self, request, queryset):
        """One by one through accounts.services.soft_delete: each deletion is audited."""
        n = 0
        for obj in queryset.filter(deleted_at__isnull=True).order_by("pk"):
            services.soft_delete(obj, by=request.user)
            n += 1
        self.message_user(
            request,
            ngettext("%(n)d record marked deleted.", "%(n)d records marked deleted.", n) % {"n": n},
            messages.SUCCESS,
        )

    @admin.action(description=_("Restore the selected records"), permissions=["change"])
    def restore(self, request, queryset):
        """One by one through accounts.services.restore: each restoration is audited."""
        n = 0
        for obj in queryset.filter(deleted_at__isnull=False).order_by("pk"):
            services.restore(obj, by=request.user)
            n += 1
        self.message_user(
            request,
            ngettext("%(n)d record restored.", "%(n)d records restored.", n) % {"n": n},
            messages.SUCCESS,
        )


class SoftDeleteAdmin(SoftDeleteActions, SoftDeletableAdmin):
    """Records that are never hard-deleted: the admin marks them deleted and can restore
    them. Deleted records stay listed, with a filter."""
