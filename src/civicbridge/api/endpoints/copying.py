"""Copying an exchange as a new, planned one (exchanges/copying.py): the API's side of the
exchange page's "Copy as a new exchange"."""

from __future__ import annotations

from ninja import Router, Schema, Status

from civicbridge.api.core import responses
from civicbridge.api.endpoints.common import Date, PathId, Text, get, need
from civicbridge.api.endpoints.exchanges import ExchangeOut
from civicbridge.exchanges import copying
from civicbridge.exchanges.models import Exchange

router = Router(tags=["exchanges"])


class ExchangeCopyIn(Schema):
    """``start_date``: the copy's first day (every date moves by as many days as it lies
    after, or before, the original's). ``title``: the copy's (default: the original's)."""

    start_date: Date
    title: Text(200) | None = None


@router.post(
    "/exchanges/{exchange_id}/copy",
    response=responses(201, ExchangeOut),
    summary="Copy an exchange as a new, planned one",
)
def copy_exchange(request, exchange_id: PathId, payload: ExchangeCopyIn):
    """People, groups, organisations, places and the itinerary are kept, every date moved
    by the same number of days (times of day kept in the exchange's time zone);
    appointments, gifts, photos, statements, sources and attendance are not copied. Needs
    ``exchanges.copy_exchange`` on the original (may host an exchange where it was)."""
    need(request, "exchanges.view_exchange")
    exchange = get(Exchange, exchange_id, Exchange.objects.alive().select_related("host_place"))
    need(request, copying.PERMISSION, exchange)
    copy = copying.copy_exchange(
        exchange=exchange, start_date=payload.start_date, title=payload.title, by=request.user
    )
    return Status(201, Exchange.objects.prefetch_related("labels").get(pk=copy.pk))
