"""How a change reads (the releases page, the API's changelog and the notices alike): what
changed, from, to — in the active language, the content in the reader's script."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _

from civicbridge.core import hans_hant
from civicbridge.core.part_of_day import time_label
from civicbridge.exchanges.models import ExchangeStatus
from civicbridge.releases.models import ChangeKind


def reader_script() -> str:
    return hans_hant.script_of_language(translation.get_language())


def when(starts_at, ends_at, zone: ZoneInfo, precision: str = "exact") -> str:
    """``04-22 09:00–10:00`` in the exchange's zone ("" for no time)."""
    if starts_at is None:
        return _("Not yet scheduled")
    moment = SimpleNamespace(
        starts_at=starts_at, ends_at=ends_at or starts_at, time_precision=precision
    )
    return f"{starts_at.astimezone(zone):%m-%d} {time_label(moment, zone)}"


def _status(value: str) -> str:
    return str(ExchangeStatus(value).label) if value in ExchangeStatus.values else value


def _groups(names: str, which: str) -> str:
    return hans_hant.convert_text(names, which) if names else _("Whole delegation")


@dataclass(frozen=True)
class Line:
    key: int
    title: str
    what: str
    what_label: str
    before: str
    after: str


def present(change, zone: ZoneInfo | str, which: str | None = None) -> Line:
    """``change``: a changelog.Change or a stored ReleaseChange (the same attributes)."""
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    which = which or reader_script()

    def text(value: str) -> str:
        return hans_hant.convert_text(value, which) if value else ""

    what = change.what
    before = after = ""
    if what == ChangeKind.ADDED:
        after = when(change.starts_after, change.ends_after, zone)
    elif what == ChangeKind.REMOVED:
        before = when(change.starts_before, change.ends_before, zone)
    elif what in (ChangeKind.CANCELLED, ChangeKind.STATUS):
        before, after = _status(change.before), _status(change.after)
    elif what == ChangeKind.MOVED:
        before = when(change.starts_before, change.ends_before, zone)
        after = when(change.starts_after, change.ends_after, zone)
    elif what == ChangeKind.GROUPS:
        before, after = _groups(change.before, which), _groups(change.after, which)
    else:  # place, renamed
        before, after = text(change.before) or "—", text(change.after) or "—"
    key = getattr(change, "activity_key", None) or getattr(change, "key", 0)
    return Line(
        key=key,
        title=text(change.title),
        what=str(what),
        what_label=str(ChangeKind(what).label),
        before=before,
        after=after,
    )


def present_all(changes, zone, which: str | None = None) -> list[Line]:
    which = which or reader_script()
    return [present(c, zone, which) for c in changes]
