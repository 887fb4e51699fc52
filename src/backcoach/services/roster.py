"""The physiotherapist's list of patients, and the critical alerts at the top of every staff page.

Fast with thousands of patients: the list is one SQL query over `patient_status`, a summary row per
patient. The alerts that do not move with the clock are computed by `core.alerts` (with the
clinic's thresholds) when the row is refreshed, acknowledged ones left out. Engagement moves with
the clock, so its tier is worked out in the query from the stored time of the last session and the
thresholds' cut-off moments, for sorting and filtering. Every write to a record marks its row dirty
in the same transaction (`storage.patient_status`); each read here first refreshes the actor's
dirty rows (usually none) and those with a pain stop just aged out of its window.

Adherence counts days: of the last 7 (and 28) days, counted in UTC and today included, how many had
at least one session with an exercise done.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from backcoach.core.access import Actor, Role
from backcoach.core.alerts import (
    STOP_WINDOW,
    TIER_RANK,
    AlertFacts,
    AlertKind,
    AlertThresholds,
    AlertTier,
    alerts_for,
)
from backcoach.core.errors import NotAllowed
from backcoach.services.alerts import alert_facts
from backcoach.services.clinic import audit_staff
from backcoach.services.context import App, Scope
from backcoach.services.thresholds import clinic_thresholds
from backcoach.storage.patient_status import DONE_DAYS_KEPT, Cutoffs, RosterQuery, RosterRow

PAGE = 50
# A read brings the dirty summaries up to date for at most this long (seconds); the rest wait for the
# next read and the page says so. Everyday writes leave a few; a change of thresholds leaves them all.
LIST_BUDGET, BANNER_BUDGET = 3.0, 0.5
RACED_PASSES = 3  # summaries a write raced are computed again, this many passes at most
BANNER_MOST = 20  # patients named in the banner; the list has the rest
REFRESHER = Actor(Role.physio, name="patient list")  # reads a record's facts only, never through a face
RANKS = {0: None, **{rank: tier for tier, rank in TIER_RANK.items()}}
TITLES = {
    AlertKind.warning_sign: "Warning sign",
    AlertKind.pain_level: "Severe pain",
    AlertKind.pain_stop: "Pain stop",
    AlertKind.pain_rise: "Pain rising",
    AlertKind.function: "Function worse",
    AlertKind.engagement: "No recent session",
}


def cutoffs(thresholds: AlertThresholds, now: datetime) -> Cutoffs:
    """The moments a last session must be at or before for each engagement tier."""
    return Cutoffs(
        now - timedelta(hours=thresholds.engagement_low_hours),
        now - timedelta(days=thresholds.engagement_high_days),
        now - timedelta(days=thresholds.engagement_dropped_days),
    )


def _engagement_keys(since: datetime, thresholds: AlertThresholds) -> dict[int, str]:
    """The key of the engagement alert of each tier for this `since`, from the rules themselves."""
    keys = {}
    c = cutoffs(thresholds, since)
    for rank, at in ((1, c.low), (2, c.high), (3, c.dropped)):
        moment = since + (since - at)  # the moment the gap reaches that tier
        found = alerts_for(AlertFacts(last_session_at=since), thresholds, moment)
        keys[rank] = next(a.key for a in found if a.kind is AlertKind.engagement)
    return keys


def _stored(alert: Any) -> dict[str, str]:
    return {"kind": alert.kind.value, "tier": alert.tier.value, "key": alert.key, "title": TITLES[alert.kind]}


def refresh_status(app: App, person_id: int, version: int, thresholds: AlertThresholds) -> bool:
    """Compute one patient's summary from their record (a bounded window) and store it, unless a
    write came in meanwhile (then it stays dirty, for the next read)."""
    scope = Scope(app, REFRESHER, person_id)
    now = app.now()
    facts = alert_facts(scope)
    found = [a for a in alerts_for(facts, thresholds, now) if a.kind is not AlertKind.engagement]
    since = None if facts.warning is not None else (facts.last_session_at or facts.program_since)
    keys = _engagement_keys(since, thresholds) if since is not None else {}
    done = scope.repo.alerts.acknowledged([a.key for a in found] + list(keys.values()))
    shown = [a for a in found if a.key not in done]
    counted = [s.at + STOP_WINDOW for s in facts.pain_stops if now - STOP_WINDOW <= s.at <= now]
    store = app.database.status
    return store.save(
        person_id,
        version,
        {
            "stored_rank": max((TIER_RANK[a.tier] for a in shown), default=0),
            "alerts": [_stored(a) for a in shown],
            "engagement_since": since,
            "engagement_acked": sum(1 << (rank - 1) for rank, key in keys.items() if key in done),
            "last_session_at": facts.last_session_at,
            "done_days": store.done_days(person_id, now - timedelta(days=DONE_DAYS_KEPT)),
            "pains": store.pains(person_id),
            "stale_at": min(counted, default=None),
            "refreshed_at": now,
        },
    )


def _scope_of(actor: Actor) -> tuple[int, int | None]:
    """The clinic and whose care teams: the list and the banner show facts from records (pains,
    alerts, adherence), so each staff member sees only the patients whose care team they are in,
    an admin too, as the policy has it (`core.access`). An admin's directory of everyone in the
    clinic (names only) is `services.clinic.patients`."""
    if actor.clinic_id is None or actor.role not in (Role.admin, Role.physio):
        raise NotAllowed("Only staff see the list of patients.")
    return actor.clinic_id, actor.account_id


def refresh_dirty(
    app: App, actor: Actor, thresholds: AlertThresholds | None = None, budget: float | None = None
) -> int:
    """Refresh the actor's patients whose summary a write made dirty, or whose alerts aged out;
    with a `budget` (seconds), stop when it is spent. How many are still waiting.

    A write that lands while a summary is computed leaves it dirty (`refresh_status`); those are
    computed again, a few passes at most, so a patient's check-in saved at the moment a clinician
    opens a page does not hide a critical alert from that page."""
    clinic_id, mine = _scope_of(actor)
    thresholds = thresholds or clinic_thresholds(app, clinic_id)
    ends = None if budget is None else time.monotonic() + budget
    left = 0
    for _ in range(RACED_PASSES):
        stale = app.database.status.needing_refresh(clinic_id, mine, app.now())
        raced = 0
        for done, (person_id, version) in enumerate(stale):
            if ends is not None and time.monotonic() > ends:
                return len(stale) - done
            raced += not refresh_status(app, person_id, version, thresholds)
        left = raced
        if not raced:
            return 0
    return left


@dataclass(frozen=True)
class Filters:
    search: str = ""
    tier: AlertTier | None = None
    none_open: bool = False  # the tier filter's "no open alert"
    open_only: bool = False
    not_joined: bool = False
    page: int = 1


@dataclass(frozen=True)
class Pain:
    day: str
    score: int


@dataclass(frozen=True)
class Line:
    """One patient on the list."""

    public_id: str
    name: str
    joined: bool
    tier: AlertTier | None
    alerts: list[tuple[AlertTier, str]]  # open alerts, most urgent first: tier and title
    done_7: int
    done_28: int
    pains: list[Pain]
    last_session: date | None


@dataclass(frozen=True)
class Roster:
    lines: list[Line]
    total: int
    page: int
    pages: int
    thresholds: AlertThresholds
    behind: int  # patients whose summary is still being brought up to date (shown as before)


def _line(row: RosterRow, today: date) -> Line:
    alerts = [(AlertTier(a["tier"]), a["title"]) for a in row.alerts]
    if row.engagement_rank:
        tier = RANKS[row.engagement_rank]
        assert tier is not None
        alerts.append((tier, TITLES[AlertKind.engagement]))
    alerts.sort(key=lambda a: -TIER_RANK[a[0]])  # stable: the rules' own order within a tier
    days = [date.fromisoformat(d) for d in row.done_days]
    return Line(
        row.public_id,
        row.name,
        row.joined,
        RANKS[row.rank],
        alerts,
        sum(1 for d in days if 0 <= (today - d).days < 7),
        sum(1 for d in days if 0 <= (today - d).days < DONE_DAYS_KEPT),
        [Pain(d, int(s)) for d, s in row.pains],
        row.last_session_at.date() if row.last_session_at else None,
    )


def roster(app: App, actor: Actor, filters: Filters, per_page: int = PAGE, address: str = "") -> Roster:
    """A staff member's patients, most urgent open alert first, then by name; searched, filtered and
    paged in SQL. It shows facts from their records, so each look is in the audit trail
    (`patients_listed`, with how many were shown); opening one is its own audited read."""
    clinic_id, mine = _scope_of(actor)
    thresholds = clinic_thresholds(app, clinic_id)
    behind = refresh_dirty(app, actor, thresholds, LIST_BUDGET)
    now = app.now()
    rank = 0 if filters.none_open else (TIER_RANK[filters.tier] if filters.tier else None)
    page = max(1, filters.page)
    query = RosterQuery(
        clinic_id,
        mine,
        filters.search.strip()[:200],
        rank,
        filters.open_only,
        filters.not_joined,
        (page - 1) * per_page,
        per_page,
    )
    rows, total = app.database.status.roster(query, cutoffs(thresholds, now))
    pages = max(1, -(-total // per_page))
    audit_staff(app, actor, "patients_listed", address, None, f"page {page}: {len(rows)} of {total}")
    return Roster([_line(r, now.date()) for r in rows], total, page, pages, thresholds, behind)


@dataclass(frozen=True)
class CriticalNotice:
    public_id: str
    name: str
    titles: list[str]


def critical_alerts(app: App, actor: Actor, most: int = BANNER_MOST) -> list[CriticalNotice]:
    """The actor's patients with an open critical alert, for the banner on every staff page: one
    indexed query (after refreshing the dirty rows, usually none)."""
    clinic_id, mine = _scope_of(actor)
    thresholds = clinic_thresholds(app, clinic_id)
    refresh_dirty(app, actor, thresholds, BANNER_BUDGET)
    found = app.database.status.critical(clinic_id, mine, cutoffs(thresholds, app.now()), most)
    notices = []
    for public_id, name, alerts, engagement in found:
        titles = [a["title"] for a in alerts or [] if a["tier"] == AlertTier.critical.value]
        if engagement == TIER_RANK[AlertTier.critical]:
            titles.append(TITLES[AlertKind.engagement])
        notices.append(CriticalNotice(public_id, name, titles))
    return notices
