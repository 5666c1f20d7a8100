"""The figures as sections: a title, a note on what counts, a chart (SVG) and its table,
in the reader's language and script. The statistics page and the yearly report (Excel
workbook and PDF, ``documents/yearly_report.py``) show the same sections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from civicbridge.core import hans_hant
from civicbridge.statistics import charts, selectors
from civicbridge.statistics.charts import Series
from civicbridge.statistics.selectors import Filters


@dataclass
class Section:
    key: str
    title: str
    note: str
    headers: list[str]
    rows: list[list]
    charts: list[SafeString] = field(default_factory=list)
    # A last row of totals (shown apart from the rows; written into the sheet last).
    total: list | None = None

    @property
    def labelled_rows(self) -> list[list[tuple[str, object]]]:
        """Each row's cells with their column's header (a phone's card labels)."""
        return [list(zip(self.headers, row, strict=False)) for row in self.rows]

    @property
    def labelled_total(self) -> list[tuple[str, object]] | None:
        return list(zip(self.headers, self.total, strict=False)) if self.total else None


def reader_script() -> str:
    return hans_hant.script_of_language(translation.get_language())


def _topic_name(topic, which: str) -> str:
    language = translation.get_language() or ""
    return topic.name_in("en" if language.startswith("en") else which)


def sections(
    filters: Filters, user, *, today: dt.date | None = None, which: str | None = None, font=""
) -> list[Section]:
    """Every figure as a section (see the module's docstring). ``font``: the font family the
    charts' text is set in (the PDF's checked CJK family); empty: the page's."""
    which = which or reader_script()
    figures = selectors.all_figures(filters, user, today=today)
    years = [str(y) for y in filters.years]
    out = []

    f = figures["exchanges"]
    out.append(
        Section(
            key="exchanges",
            title=_("Exchanges and people per year"),
            note=_(
                "Held exchanges and the distinct people who were members of them. Planned "
                "and confirmed exchanges are not counted: they are shown apart."
            ),
            headers=[_("Year"), _("Exchanges held"), _("People taking part"), _("Planned")],
            rows=[[r["year"], r["exchanges"], r["people"], r["planned"]] for r in f["rows"]],
            total=[
                _("Total"),
                f["total"]["exchanges"],
                f["total"]["people"],
                f["total"]["planned"],
            ],
            charts=[
                charts.bar_chart(
                    "chart-exchanges",
                    _("Exchanges held per year"),
                    years,
                    [Series(_("Exchanges held"), [r["exchanges"] for r in f["rows"]])],
                    font_family=font,
                ),
                charts.bar_chart(
                    "chart-people",
                    _("People taking part per year"),
                    years,
                    [Series(_("People taking part"), [r["people"] for r in f["rows"]])],
                    font_family=font,
                ),
            ],
        )
    )

    f = figures["places"]
    out.append(
        Section(
            key="places",
            title=_("Communities and li involved per year"),
            note=_(
                "Communities (mainland) and li or villages (Taiwan) where an activity of a "
                "held exchange took place, whose people were members, that appointed or were "
                "appointed, or that began a pairing that year. The total counts each place once."
            ),
            headers=[_("Year"), _("Communities"), _("Li and villages")],
            rows=[[r["year"], r["communities"], r["li"]] for r in f["rows"]],
            total=[_("Total"), f["total"]["communities"], f["total"]["li"]],
            charts=[
                charts.bar_chart(
                    "chart-places",
                    _("Communities and li involved per year"),
                    years,
                    [
                        Series(_("Communities"), [r["communities"] for r in f["rows"]]),
                        Series(_("Li and villages"), [r["li"] for r in f["rows"]]),
                    ],
                    font_family=font,
                )
            ],
        )
    )

    f = figures["appointments"]
    out.append(
        Section(
            key="appointments",
            title=_("Appointments and pairings"),
            note=_(
                "Honorary appointments made and pairings begun each year, and how many in all "
                "up to that year (earlier years included). Planned ones are shown apart."
            ),
            headers=[
                _("Year"),
                _("Appointments"),
                _("Appointments in all"),
                _("Pairings"),
                _("Pairings in all"),
                _("Planned appointments"),
                _("Planned pairings"),
            ],
            rows=[
                [
                    r["year"],
                    r["appointments"],
                    r["appointments_cumulative"],
                    r["pairings"],
                    r["pairings_cumulative"],
                    r["planned_appointments"],
                    r["planned_pairings"],
                ]
                for r in f["rows"]
            ],
            total=[
                _("Total"),
                f["total"]["appointments"],
                "",
                f["total"]["pairings"],
                "",
                f["total"]["planned_appointments"],
                f["total"]["planned_pairings"],
            ],
            charts=[
                charts.bar_chart(
                    "chart-appointments",
                    _("Appointments and pairings per year"),
                    years,
                    [
                        Series(_("Appointments"), [r["appointments"] for r in f["rows"]]),
                        Series(_("Pairings"), [r["pairings"] for r in f["rows"]]),
                    ],
                    font_family=font,
                ),
                charts.line_chart(
                    "chart-cumulative",
                    _("Appointments and pairings in all"),
                    years,
                    [
                        Series(
                            _("Appointments in all"),
                            [r["appointments_cumulative"] for r in f["rows"]],
                        ),
                        Series(_("Pairings in all"), [r["pairings_cumulative"] for r in f["rows"]]),
                    ],
                    font_family=font,
                ),
            ],
        )
    )

    f = figures["health"]
    health_rows = [
        [
            r["year"],
            r["begun"],
            r["ended"],
            r["standing"],
            "—" if r["active"] is None else r["active"],
            "—" if r["quiet"] is None else r["quiet"],
        ]
        for r in f["rows"]
    ]
    now = f["now"]
    health_charts = [
        charts.bar_chart(
            "chart-health",
            _("Pairings standing and ended per year"),
            years,
            [
                Series(_("Standing at the year's end"), [r["standing"] for r in f["rows"]]),
                Series(_("Ended that year"), [r["ended"] for r in f["rows"]]),
            ],
            font_family=font,
        )
    ]
    if now is not None:
        health_charts.append(
            charts.hbar_chart(
                "chart-health-now",
                _("Pairings today: active and quiet"),
                [_("Active"), _("Quiet")],
                [now["active"], now["quiet"]],
                font_family=font,
            )
        )
    out.append(
        Section(
            key="health",
            title=_("Pairing health"),
            note=_(
                "Held pairings begun and ended each year and standing at its end. Active or "
                "quiet (nothing for the quiet period) is the pairings' own health, known for "
                "today: a past year's split is not kept (—)."
            ),
            headers=[
                _("Year"),
                _("Begun"),
                _("Ended"),
                _("Standing"),
                _("Active"),
                _("Quiet"),
            ],
            rows=health_rows,
            charts=health_charts,
        )
    )

    f = figures["topics"]
    top = f["topics"][:12]
    topic_rows = [
        [_topic_name(t["topic"], which), t["total"], *[t["years"].get(y, 0) for y in f["years"]]]
        for t in f["topics"]
    ]
    out.append(
        Section(
            key="topics",
            title=_("Topics discussed"),
            note=_(
                "Topics raised at held exchanges (on the exchange, a group, an activity or a "
                "forum), a narrower topic counted under its broader one. Wordings not yet filed "
                "under the taxonomy: %(unfiled)s."
            )
            % {"unfiled": f["unfiled"]},
            headers=[_("Topic"), _("Mentions"), *years],
            rows=topic_rows,
            charts=[
                charts.hbar_chart(
                    "chart-topics",
                    _("Topics by frequency"),
                    [_topic_name(t["topic"], which) for t in top],
                    [t["total"] for t in top],
                    font_family=font,
                )
            ],
        )
    )

    f = figures["matrix"]
    district_names = [p.display_name_in(which) for p in f["districts"]]
    county_names = [p.display_name_in(which) for p in f["counties"]]
    pair_cells = [
        [f["pairings"].get((d.pk, c.pk), 0) for c in f["counties"]] for d in f["districts"]
    ]
    exchange_cells = [
        [f["exchanges"].get((d.pk, c.pk), 0) for c in f["counties"]] for d in f["districts"]
    ]
    matrix_rows = []
    for d_name, pairs, visits in zip(district_names, pair_cells, exchange_cells, strict=True):
        matrix_rows.append(
            [d_name, *[f"{p} / {v}" for p, v in zip(pairs, visits, strict=True)], sum(pairs)]
        )
    out.append(
        Section(
            key="matrix",
            title=_("Mainland districts and Taiwanese counties"),
            note=_(
                "Each cell: held pairings / held exchanges between the district and the "
                "county (an exchange by its or its groups' host place and its visiting place)."
            ),
            headers=[_("District"), *county_names, _("Pairings")],
            rows=matrix_rows,
            charts=[
                charts.matrix_chart(
                    "chart-matrix-pairings",
                    _("Pairings per district and county"),
                    district_names,
                    county_names,
                    pair_cells,
                    font_family=font,
                ),
                charts.matrix_chart(
                    "chart-matrix-exchanges",
                    _("Exchanges per district and county"),
                    district_names,
                    county_names,
                    exchange_cells,
                    font_family=font,
                ),
            ],
        )
    )

    f = figures["commitments"]
    out.append(
        Section(
            key="commitments",
            title=_("Commitments"),
            note=_(
                "Commitments of held exchanges (in the exchange's year) and of held pairings "
                "(in the pairing's first year): open, overdue (open and past their due date), "
                "done and dropped."
            ),
            headers=[_("Year"), _("Open"), _("Overdue"), _("Done"), _("Dropped")],
            rows=[[r["year"], r["open"], r["overdue"], r["done"], r["dropped"]] for r in f["rows"]],
            total=[
                _("Total"),
                f["total"]["open"],
                f["total"]["overdue"],
                f["total"]["done"],
                f["total"]["dropped"],
            ],
            charts=[
                charts.bar_chart(
                    "chart-commitments",
                    _("Commitments per year"),
                    years,
                    [
                        Series(_("Open"), [r["open"] for r in f["rows"]]),
                        Series(_("Overdue"), [r["overdue"] for r in f["rows"]]),
                        Series(_("Done"), [r["done"] for r in f["rows"]]),
                        Series(_("Dropped"), [r["dropped"] for r in f["rows"]]),
                    ],
                    stacked=True,
                    font_family=font,
                )
            ],
        )
    )
    return out


def scope_label(filters: Filters, user, which: str) -> str:
    """What the figures cover, in words: the place filtered, the user's places, or all."""
    places = []
    if filters.place is not None:
        places = [filters.place]
    else:
        scope = selectors.scope_places(user)
        places = scope or []
    if not places:
        return _("All places")
    return "、".join(p.display_name_in(which) for p in places)
