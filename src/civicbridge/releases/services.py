"""Writes of published programmes: publishing a release (its snapshot and changelog, and
the change notices it sends), subscribing a member to notices and unsubscribing.

Every entry point (the releases page, the API) calls these with ``actor=``; they ask the
rules (releases/rules.py) by name. The audit trail records every row (accounts/audit.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core.services import check_characters, validate_text, validate_text_fields
from civicbridge.exchanges.models import Exchange, Member
from civicbridge.releases import notices, selectors
from civicbridge.releases.changelog import snapshot_of
from civicbridge.releases.models import (
    NoticeLanguage,
    NoticeSubscription,
    Release,
    ReleaseChange,
    ReleasedActivity,
)


def _require(actor, perm: str, obj=None) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do that."))


@transaction.atomic
def publish_release(
    *, exchange: Exchange, note: str = "", expected_number: int | None = None, actor=None
) -> Release:
    """Publish the exchange's itinerary as it stands: release number (last + 1), its
    snapshot and its changelog against the last release; then (from the second release on)
    one notice to each subscriber whom a change concerns, sent once the transaction is
    committed. ``expected_number``: the number of the last release the publisher saw (a
    release published meanwhile refuses this one, as a stale edit is refused)."""
    _require(actor, "releases.publish_release", exchange)
    note = validate_text(note, field="note", max_length=2000, required=False, multiline=True)
    # One publisher at a time per exchange: lock the exchange's row.
    Exchange.objects.select_for_update().filter(pk=exchange.pk).order_by().values("pk").first()
    last = selectors.latest_release(exchange)
    last_number = last.number if last else 0
    if expected_number is not None and int(expected_number) != last_number:
        raise ValidationError(
            {
                "expected_number": _(
                    "Version %(number)s was published meanwhile: reload the page and look "
                    "at its changes before publishing again."
                )
                % {"number": last_number}
            },
            code="stale",
        )
    activities = list(selectors.live_activities(exchange))
    live = {a.pk: snapshot_of(a) for a in activities}
    changes = selectors.compare_with(last, live)
    if last is not None and not changes:
        raise ValidationError(
            {"note": _("Nothing changed since version %(number)s.") % {"number": last_number}}
        )
    release = Release(
        exchange=exchange,
        number=last_number + 1,
        published_at=timezone.now(),
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )
    validate_text_fields(release)
    release.save()
    ReleasedActivity.objects.bulk_create(
        ReleasedActivity(
            release=release,
            activity_key=s.key,
            title=s.title,
            kind=s.kind,
            status=s.status,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            time_precision=s.time_precision,
            place_key=s.place_key,
            place_name=s.place_name,
            venue_key=s.venue_key,
            venue_name=s.venue_name,
            group_keys=s.group_keys,
            group_names=s.group_names,
        )
        for s in live.values()
    )
    ReleaseChange.objects.bulk_create(
        ReleaseChange(
            release=release,
            activity_key=c.key,
            title=c.title,
            what=c.what,
            before=c.before,
            after=c.after,
            starts_before=c.starts_before,
            ends_before=c.ends_before,
            starts_after=c.starts_after,
            ends_after=c.ends_after,
            group_keys=c.group_keys,
            whole_delegation=c.whole_delegation,
            order=i,
        )
        for i, c in enumerate(changes)
    )
    if last is not None:
        messages = notices.notices_for(release, changes)
        release.notices_sent = len(messages)
        release.save(update_fields=["notices_sent", "updated_at"])
        transaction.on_commit(lambda: notices.send(messages))
    return release


def _validate_subscription(subscription: NoticeSubscription) -> None:
    errors = {}
    if not subscription.email:
        errors["email"] = _("Give an e-mail address to send the notices to.")
    else:
        try:
            # Direction overrides and controls first (a name's rule), then the form.
            check_characters(subscription.email, field="email", name=True)
            validate_email(subscription.email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if subscription.language not in NoticeLanguage.values:
        errors["language"] = _("Choose one of the languages offered.")
    if errors:
        raise ValidationError(errors)
    validate_text_fields(subscription)


@transaction.atomic
def subscribe_member(
    *, member: Member, email: str = "", language: str = NoticeLanguage.HANS, actor=None
) -> NoticeSubscription:
    """Opt ``member`` in to change notices (again: the address and language are replaced).
    Without ``email`` the person's own e-mail is used."""
    _require(actor, "releases.change_subscription", member)
    email = (email or "").strip() or (member.person.email or "")
    subscription = NoticeSubscription.objects.filter(member=member).first()
    if subscription is None:
        subscription = NoticeSubscription(exchange_id=member.exchange_id, member=member)
    else:
        subscription.version += 1
    subscription.email = email
    subscription.language = language
    _validate_subscription(subscription)
    subscription.save()
    return subscription


@transaction.atomic
def unsubscribe_member(*, subscription: NoticeSubscription, actor=None) -> None:
    """Opt out: the subscription and its e-mail address are removed."""
    _require(actor, "releases.change_subscription", subscription)
    subscription.delete()
