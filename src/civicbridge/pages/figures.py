"""Counting for the figures the pages show (the dashboard's totals, a place's figures):
several counts in one query. What is counted is chosen by the callers through the one
selector per record type: ``exchanges.selectors.held_exchanges``,
``pairings.selectors.held_appointments`` and ``held_pairings`` (held only, never planned,
confirmed, cancelled or deleted)."""

from __future__ import annotations

from django.db import connection


def counts(**querysets) -> dict[str, int]:
    """How many rows each queryset has, in one query (a scalar subquery each)."""
    selects, params = [], []
    for qs in querysets.values():
        sql, qs_params = qs.order_by().values("pk").query.sql_with_params()
        # The SQL Django made for our own querysets; their values stay parameters.
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) cb_count)")  # noqa: S608
        params.extend(qs_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))
