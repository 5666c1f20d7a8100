"""Writes of the accounts app: roles, users, API tokens, soft deletion, export records."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.accounts import audit
from civicbridge.accounts.models import (
    ApiToken,
    PersonLink,
    Role,
    RoleAssignment,
    hash_token,
    new_raw_token,
)
from civicbridge.accounts.rules import forget_roles
from civicbridge.core.services import (
    bump_version,
    check_version,
    create_record,
    validate_text_fields,
)

# --- users and roles -------------------------------------------------------------------


@transaction.atomic
def assign_role(*, user, role: str, place=None, organisation=None, by=None) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role in (Role.ORGANISER, Role.COMMUNITY_MEMBER) and place is None:
        raise ValidationError({"place": _("This role acts for a place: name it.")})
    if role == Role.COORDINATOR and organisation is None:
        raise ValidationError({"organisation": _("A coordinator acts for an organisation.")})
    if role in (Role.ADMINISTRATOR, Role.VIEWER):
        place = organisation = None
    if role != Role.COORDINATOR:
        organisation = None
    if role == Role.COORDINATOR:
        place = None
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, place=place, organisation=organisation, defaults={"created_by": by}
    )
    if role == Role.ADMINISTRATOR and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    forget_roles(user)
    return assignment


@transaction.atomic
def create_user(
    *,
    username: str,
    email: str = "",
    password: str | None = None,
    role: str | None = None,
    place=None,
    organisation=None,
    by=None,
):
    User = get_user_model()
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("This field is required.")})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("A user of that name already exists.")})
    if password:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    user = User(username=username, email=email)
    validate_text_fields(user, exclude=("password",))
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    if role:
        assign_role(user=user, role=role, place=place, organisation=organisation, by=by)
    return user


@transaction.atomic
def link_person(*, user, person):
    """Say which directory entry ``user`` is (``person=None``: none). One person per
    account and one account per person."""
    if person is None:
        PersonLink.objects.filter(user=user).delete()
        return None
    taken = PersonLink.objects.filter(person=person).exclude(user=user).exists()
    if taken:
        raise ValidationError({"person": _("This person already has an account.")})
    link, _created = PersonLink.objects.update_or_create(user=user, defaults={"person": person})
    return link


def person_of(user):
    """The directory entry of ``user`` (accounts.PersonLink), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    link = PersonLink.objects.filter(user=user).select_related("person__home_place").first()
    return link.person if link is not None else None


# --- API tokens --------------------------------------------------------------------------


@transaction.atomic
def create_token(*, user, label: str, read_only: bool = True) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the record and the token itself (shown once)."""
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("Give the token a name you will recognise.")})
    if len(label) > 100:
        raise ValidationError({"label": _("At most 100 characters.")})
    raw = new_raw_token()
    token = create_record(
        ApiToken,
        user=user,
        label=label,
        token_hash=hash_token(raw),
        prefix=raw[:10],
        read_only=read_only,
    )
    return token, raw


@transaction.atomic
def revoke_token(*, token: ApiToken, by) -> ApiToken:
    if token.user_id != by.pk and not by.is_superuser:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_token(raw: str) -> ApiToken | None:
    """The active token with that value (its user active), noting when it was last used."""
    if not raw or not raw.startswith("cb_") or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# --- soft deletion -----------------------------------------------------------------------


def _soft_deletable(obj) -> None:
    if not hasattr(obj, "deleted_at"):
        raise ValidationError(_("Records of this kind cannot be deleted softly."))


@transaction.atomic
def soft_delete(obj, *, by=None, expected_version: int | None = None):
    """Hide ``obj`` from every list (``.alive()``); it can be restored. Recorded in the
    audit trail as a deletion."""
    _soft_deletable(obj)
    check_version(obj, expected_version)
    if obj.deleted_at is not None:
        return obj
    obj.deleted_at = timezone.now()
    bump_version(obj)
    type(obj)._base_manager.filter(pk=obj.pk).update(
        deleted_at=obj.deleted_at, version=obj.version, updated_at=timezone.now()
    )
    with _as(by):
        audit.write_entry(
            action="delete",
            obj=obj,
            before={"deleted_at": None},
            after={"deleted_at": obj.deleted_at.isoformat()},
            note="soft",
        )
    return obj


@transaction.atomic
def restore(obj, *, by=None, expected_version: int | None = None):
    _soft_deletable(obj)
    check_version(obj, expected_version)
    if obj.deleted_at is None:
        return obj
    before = obj.deleted_at
    obj.deleted_at = None
    bump_version(obj)
    type(obj)._base_manager.filter(pk=obj.pk).update(
        deleted_at=None, version=obj.version, updated_at=timezone.now()
    )
    with _as(by):
        audit.write_entry(
            action="restore",
            obj=obj,
            before={"deleted_at": before.isoformat()},
            after={"deleted_at": None},
        )
    return obj


class _as:
    """Attribute the entry to ``by`` when given (else whoever acts now)."""

    def __init__(self, user):
        self.cm = audit.acting_as(user, via=audit._via()) if user is not None else None

    def __enter__(self):
        if self.cm is not None:
            self.cm.__enter__()

    def __exit__(self, *exc):
        if self.cm is not None:
            return self.cm.__exit__(*exc)
        return False


# --- exports -----------------------------------------------------------------------------


def record_export(*, by=None, what: str, includes_personal: bool, note: str = ""):
    """Note an export in the audit trail. Every export containing personal data must call
    this (the export command, the export endpoint, documents listing phone numbers)."""
    with _as(by):
        return audit.write_entry(
            action="export",
            model=what,
            after={"includes_personal_data": includes_personal},
            note=note,
        )
