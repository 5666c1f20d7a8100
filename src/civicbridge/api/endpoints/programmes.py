"""Programmes and series (一日里长, 双城交流), their figures per period, the exchanges that
belong to them, and the links between exchanges (return visits, earlier visits).

Each write calls the service the page calls (programmes/services.py) with
``actor=request.user``; the service asks the page's permission by name
(``programmes.add_programme``, ``change_programme``, ``add_figure``; putting an exchange in
a programme or linking it to another visit: ``programmes.link_exchange``, the exchange's own
edit right). Reading needs ``programmes.view_programme``. A removal of a record carries its
``version`` (409 when it changed meanwhile)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.db import transaction
from django.db.models import Prefetch
from ninja import Field, Router, Schema, Status

from civicbridge.api.core import page_of, paginate, responses
from civicbridge.api.endpoints.common import (
    Date,
    Id,
    Limit,
    Offset,
    OptId,
    PathId,
    QueryVersion,
    Text,
    Version,
    changes,
    get,
    need,
    ref,
)
from civicbridge.core.services import check_version
from civicbridge.directory.models import Organisation, Place
from civicbridge.exchanges.models import Exchange
from civicbridge.programmes import selectors, services
from civicbridge.programmes.models import ExchangeLink, Programme, ProgrammeFigure

router = Router(tags=["programmes"])

Year = Annotated[int | None, Field(ge=services.EARLIEST_YEAR, le=services.LATEST_YEAR)]
DirectionIn = Literal["", "to_taiwan", "to_mainland", "both"]
Figure = Annotated[Decimal, Field(ge=0, le=services.MAX_FIGURE, max_digits=12, decimal_places=2)]


# --- programmes ---------------------------------------------------------------------------


class ProgrammeOut(Schema):
    id: int
    name: str
    kind: str
    organiser_id: int | None
    direction: str
    start_year: int | None
    aim: str
    note: str
    exchange_ids: list[int] = Field(description="its exchanges, earliest first")
    version: int

    @staticmethod
    def resolve_exchange_ids(obj) -> list[int]:
        return [e.pk for e in obj.exchanges.all()]


class ProgrammeIn(Schema):
    name: Text(200)
    kind: Literal["programme", "series"] = "programme"
    organiser_id: Id | None = None
    direction: DirectionIn = ""
    start_year: Year = None
    aim: Text(5000) = ""
    note: Text(5000) = ""


class ProgrammePatch(Schema):
    version: Version
    name: Text(200) | None = None
    kind: Literal["programme", "series"] | None = None
    organiser_id: Id | None = None
    direction: DirectionIn | None = None
    start_year: Year = None
    aim: Text(5000) | None = None
    note: Text(5000) | None = None


def _programmes():
    return Programme.objects.select_related("organiser").prefetch_related(
        Prefetch(
            "exchanges",
            queryset=Exchange.objects.alive().order_by("start_date", "id").only("id"),
        )
    )


def _organiser(data: dict) -> dict:
    if "organiser_id" in data:
        data["organiser"] = ref(
            Organisation,
            data.pop("organiser_id"),
            "organiser_id",
            Organisation.objects.filter(deleted_at__isnull=True),
        )
    return data


@router.get(
    "/programmes", response=responses(200, page_of(ProgrammeOut)), summary="List programmes"
)
def list_programmes(request, exchange: OptId = None, limit: Limit = 50, offset: Offset = 0):
    need(request, "programmes.view_programme")
    programmes = _programmes()
    if exchange is not None:
        programmes = programmes.filter(exchanges__id=exchange)
    return paginate(programmes, limit, offset)


@router.get(
    "/programmes/{programme_id}", response=responses(200, ProgrammeOut), summary="One programme"
)
def get_programme(request, programme_id: PathId):
    need(request, "programmes.view_programme")
    return get(Programme, programme_id, _programmes())


@router.post("/programmes", response=responses(201, ProgrammeOut), summary="Create a programme")
def create_programme(request, payload: ProgrammeIn):
    programme = services.create_programme(**_organiser(payload.dict()), actor=request.user)
    return Status(201, get(Programme, programme.pk, _programmes()))


@router.patch(
    "/programmes/{programme_id}",
    response=responses(200, ProgrammeOut),
    summary="Change a programme",
)
def update_programme(request, programme_id: PathId, payload: ProgrammePatch):
    programme = get(Programme, programme_id)
    fields = _organiser(changes(payload))
    for key in ("name", "kind"):  # null: unchanged
        if key in fields and fields[key] is None:
            del fields[key]
    for key in ("direction", "aim", "note"):  # null: cleared
        if key in fields and fields[key] is None:
            fields[key] = ""
    services.update_programme(
        programme=programme, expected_version=payload.version, actor=request.user, **fields
    )
    return get(Programme, programme.pk, _programmes())


@router.put(
    "/programmes/{programme_id}/exchanges/{exchange_id}",
    response=responses(200, ProgrammeOut),
    summary="Put an exchange in a programme",
)
def add_programme_exchange(request, programme_id: PathId, exchange_id: PathId):
    programme = get(Programme, programme_id)
    exchange = get(Exchange, exchange_id, Exchange.objects.alive())
    services.add_exchange_to_programme(programme=programme, exchange=exchange, actor=request.user)
    return get(Programme, programme.pk, _programmes())


@router.delete(
    "/programmes/{programme_id}/exchanges/{exchange_id}",
    response=responses(200, ProgrammeOut),
    summary="Take an exchange out of a programme",
)
def remove_programme_exchange(request, programme_id: PathId, exchange_id: PathId):
    programme = get(Programme, programme_id)
    exchange = get(Exchange, exchange_id, Exchange.objects.alive())
    services.remove_exchange_from_programme(
        programme=programme, exchange=exchange, actor=request.user
    )
    return get(Programme, programme.pk, _programmes())


# --- figures ------------------------------------------------------------------------------


class FigureOut(Schema):
    id: int
    programme_id: int
    figure: Decimal
    unit: str
    about: str
    direction: str
    period_start: int | None
    period_end: int | None
    exchange_id: int | None
    version: int


class FigureIn(Schema):
    programme_id: Id | None = Field(None, description="the programme; or name it")
    programme_name: Text(200) = Field(
        "", description="found in either script (一日里長 = 一日里长), created when none"
    )
    figure: Figure
    unit: Text(200) = Field(description="what is counted: 居委会, 里, 人次")
    about: Text(200) = Field("", description="the programme as the source words it")
    direction: DirectionIn = ""
    period_start: Year = None
    period_end: Year = None
    exchange_id: Id | None = Field(None, description="the exchange whose reports gave it")


@router.get(
    "/programme-figures",
    response=responses(200, page_of(FigureOut)),
    summary="List programme figures",
)
def list_figures(
    request,
    programme: OptId = None,
    exchange: OptId = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    need(request, "programmes.view_programme")
    figures = ProgrammeFigure.objects.all()
    if programme is not None:
        figures = figures.filter(programme_id=programme)
    if exchange is not None:
        figures = figures.filter(exchange_id=exchange)
    return paginate(figures, limit, offset)


@router.post(
    "/programme-figures", response=responses(201, FigureOut), summary="Record a programme figure"
)
def create_figure(request, payload: FigureIn):
    data = payload.dict()
    data["programme"] = ref(Programme, data.pop("programme_id"), "programme_id")
    data["exchange"] = ref(
        Exchange, data.pop("exchange_id"), "exchange_id", Exchange.objects.alive()
    )
    figure = services.record_programme_figure(**data, actor=request.user)
    return Status(201, figure)


@router.delete(
    "/programme-figures/{figure_id}",
    response=responses(204, None),
    summary="Remove a programme figure",
)
def delete_figure(request, figure_id: PathId, version: QueryVersion):
    figure = get(ProgrammeFigure, figure_id, ProgrammeFigure.objects.select_related("programme"))
    with transaction.atomic():
        check_version(figure, version)
        services.remove_programme_figure(figure=figure, actor=request.user)
    return Status(204, None)


# --- links between exchanges -----------------------------------------------------------------


class LinkOut(Schema):
    id: int
    exchange_id: int = Field(description="the exchange the link is recorded on")
    kind: str
    other_id: int | None = Field(description="the recorded exchange it links to")
    who: str
    where: str
    where_place_id: int | None
    start_date: dt.date | None
    end_date: dt.date | None
    note: str
    version: int


class LinksOut(Schema):
    links: list[LinkOut] = Field(description="recorded on this exchange")
    linked_from: list[LinkOut] = Field(
        description="recorded on other exchanges, naming this one (a return visit of it)"
    )


class LinkIn(Schema):
    kind: Literal["return_visit", "follow_up", "earlier", "later"]
    other_id: Id | None = None
    who: Text(200) = ""
    where: Text(200) = ""
    where_place_id: Id | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    note: Text(5000) = ""


@router.get(
    "/exchanges/{exchange_id}/links",
    response=responses(200, LinksOut),
    summary="An exchange's links to other visits",
)
def list_links(request, exchange_id: PathId):
    exchange = get(Exchange, exchange_id, Exchange.objects.alive())
    need(request, "exchanges.view_exchange", exchange)
    own, incoming = selectors.exchange_links(exchange)
    return {"links": own, "linked_from": incoming}


@router.post(
    "/exchanges/{exchange_id}/links",
    response=responses(201, LinkOut),
    summary="Link an exchange to another visit",
)
def create_link(request, exchange_id: PathId, payload: LinkIn):
    exchange = get(Exchange, exchange_id, Exchange.objects.alive())
    data = payload.dict()
    data["other"] = ref(Exchange, data.pop("other_id"), "other_id", Exchange.objects.alive())
    data["where_place"] = ref(Place, data.pop("where_place_id"), "where_place_id")
    link = services.link_exchange(exchange=exchange, **data, actor=request.user)
    return Status(201, link)


@router.delete(
    "/exchanges/{exchange_id}/links/{link_id}",
    response=responses(204, None),
    summary="Remove a link",
)
def delete_link(request, exchange_id: PathId, link_id: PathId, version: QueryVersion):
    exchange = get(Exchange, exchange_id, Exchange.objects.alive())
    link = get(ExchangeLink, link_id, ExchangeLink.objects.filter(exchange=exchange))
    with transaction.atomic():
        check_version(link, version)
        services.unlink_exchange(link=link, actor=request.user)
    return Status(204, None)
