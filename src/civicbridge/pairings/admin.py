"""Admin for pairings, appointments and commitments (with their status history)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civicbridge.accounts.admin_base import SoftDeleteAdmin
from civicbridge.core.admin import RecordAdmin, RecordInline
from civicbridge.pairings.models import (
    Agreement,
    AgreementParty,
    AgreementSignatory,
    Alliance,
    AllianceMember,
    Appointment,
    Attachment,
    CertificateNumbering,
    ChannelMembership,
    Commitment,
    CommitmentEvent,
    Message,
    NotificationPreference,
    Pairing,
    PairingBatch,
    ReadMark,
)


@admin.register(Pairing)
class PairingAdmin(RecordAdmin):
    list_display = ("__str__", "kind", "status", "started_on", "ended_on", "batch", "exchange")
    list_filter = ("kind", "status", "origin", ("ended_on", admin.EmptyFieldListFilter))
    search_fields = (
        "place_a__name",
        "place_a__name_hant",
        "place_a__short_name",
        "=place_a__code",
        "place_b__name",
        "place_b__name_hans",
        "place_b__short_name",
        "=place_b__code",
    )
    list_select_related = ("place_a", "place_b", "organisation_a", "organisation_b", "exchange")
    autocomplete_fields = (
        "place_a",
        "place_b",
        "organisation_a",
        "organisation_b",
        "exchange",
        "agreement",
        "batch",
    )
    date_hierarchy = "started_on"


@admin.register(PairingBatch)
class PairingBatchAdmin(RecordAdmin):
    list_display = ("description", "count", "kind", "status", "started_on", "exchange")
    list_filter = ("kind", "status")
    search_fields = ("description",)
    autocomplete_fields = ("districts_a", "districts_b", "exchange", "agreement")


class AgreementPartyInline(RecordInline, admin.TabularInline):
    model = AgreementParty
    autocomplete_fields = ("place", "organisation")


class AgreementSignatoryInline(RecordInline, admin.TabularInline):
    model = AgreementSignatory
    autocomplete_fields = ("person",)


@admin.register(Agreement)
class AgreementAdmin(RecordAdmin):
    list_display = ("subject", "kind", "status", "signed_on", "exchange")
    list_filter = ("kind", "status")
    search_fields = ("subject",)
    autocomplete_fields = ("exchange",)
    raw_id_fields = ("activity",)
    readonly_fields = ("document_name", "document_type")
    inlines = [AgreementPartyInline, AgreementSignatoryInline]


class AllianceMemberInline(RecordInline, admin.TabularInline):
    model = AllianceMember
    autocomplete_fields = ("place", "organisation")


@admin.register(Alliance)
class AllianceAdmin(RecordAdmin):
    list_display = ("name", "status", "launched_on", "exchange")
    list_filter = ("status",)
    search_fields = ("name",)
    autocomplete_fields = ("exchange",)
    raw_id_fields = ("activity",)
    inlines = [AllianceMemberInline]


@admin.register(Appointment)
class AppointmentAdmin(SoftDeleteAdmin):
    list_display = (
        "person",
        "community",
        "person_place",
        "title",
        "appointed_on",
        "certificate_year",
        "certificate_number",
    )
    list_filter = ("certificate_year", "appointed_on", "title")
    search_fields = (
        "person__name",
        "person__name_hans",
        "person__name_hant",
        "community__name",
        "community__short_name",
        "person_place__name",
        "person_place__name_hans",
        "certificate_number",
    )
    list_select_related = ("person", "community", "person_place")
    autocomplete_fields = ("person", "community", "person_place", "exchange", "activity", "pairing")
    date_hierarchy = "appointed_on"


@admin.register(CertificateNumbering)
class CertificateNumberingAdmin(admin.ModelAdmin):
    """The pattern each community numbers its certificates in (organisers: the page
    ``documents:certificate_numbering``)."""

    list_display = ("community", "pattern", "digits")
    search_fields = ("community__name", "community__short_name", "pattern")
    list_select_related = ("community",)
    autocomplete_fields = ("community",)
    fields = ("community", "pattern", "digits")


class CommitmentEventInline(admin.TabularInline):
    model = CommitmentEvent
    extra = 0
    fields = ("status", "note", "at", "by")
    autocomplete_fields = ("by",)


@admin.register(Commitment)
class CommitmentAdmin(RecordAdmin):
    list_display = ("title", "status", "due_on", "owner_person", "owner_organisation", "exchange")
    list_filter = ("status", "due_on", "exchange")
    search_fields = (
        "title",
        "description",
        "owner_person__name",
        "owner_person__name_hant",
        "owner_organisation__name",
        "owner_organisation__name_hant",
    )
    list_select_related = ("owner_person", "owner_organisation", "exchange")
    autocomplete_fields = (
        "exchange",
        "activity",
        "outcome",
        "pairing",
        "owner_person",
        "owner_organisation",
    )
    inlines = (CommitmentEventInline,)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or "status" in form.changed_data:
            # The status history records every change, whoever makes it.
            CommitmentEvent.objects.create(commitment=obj, status=obj.status, by=request.user)


@admin.register(CommitmentEvent)
class CommitmentEventAdmin(admin.ModelAdmin):
    list_display = ("commitment", "status", "at", "by")
    list_filter = ("status", "at")
    search_fields = ("commitment__title", "note")
    list_select_related = ("commitment", "by")
    autocomplete_fields = ("commitment", "by")


def _attachment_link(obj):
    if obj is None or obj.pk is None:
        return "—"
    url = reverse("pairings:attachment", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj.original_name)


class AttachmentFileMixin:
    """Attachments arrive only with their message (pairings.services.post_message, which
    checks and stores them); here they are read-only, linked to the attachment view."""

    @admin.display(description=_("file"))
    def file_link(self, obj):
        return _attachment_link(obj)

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(AttachmentFileMixin, RecordInline, admin.TabularInline):
    model = Attachment
    fields = ("file_link", "original_name", "content_type", "size")
    readonly_fields = fields


@admin.register(Message)
class MessageAdmin(SoftDeleteAdmin):
    list_display = ("__str__", "pairing", "exchange", "author", "author_place", "created_at")
    list_filter = ("created_at", ("pairing", admin.EmptyFieldListFilter))
    search_fields = ("body", "author__username", "exchange__title", "author_place__name")
    list_select_related = ("pairing__place_a", "pairing__place_b", "exchange", "author")
    autocomplete_fields = ("pairing", "exchange", "author", "author_place")
    date_hierarchy = "created_at"
    inlines = (AttachmentInline,)


@admin.register(Attachment)
class AttachmentAdmin(AttachmentFileMixin, RecordAdmin):
    list_display = ("original_name", "message", "content_type", "size")
    fields = ("message", "file_link", "original_name", "content_type", "size")
    readonly_fields = ("file_link", "original_name", "content_type", "size")
    list_filter = ("content_type",)
    search_fields = ("original_name",)
    autocomplete_fields = ("message",)


@admin.register(ChannelMembership)
class ChannelMembershipAdmin(RecordAdmin):
    list_display = ("user", "pairing", "exchange", "place", "person")
    search_fields = ("user__username", "person__name", "place__name", "exchange__title")
    list_select_related = ("user", "pairing__place_a", "pairing__place_b", "exchange", "place")
    autocomplete_fields = ("user", "pairing", "exchange", "place", "person")


@admin.register(ReadMark)
class ReadMarkAdmin(admin.ModelAdmin):
    list_display = ("user", "pairing", "exchange", "last_read_id", "at")
    search_fields = ("user__username",)
    list_select_related = ("user", "pairing__place_a", "pairing__place_b", "exchange")
    autocomplete_fields = ("user", "pairing", "exchange")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email_messages", "email_commitments")
    list_filter = ("email_messages", "email_commitments")
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)
