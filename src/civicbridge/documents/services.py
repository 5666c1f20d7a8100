"""Writes for documents: news brief versions and calendar subscription tokens.

The roster import lives in spreadsheets.import_roster (it writes through the directory and
exchanges services)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.core import hans_hant
from civicbridge.core.services import create_record, validate_text
from civicbridge.directory.models import Person
from civicbridge.documents.brief import brief_script
from civicbridge.documents.models import CalendarToken, NewsBrief
from civicbridge.documents.text import normalise_script
from civicbridge.exchanges.models import Exchange, Group

MAX_BRIEF_LENGTH = 50_000


@transaction.atomic
def save_news_brief(
    *,
    exchange: Exchange,
    script: str,
    text: str,
    created_by=None,
    generated: bool = False,
    note: str = "",
    based_on: int | None = None,
) -> NewsBrief:
    """Save ``text``, written in ``script``, as the next version of the exchange's brief.

    The brief is stored once, in the exchange's script (``brief.brief_script``): text
    edited in the other script is converted to it, so one edit serves both readers.
    ``based_on`` is the version number the editor started from; when a newer version was
    saved in the meantime the save is refused rather than silently overwriting it."""
    which = brief_script(exchange)
    text = (text or "").replace("\r\n", "\n").strip()
    if normalise_script(script) != which:
        text = hans_hant.convert_text(text, which)
    if not text:
        raise ValidationError({"text": _("The brief is empty.")})
    if len(text) > MAX_BRIEF_LENGTH:
        raise ValidationError({"text": _("The brief is too long.")})
    note = validate_text(note, field="note", max_length=300, required=False)
    list(Exchange.objects.select_for_update().filter(pk=exchange.pk))
    latest = NewsBrief.objects.filter(exchange=exchange).aggregate(n=Max("number"))["n"] or 0
    if based_on is not None and int(based_on) != latest:
        raise ValidationError(
            {
                "text": _(
                    "Someone saved version %(latest)s while you were editing version "
                    "%(mine)s. Copy your text, reload, and apply your change again."
                )
                % {"latest": latest, "mine": based_on}
            },
            code="stale",
        )
    try:
        with transaction.atomic():
            return create_record(
                NewsBrief,
                exchange=exchange,
                script=which,
                number=latest + 1,
                text=text,
                created_by=created_by,
                generated=generated,
                note=note,
            )
    except IntegrityError as exc:
        raise ValidationError({"text": _("Another version was saved at the same time.")}) from exc


SCOPE_MODELS = {
    CalendarToken.Scope.EXCHANGE: Exchange,
    CalendarToken.Scope.GROUP: Group,
    CalendarToken.Scope.PERSON: Person,
}
# Who may read the calendar of each scope (asked of the record; of a group: its exchange).
SCOPE_PERMISSIONS = {
    CalendarToken.Scope.EXCHANGE: "exchanges.view_exchange",
    CalendarToken.Scope.GROUP: "exchanges.view_exchange",
    CalendarToken.Scope.PERSON: "directory.view_person",
}


def may_read_calendar(user, scope: str, obj) -> bool:
    """May ``user`` read the calendar of ``obj`` (an exchange, group or person) now?"""
    if user is None or not user.is_active or scope not in SCOPE_PERMISSIONS:
        return False
    target = obj.exchange if scope == CalendarToken.Scope.GROUP else obj
    return user.has_perm(SCOPE_PERMISSIONS[scope], target)


def calendar_token_works(token: CalendarToken, obj) -> bool:
    """A subscription link works while it is not revoked and the user who created it may
    still read that calendar — checked at every use, so a creator who loses every role, is
    deactivated or may no longer read the record takes their links down with them. A link
    whose creator is gone works no more."""
    return token.revoked_at is None and may_read_calendar(token.created_by, token.scope, obj)


@transaction.atomic
def create_calendar_token(
    *, scope: str, object_id: int, exchange: Exchange | None = None, created_by=None, label=""
) -> CalendarToken:
    if scope not in SCOPE_MODELS:
        raise ValidationError({"scope": _("Unknown kind of calendar.")})
    if not SCOPE_MODELS[scope]._default_manager.filter(pk=object_id).exists():
        raise ValidationError({"object_id": _("There is no such record.")})
    return create_record(
        CalendarToken,
        scope=scope,
        object_id=object_id,
        exchange=exchange,
        created_by=created_by,
        label=validate_text(label, field="label", max_length=200, required=False),
    )


@transaction.atomic
def revoke_calendar_token(*, token: CalendarToken) -> CalendarToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def touch_calendar_token(*, token: CalendarToken) -> None:
    CalendarToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
