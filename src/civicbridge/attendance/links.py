"""Check-in links: a signed, expiring token for a member (and an activity) in a URL.

The token is ``django.core.signing``'s timestamped signature (our own salt) of
``{"m": member id, "a": activity id or 0, "n": random nonce}``:

- an **activity's link** (printed per activity on the member's programme) checks the member
  in at that activity, once;
- a **badge's link** (``a`` = 0, printed on the badge) checks the member in at the activity
  of theirs that is open for check-in when it is scanned (the phone page asks which, when
  several are), once per activity.

A link opens for an activity ``OPENS_BEFORE`` before it starts and closes ``GRACE`` after it
ends (the window is read at each use, so a link printed weeks ahead works on the day);
a token signed more than ``MAX_AGE`` ago is expired whatever the activity (a lost badge of
an earlier visit stops working). Tampered, expired, spent: each refused with its reason.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse
from django.utils import timezone

SALT = "civicbridge.attendance.check-in"
OPENS_BEFORE = dt.timedelta(hours=3)
GRACE = dt.timedelta(hours=2)
MAX_AGE = dt.timedelta(days=120)


class LinkRefused(Exception):
    """A check-in link that cannot be used; ``reason`` is one of the constants below."""

    TAMPERED = "tampered"
    EXPIRED = "expired"
    NOT_YET = "not_yet"
    CLOSED = "closed"
    SPENT = "spent"
    ALREADY = "already"
    UNKNOWN = "unknown"
    NOT_HIS = "not_his"

    def __init__(self, reason: str, *, activity=None, member=None, opens_at=None):
        super().__init__(reason)
        self.reason = reason
        self.activity = activity
        self.member = member
        self.opens_at = opens_at


@dataclass(frozen=True)
class Link:
    member_id: int
    activity_id: int | None
    nonce: str


def make_token(member, activity=None) -> str:
    """A new token for ``member`` (at ``activity``; None: the badge's)."""
    payload = {"m": member.pk, "a": activity.pk if activity is not None else 0}
    payload["n"] = secrets.token_urlsafe(6)
    return signing.TimestampSigner(salt=SALT).sign_object(payload, compress=False)


def link_path(token: str) -> str:
    return reverse("attendance:check_in", args=[token])


def read_token(token: str) -> Link:
    """The link a token holds; ``LinkRefused`` when it was tampered with or is too old."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        payload = signer.unsign_object(token, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkRefused(LinkRefused.EXPIRED) from exc
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise LinkRefused(LinkRefused.TAMPERED) from exc
    if not isinstance(payload, dict):
        raise LinkRefused(LinkRefused.TAMPERED)
    member, activity, nonce = payload.get("m"), payload.get("a"), payload.get("n")
    if not (
        isinstance(member, int)
        and isinstance(activity, int)
        and isinstance(nonce, str)
        and 0 < member < 2**53
        and 0 <= activity < 2**53
        and 0 < len(nonce) <= 32
    ):
        raise LinkRefused(LinkRefused.TAMPERED)
    return Link(member, activity or None, nonce)


def window(activity) -> tuple[dt.datetime, dt.datetime] | None:
    """When ``activity``'s check-in is open; None for an activity not yet scheduled."""
    if activity.starts_at is None or activity.ends_at is None:
        return None
    return activity.starts_at - OPENS_BEFORE, activity.ends_at + GRACE


def is_open(activity, now: dt.datetime | None = None) -> bool:
    span = window(activity)
    now = now or timezone.now()
    return span is not None and span[0] <= now <= span[1]


def check_window(activity, now: dt.datetime | None = None) -> None:
    """Refuse a check-in outside ``activity``'s window (before it opens, after it closes)."""
    span = window(activity)
    now = now or timezone.now()
    if span is None:
        raise LinkRefused(LinkRefused.NOT_YET, activity=activity)
    if now < span[0]:
        raise LinkRefused(LinkRefused.NOT_YET, activity=activity, opens_at=span[0])
    if now > span[1]:
        raise LinkRefused(LinkRefused.CLOSED, activity=activity)
