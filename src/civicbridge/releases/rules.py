"""Who may read, publish and subscribe to an exchange's published programme (django-rules).

No rule of its own where one exists: publishing is editing the itinerary
(``exchanges.add_activity``), reading is reading the exchange (``exchanges.view_exchange``),
subscribing a member is changing the roster (``exchanges.change_member``) — or being that
member (the account's person). Who sees a subscription's e-mail is the personal-data rule
(``directory.view_email`` of the member's person).
"""

from __future__ import annotations

import rules

from civicbridge.exchanges.models import Exchange, Member


def _exchange(obj):
    return obj if isinstance(obj, Exchange) or obj is None else getattr(obj, "exchange", None)


@rules.predicate
def reads_exchange(user, obj):
    return user.has_perm("exchanges.view_exchange", _exchange(obj))


@rules.predicate
def edits_itinerary(user, obj):
    return user.has_perm("exchanges.add_activity", _exchange(obj))


@rules.predicate
def changes_roster(user, obj):
    """obj: a Member (or a subscription: its member), or an Exchange (any member of it)."""
    target = getattr(obj, "member", obj)
    return user.has_perm("exchanges.change_member", target)


@rules.predicate
def is_the_member(user, obj):
    """The account belongs to the member's person (accounts.PersonLink)."""
    member = getattr(obj, "member", obj)
    if not isinstance(member, Member) or not getattr(user, "is_authenticated", False):
        return False
    link = getattr(user, "person_link", None)
    return link is not None and link.person_id == member.person_id


PERMISSIONS = {
    "releases.view_release": ("Exchange (or None)", reads_exchange),
    "releases.publish_release": ("Exchange", edits_itinerary),
    "releases.change_subscription": (
        "Member or NoticeSubscription (Exchange: any member)",
        reads_exchange & (changes_roster | is_the_member),
    ),
}

for _name, (_expects, _predicate) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)


def may_subscribe_any(user, exchange) -> bool:
    return user.has_perm("releases.change_subscription", exchange)
