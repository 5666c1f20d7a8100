"""Copying an exchange (exchanges/copying.py): the copy page and POST /exchanges/{id}/copy.

Who may: whoever may host an exchange where the original and its groups were hosted
(``exchanges.copy_exchange``) — 海淀's organiser copies 海淀's exchange, 延庆's organiser
延庆's, neither the city-wide one (hosted in 北京市, groups in both districts); a viewer
copies nothing."""

from __future__ import annotations

import datetime as dt

from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import ActivityKind, Exchange
from tests.factories import at_day


def extend(world):
    world.yq = exchanges.create_exchange(
        title="延庆区接待",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 22),
        visiting_organisation=world.association,
        visiting_place=world.taipei,
        host_place=world.yanqing,
    )
    group = exchanges.create_group(exchange=world.yq, name="延庆组", host_place=world.yanqing)
    exchanges.create_activity(
        exchange=world.yq,
        kind=ActivityKind.MEETING,
        title="延庆座谈",
        starts_at=at_day(22, 9),
        ends_at=at_day(22, 10),
        place=world.other_community,
        groups=[group],
    )


COPY_TITLE = "复制的参访"


def _copies():
    return Exchange.objects.filter(title=COPY_TITLE).count()


def scenarios(p):
    S, only = p.S, p.only

    def case(label, attr, expected):
        return S(
            ("POST", "/exchanges/{exchange_id}/copy"),
            label,
            expected,
            api=lambda w: (
                "post",
                f"/api/v1/exchanges/{getattr(w, attr).pk}/copy",
                {"start_date": "2017-04-21", "title": COPY_TITLE},
            ),
            page=lambda w: (
                p._url("exchanges:copy", getattr(w, attr).pk),
                {"start_date": "2017-04-21", "title": COPY_TITLE},
            ),
            probe=lambda w: _copies(),
        )

    return [
        case("hosted in 海淀", "hd", only(p.INSIDE)),
        case("hosted in 延庆", "yq", only(p.OUTSIDE)),
        case("hosted in 北京市, groups in both districts", "exchange", only()),
    ]
