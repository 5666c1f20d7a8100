"""Reads of the accounts app."""

from civicbridge.accounts.models import AuditEntry


def audit_entries(*, model="", object="", user="", action="", **_ignored):  # noqa: A002
    entries = AuditEntry.objects.all().order_by("-at", "-id")
    if model:
        entries = entries.filter(model=model.strip().lower())
    if object:
        entries = entries.filter(object_id=str(object).strip())
    if user:
        entries = entries.filter(username=user.strip())
    if action:
        entries = entries.filter(action=action)
    return entries


def history_of(obj):
    """Every entry about one record, newest first (for a record's history section)."""
    return audit_entries(model=obj._meta.label_lower, object=str(obj.pk))
