"""Reads of published programmes shared by the releases page, the exchange page's panel,
the API, the notices and the calendars, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from civicbridge.exchanges.models import Activity, Exchange
from civicbridge.releases.changelog import Change, Snapshot, compare, snapshot_of, snapshot_of_row
from civicbridge.releases.models import NoticeSubscription, Release, ReleaseChange, ReleasedActivity


def live_activities(exchange: Exchange):
    """The exchange's activities with what a snapshot reads (two queries)."""
    return (
        Activity.objects.filter(exchange=exchange)
        .select_related("place", "venue")
        .prefetch_related("groups")
        .order_by("starts_at", "order", "id")
    )


def live_itinerary(exchange: Exchange) -> dict[int, Snapshot]:
    return {a.pk: snapshot_of(a) for a in live_activities(exchange)}


def latest_release(exchange: Exchange) -> Release | None:
    return (
        Release.objects.filter(exchange=exchange)
        .select_related("published_by")
        .order_by("-number")
        .first()
    )


def released_itinerary(release: Release | None) -> dict[int, Snapshot]:
    if release is None:
        return {}
    return {r.activity_key: snapshot_of_row(r) for r in release.activities.all()}


def pending_changes(exchange: Exchange, release: Release | None = None) -> list[Change]:
    """What changed since the last release (nothing while none was published)."""
    release = release if release is not None else latest_release(exchange)
    if release is None:
        return []
    return compare(released_itinerary(release), live_itinerary(exchange))


@dataclass
class ReleasesPage:
    releases: list[Release]
    current: Release | None
    programme: list[ReleasedActivity]
    pending: list[Change]
    live_count: int
    subscriptions: list[NoticeSubscription] = field(default_factory=list)


def releases_page(exchange: Exchange) -> ReleasesPage:
    """Every release of the exchange (newest first) with its changelog, the current
    release's programme, the pending changes and the subscriptions: seven queries
    whatever the number of releases, activities and changes."""
    releases = list(
        Release.objects.filter(exchange=exchange)
        .select_related("published_by")
        .prefetch_related(
            Prefetch("changes", queryset=ReleaseChange.objects.order_by("order", "id"))
        )
        .order_by("-number")
    )
    current = releases[0] if releases else None
    programme = list(current.activities.order_by("starts_at", "activity_key")) if current else []
    live = live_itinerary(exchange)
    before = {r.activity_key: snapshot_of_row(r) for r in programme}
    pending = compare(before, live) if current else []
    return ReleasesPage(
        releases=releases,
        current=current,
        programme=programme,
        pending=pending,
        live_count=len(live),
        subscriptions=list(subscriptions_of(exchange)),
    )


def subscriptions_of(exchange: Exchange):
    return (
        NoticeSubscription.objects.filter(exchange=exchange)
        .select_related("member__person", "member__group")
        .order_by("member__order", "member_id")
    )


@dataclass(frozen=True)
class PanelSummary:
    current: Release | None
    pending: int


def panel_summary(exchange: Exchange) -> PanelSummary:
    """One query while never published; four once published (the release, its snapshot,
    the live itinerary with its groups)."""
    release = latest_release(exchange)
    if release is None:
        return PanelSummary(current=None, pending=0)
    return PanelSummary(current=release, pending=len(pending_changes(exchange, release)))


def sequences(activities) -> dict[int, int]:
    """The calendars' SEQUENCE of each activity: the number of published releases in which
    it changed, plus one while it has changes not yet published (so the next release does
    not lower it). An exchange never published: 1 once the activity was edited, else 0.
    ``activities`` carry ``place``, ``venue`` and prefetched ``groups`` (the calendars'
    selection does); one query for exchanges never published, three for any number of
    activities and exchanges."""
    activities = list(activities)
    if not activities:
        return {}
    exchange_ids = {a.exchange_id for a in activities}
    keys = [a.pk for a in activities]
    latest: dict[int, int] = {}
    for exchange_id, release_id in (
        Release.objects.filter(exchange_id__in=exchange_ids)
        .order_by("exchange_id", "-number")
        .values_list("exchange_id", "id")
    ):
        latest.setdefault(exchange_id, release_id)
    counts: dict[int, int] = {}
    released: dict[int, Snapshot] = {}
    if latest:  # never published: no changelog, no snapshot to read
        counts = dict(
            ReleaseChange.objects.filter(release__exchange_id__in=latest, activity_key__in=keys)
            .values("activity_key")
            .annotate(n=Count("release", distinct=True))
            .values_list("activity_key", "n")
        )
        released = {
            r.activity_key: snapshot_of_row(r)
            for r in ReleasedActivity.objects.filter(
                release_id__in=latest.values(), activity_key__in=keys
            )
        }
    out = {}
    for a in activities:
        if a.exchange_id not in latest:
            pending = a.version > 1
        else:
            old = released.get(a.pk)
            pending = old is None or bool(compare({a.pk: old}, {a.pk: snapshot_of(a)}))
        out[a.pk] = counts.get(a.pk, 0) + int(pending)
    return out


def compare_with(release: Release | None, live: dict[int, Snapshot]) -> list[Change]:
    """The changelog of a release to be published over ``release`` (none for the first)."""
    if release is None:
        return []
    return compare(released_itinerary(release), live)
