"""Published programmes (releases/): publishing a version of the 海淀 exchange's itinerary,
subscribing its member to change notices and unsubscribing.

Who may: publishing is editing the itinerary (``exchanges.add_activity``: 海淀's organiser,
not 延庆's, not a viewer); subscribing a member is changing the roster
(``exchanges.change_member``) or being that member, none of whom is 延庆's organiser or a
viewer."""

from __future__ import annotations

from civicbridge.releases import services
from civicbridge.releases.models import NoticeSubscription, Release


def _subscribed(w):
    w.hd_subscription = services.subscribe_member(
        member=w.hd_member, email="zhang@example.org", language="zh-hant"
    )


def scenarios(p):
    S, only = p.S, p.only
    return [
        S(
            ("POST", "/exchanges/{exchange_id}/releases"),
            "publish the 海淀 exchange's programme",
            only(p.INSIDE),
            api=lambda w: (
                "post",
                f"/api/v1/exchanges/{w.hd.pk}/releases",
                {"note": "初版", "expected_number": 0},
            ),
            page=lambda w: (
                p._url("releases:publish", w.hd.pk),
                {"note": "初版", "expected_number": "0"},
            ),
            probe=lambda w: Release.objects.filter(exchange=w.hd).count(),
        ),
        S(
            ("POST", "/release-subscriptions"),
            "subscribe the 海淀 member to change notices",
            only(p.INSIDE),
            api=lambda w: (
                "post",
                "/api/v1/release-subscriptions",
                {"member_id": w.hd_member.pk, "email": "zhang@example.org", "language": "en"},
            ),
            page=lambda w: (
                p._url("releases:subscribe", w.hd.pk),
                {"member": str(w.hd_member.pk), "email": "zhang@example.org", "language": "en"},
            ),
            probe=lambda w: list(
                NoticeSubscription.objects.filter(member=w.hd_member).values_list(
                    "email", "language"
                )
            ),
        ),
        S(
            ("DELETE", "/release-subscriptions/{subscription_id}"),
            "unsubscribe the 海淀 member",
            only(p.INSIDE),
            setup=_subscribed,
            api=lambda w: (
                "delete",
                f"/api/v1/release-subscriptions/{w.hd_subscription.pk}",
                None,
            ),
            page=lambda w: (
                p._url("releases:unsubscribe", w.hd.pk, w.hd_subscription.pk),
                {},
            ),
            probe=lambda w: NoticeSubscription.objects.filter(member=w.hd_member).count(),
        ),
    ]
