"""What changed between two versions of an itinerary: the one comparison of the releases
page (between releases, and "pending" since the last one), the changelog stored with a
release, the notices and the calendars' SEQUENCE.

A version is a dict ``activity id → Snapshot``; the live itinerary is read into the same
form by ``snapshot_of``, so a release and the record compare alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from civicbridge.exchanges.models import ExchangeStatus
from civicbridge.releases.models import ChangeKind

# Names of groups in a snapshot are joined with this (and split back for notices).
GROUP_SEPARATOR = "、"


@dataclass(frozen=True)
class Snapshot:
    key: int
    title: str
    kind: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    time_precision: str
    place_key: int | None
    place_name: str
    venue_key: int | None
    venue_name: str
    group_keys: str
    group_names: str

    @property
    def where(self) -> str:
        return " · ".join(n for n in (self.place_name, self.venue_name) if n)

    @property
    def groups(self) -> frozenset[int]:
        return frozenset(int(k) for k in self.group_keys.split(",") if k)


@dataclass(frozen=True)
class Change:
    key: int
    title: str
    what: str
    before: str = ""
    after: str = ""
    starts_before: datetime | None = None
    ends_before: datetime | None = None
    starts_after: datetime | None = None
    ends_after: datetime | None = None
    # The groups concerned, before and after; empty: the whole delegation.
    groups: frozenset[int] = frozenset()
    whole_delegation: bool = False

    @property
    def group_keys(self) -> str:
        return ",".join(map(str, sorted(self.groups)))

    def concerns(self, group_id: int | None) -> bool:
        """Does the change concern a member of group ``group_id`` (None: no group, i.e.
        the whole exchange, told of every change)?"""
        return group_id is None or self.whole_delegation or group_id in self.groups


def snapshot_of(activity) -> Snapshot:
    """An activity (with ``place``, ``venue`` and prefetched ``groups``) as a release keeps it."""
    groups = sorted(activity.groups.all(), key=lambda g: (g.order, g.pk))
    return Snapshot(
        key=activity.pk,
        title=activity.title,
        kind=activity.kind,
        status=activity.status,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        time_precision=activity.time_precision,
        place_key=activity.place_id,
        place_name=activity.place.name if activity.place_id else "",
        venue_key=activity.venue_id,
        venue_name=activity.venue.name if activity.venue_id else "",
        group_keys=",".join(str(g.pk) for g in sorted(groups, key=lambda g: g.pk)),
        group_names=GROUP_SEPARATOR.join(g.name for g in groups),
    )


def snapshot_of_row(row) -> Snapshot:
    """A stored ``ReleasedActivity`` as a Snapshot."""
    return Snapshot(
        key=row.activity_key,
        title=row.title,
        kind=row.kind,
        status=row.status,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        time_precision=row.time_precision,
        place_key=row.place_key,
        place_name=row.place_name,
        venue_key=row.venue_key,
        venue_name=row.venue_name,
        group_keys=row.group_keys,
        group_names=row.group_names,
    )


def _concerned(*snapshots: Snapshot) -> dict:
    groups: set[int] = set()
    whole = False
    for s in snapshots:
        if s.groups:
            groups |= s.groups
        else:
            whole = True
    return {"groups": frozenset(groups), "whole_delegation": whole}


def _order(s: Snapshot):
    return (s.starts_at is None, s.starts_at or datetime.min, s.key)


def compare(before: dict[int, Snapshot], after: dict[int, Snapshot]) -> list[Change]:
    """Every change from ``before`` to ``after``, in the order of the programme (the later
    version's times; removed activities where they were)."""
    changes: list[Change] = []
    keys = sorted(set(before) | set(after), key=lambda k: _order(after.get(k) or before[k]))
    for key in keys:
        old, new = before.get(key), after.get(key)
        if old is None:
            changes.append(
                Change(
                    key,
                    new.title,
                    ChangeKind.ADDED,
                    after=new.title,
                    starts_after=new.starts_at,
                    ends_after=new.ends_at,
                    **_concerned(new),
                )
            )
            continue
        if new is None:
            changes.append(
                Change(
                    key,
                    old.title,
                    ChangeKind.REMOVED,
                    before=old.title,
                    starts_before=old.starts_at,
                    ends_before=old.ends_at,
                    **_concerned(old),
                )
            )
            continue
        concerned = _concerned(old, new)
        title = new.title
        if old.status != new.status:
            cancelled = new.status == ExchangeStatus.CANCELLED
            changes.append(
                Change(
                    key,
                    title,
                    ChangeKind.CANCELLED if cancelled else ChangeKind.STATUS,
                    before=old.status,
                    after=new.status,
                    **concerned,
                )
            )
        if (old.starts_at, old.ends_at, old.time_precision) != (
            new.starts_at,
            new.ends_at,
            new.time_precision,
        ):
            changes.append(
                Change(
                    key,
                    title,
                    ChangeKind.MOVED,
                    starts_before=old.starts_at,
                    ends_before=old.ends_at,
                    starts_after=new.starts_at,
                    ends_after=new.ends_at,
                    **concerned,
                )
            )
        if (old.place_key, old.venue_key, old.where) != (new.place_key, new.venue_key, new.where):
            changes.append(
                Change(key, title, ChangeKind.PLACE, before=old.where, after=new.where, **concerned)
            )
        if old.title != new.title:
            changes.append(
                Change(
                    key, title, ChangeKind.RENAMED, before=old.title, after=new.title, **concerned
                )
            )
        if old.group_keys != new.group_keys:
            changes.append(
                Change(
                    key,
                    title,
                    ChangeKind.GROUPS,
                    before=old.group_names,
                    after=new.group_names,
                    **concerned,
                )
            )
    return changes
