"""The audit trail: one mechanism for every entry point.

Who acts is kept in a context variable: ``AuditContextMiddleware`` puts the request there
(the API's token authentication sets ``request.user`` on the same request), commands use
``acting_as(user)``. Model signals of the domain apps write an ``AuditEntry`` for every
create, update and delete, with the changed fields before and after. Soft deletion and
restoration (accounts.services) and exports write their own entries.

Signals are used on purpose here: an audit log is infrastructure that must see every
write, whichever service, admin page or command made it; it holds no business rule."""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import uuid
from contextlib import contextmanager

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from civicbridge.accounts.models import AuditEntry

# The apps whose records are audited.
AUDITED_APPS = (
    "directory",
    "exchanges",
    "forums",
    "pairings",
    "documents",
    "logistics",
    "approvals",
    "releases",
    "attendance",
)
# Derived or secret fields that are never written to the trail.
SKIPPED_FIELDS = {"search_text", "updated_at", "path", "token", "thumbnail"}
# Models left out: secret calendar links are managed (and revoked) by their owners.
SKIPPED_MODELS = {"documents.calendartoken"}

_request: contextvars.ContextVar = contextvars.ContextVar("civicbridge_audit_request", default=None)
_actor: contextvars.ContextVar = contextvars.ContextVar("civicbridge_audit_actor", default=None)
_suspended: contextvars.ContextVar = contextvars.ContextVar(
    "civicbridge_audit_suspended", default=False
)


@contextmanager
def request_context(request):
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextmanager
def acting_as(user, via: str = "command"):
    """Attribute the writes inside the block to ``user`` (commands, the demo loader)."""
    token = _actor.set((user, via))
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def suspended():
    """No entries inside the block (only for bulk loads into an empty database)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def current_request():
    return _request.get()


def current_user():
    """The user acting now, or None (a command without ``acting_as``, an anonymous request)."""
    actor = _actor.get()
    if actor is not None:
        return actor[0]
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def _via() -> str:
    actor = _actor.get()
    if actor is not None:
        return actor[1]
    request = _request.get()
    if request is None:
        return "command"
    return "api" if request.path.startswith("/api/") else "page"


def model_label(model) -> str:
    return model._meta.label_lower


def is_audited(model) -> bool:
    meta = model._meta
    return (
        meta.app_label in AUDITED_APPS
        and not meta.abstract
        and not meta.auto_created
        and meta.label_lower not in SKIPPED_MODELS
    )


def _plain(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def snapshot(obj) -> dict:
    """The stored fields of ``obj`` as JSON-ready values (foreign keys as ids)."""
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in SKIPPED_FIELDS or f.primary_key:
            continue
        data[f.name] = _plain(getattr(obj, f.attname))
    return data


def write_entry(
    *, action: str, obj=None, model=None, object_id="", before=None, after=None, note=""
):
    if _suspended.get():
        return None
    user = current_user()
    if obj is not None:
        model = type(obj)
        object_id = obj.pk
    return AuditEntry.objects.create(
        user=user if user is not None and user.pk else None,
        username=user.get_username() if user is not None else "",
        via=_via(),
        action=action,
        model=model_label(model) if not isinstance(model, str) else model,
        object_id="" if object_id is None else str(object_id),
        object_repr=str(obj)[:200] if obj is not None else "",
        before=before,
        after=after,
        note=note[:300],
    )


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or not is_audited(sender):
        return
    before = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._base_manager.filter(pk=instance.pk).first()
        if old is not None:
            before = snapshot(old)
    instance._civicbridge_audit_before = before


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw or not is_audited(sender):
        return
    before = getattr(instance, "_civicbridge_audit_before", None)
    instance._civicbridge_audit_before = None
    after = snapshot(instance)
    if created or before is None:
        write_entry(action="create", obj=instance, after=after)
        return
    changed = [k for k in after if before.get(k) != after[k] and k != "version"]
    if not changed:
        return
    write_entry(
        action="update",
        obj=instance,
        before={k: before.get(k) for k in changed},
        after={k: after[k] for k in changed},
    )


def _post_delete(sender, instance, **kwargs):
    if not is_audited(sender):
        return
    write_entry(action="delete", obj=instance, before=snapshot(instance))


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or not is_audited(type(instance)):
        return
    field = next(
        (f for f in type(instance)._meta.many_to_many if f.remote_field.through is sender), None
    )
    if field is None:
        return
    if action in {"pre_add", "pre_remove", "pre_clear"}:
        instance.__dict__.setdefault("_civicbridge_m2m_before", {})[field.name] = sorted(
            getattr(instance, field.name).values_list("pk", flat=True)
        )
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    before = instance.__dict__.get("_civicbridge_m2m_before", {}).pop(field.name, None)
    after = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    if before == after:
        return
    write_entry(
        action="update", obj=instance, before={field.name: before}, after={field.name: after}
    )


def connect() -> None:
    pre_save.connect(_pre_save, dispatch_uid="civicbridge_audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="civicbridge_audit_post_save")
    post_delete.connect(_post_delete, dispatch_uid="civicbridge_audit_post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="civicbridge_audit_m2m")
