"""Change notices: when a release after the first is published, each subscriber whom a
change concerns gets one e-mail listing those changes, in the subscriber's language and
script (``translation.override`` for the words, core.hans_hant for the content), through
Django's mail (``settings.EMAIL_BACKEND``: the console unless the environment says
otherwise).

Whom a change concerns: a member of a group is told of the changes to that group's
activities, to the groups they lead and to the whole delegation's; a member with no group
(and leading none) of every change."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from civicbridge.core import hans_hant
from civicbridge.releases import presentation
from civicbridge.releases.changelog import Change
from civicbridge.releases.models import NoticeSubscription, Release


def _groups_of(member) -> set[int] | None:
    """The member's group and the groups they lead; None: none (told of everything)."""
    groups = {g.pk for g in member.groups_led.all()}
    if member.group_id:
        groups.add(member.group_id)
    return groups or None


def concerns(change: Change, groups: set[int] | None) -> bool:
    if groups is None:
        return True
    return any(change.concerns(g) for g in groups)


def notice(release: Release, subscription: NoticeSubscription, changes: list[Change]):
    """The e-mail telling one subscriber of ``changes``."""
    exchange = release.exchange
    language = subscription.language
    which = hans_hant.script_of_language(language)
    with translation.override(language):
        lines = presentation.present_all(changes, ZoneInfo(exchange.timezone), which)
        title = hans_hant.convert_text(exchange.title, which)
        subject = _("%(exchange)s: programme version %(number)s") % {
            "exchange": title,
            "number": release.number,
        }
        body = render_to_string(
            "releases/notice_email.txt",
            {
                "exchange_title": title,
                "member_name": subscription.member.person.name_in(which),
                "release": release,
                "note": hans_hant.convert_text(release.note, which),
                "lines": lines,
                "url": reverse("releases:exchange", args=[exchange.pk]),
            },
        )
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
    )


def notices_for(release: Release, changes: list[Change]) -> list[EmailMessage]:
    """One message per subscriber whom at least one change concerns."""
    if not changes:
        return []
    subscriptions = (
        NoticeSubscription.objects.filter(exchange=release.exchange)
        .exclude(email="")
        .select_related("member__person")
        .prefetch_related("member__groups_led")
        .order_by("member__order", "member_id")
    )
    out = []
    for subscription in subscriptions:
        groups = _groups_of(subscription.member)
        mine = [c for c in changes if concerns(c, groups)]
        if mine:
            out.append(notice(release, subscription, mine))
    return out


def send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
