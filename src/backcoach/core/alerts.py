"""Alerts for a patient's care team: pure rules over a few facts, in three tiers (low, high, critical).

Every number is a rule of `core/rules.py`, with its source; a clinic may change some (`AlertThresholds`).
Medbridge Pathways' monitoring tiers are the model: its "low", "high" and "critical" are ours.

- **warning_sign**: a warning sign that no professional has checked yet, answered at the start or
  when asked again after a check-in: always critical, whatever the clinic's thresholds (NICE NG59
  lists the signs that need a doctor; the program is paused until a check is recorded).
- **pain_level**: the worst pain at the latest check-in (before or after the session) at 7/10 or
  more: critical (Medbridge Pathways).
- **pain_rise**: a rise of 2 points or more: high; pain of 5/10 or more with a rise of 1: low
  (Medbridge Pathways). The rise is the larger of two: the latest check-in's worst pain against the
  check-in before, and the pain after the latest session against the pain before it (the rise the
  session flow already answers, `rules.pain_rose`). Taking the larger is the cautious reading.
- **pain_stop**: a pain stop in the last 7 days (the program's review period) at 7/10 or more:
  critical (Medbridge Pathways); sharp, spreading or worsening pain, or pain into the legs: high
  (Smith et al. 2017 name these as reasons to stop, and the exercise stays paused until a
  professional clears it; high is our choice). A mild stop below 7 gives no alert: Smith et al.
  2017 found that mild discomfort during exercise does no harm.
- **function**: each activity of the Patient-Specific Functional Scale, its latest rating against
  the one before: 20% or more lower: critical; not higher: high (Medbridge Pathways: no gain over two
  assessments). A rating of 10 ("as well as before") cannot rise, so it never counts as flat. The
  words say whether the change is beyond the ups and downs of rating (3 points on one activity,
  Stratford et al. 1995); that never lowers a tier.
- **engagement**: the time since the last session with an exercise done, or since the first
  program when there is none: 49 hours low, 14 days high, 21 days "dropped", which is critical
  (Medbridge Pathways). Medbridge counts sign-ins; backcoach has none on one machine, and a visit
  without exercise is not exercise, so sessions are counted: the stricter reading. No engagement
  alert while a warning sign stands: the person was told to stop.

`alerts_for` returns the alerts most urgent first. Each names its sources (ids of `core/sources.py`)
and its rules, the facts it rests on, and a key: its kind, tier and the fact that caused it, so an
alert acknowledged by a clinician comes back only when the facts change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from enum import StrEnum

from backcoach.core.errors import InvalidInput
from backcoach.core.pain_stop import SEVERE_KINDS, PainKind
from backcoach.core.psfs import HIGHEST, REAL_CHANGE
from backcoach.core.rules import (
    ENGAGEMENT_DROPPED_DAYS,
    ENGAGEMENT_HIGH_DAYS,
    ENGAGEMENT_LOW_HOURS,
    FUNCTION_DROP_FRACTION,
    FUNCTION_FLAT_ASSESSMENTS,
    PAIN_CRITICAL,
    PAIN_RISE_ACT,
    PAIN_WATCH_LEVEL,
    PAIN_WATCH_RISE,
    REVIEW_EVERY_DAYS,
    Rule,
)
from backcoach.core.sources import title_of
from backcoach.core.warning_signs import BY_ID, Urgency

STOP_WINDOW = timedelta(days=REVIEW_EVERY_DAYS.value)  # the pain stops the rules read


class AlertTier(StrEnum):
    low = "low"
    high = "high"
    critical = "critical"


TIER_RANK = {AlertTier.low: 1, AlertTier.high: 2, AlertTier.critical: 3}


class AlertKind(StrEnum):  # in the order alerts of one tier are shown
    warning_sign = "warning_sign"
    pain_level = "pain_level"
    pain_stop = "pain_stop"
    pain_rise = "pain_rise"
    function = "function"
    engagement = "engagement"


KIND_ORDER = {kind: i for i, kind in enumerate(AlertKind)}


# The facts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInPain:
    """The pain given at one check-in, before and after its session."""

    session_id: int
    at: datetime
    before: int | None
    after: int | None

    @property
    def worst(self) -> int | None:
        given = [v for v in (self.before, self.after) if v is not None]
        return max(given) if given else None


@dataclass(frozen=True)
class StopFact:
    """A pain stop during a session ("this hurts")."""

    session_id: int
    exercise_id: str
    at: datetime  # when its session started
    kind: PainKind
    score: int
    into_the_legs: bool
    exercise_name: str = ""

    @property
    def severe(self) -> bool:
        return self.kind in SEVERE_KINDS or self.into_the_legs


@dataclass(frozen=True)
class FunctionRating:
    """One rating of one activity of the Patient-Specific Functional Scale (0 = cannot do it)."""

    activity_id: int
    activity: str
    at: datetime
    score: int


@dataclass(frozen=True)
class WarningFact:
    """A warning sign that no professional's check covers yet."""

    screening_id: int
    answered_at: datetime
    urgency: Urgency
    signs: tuple[str, ...]  # question ids
    after_check_in: bool  # asked again after a check-in, rather than at the start


@dataclass(frozen=True)
class AlertFacts:
    """What the rules read: a bounded window of one person's record, oldest first."""

    program_since: datetime | None = None  # the first program's making
    last_session_at: datetime | None = None  # the last session with an exercise done
    check_ins: tuple[CheckInPain, ...] = ()  # the rules read the last two
    pain_stops: tuple[StopFact, ...] = ()  # those of the last STOP_WINDOW count
    function: tuple[FunctionRating, ...] = ()  # the rules read each activity's last two
    warning: WarningFact | None = None


# The thresholds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertThresholds:
    """The numbers the rules compare with: the cited defaults, or a clinic's own. Pain and function
    may only come sooner than the default (a lower number), never later: safety first. Each
    engagement tier may move up to just below the next one, and "dropped" no later than 21 days."""

    engagement_low_hours: int = int(ENGAGEMENT_LOW_HOURS.value)
    engagement_high_days: int = int(ENGAGEMENT_HIGH_DAYS.value)
    engagement_dropped_days: int = int(ENGAGEMENT_DROPPED_DAYS.value)
    pain_watch_level: int = int(PAIN_WATCH_LEVEL.value)
    pain_watch_rise: int = int(PAIN_WATCH_RISE.value)
    pain_act_rise: int = int(PAIN_RISE_ACT.value)
    pain_critical: int = int(PAIN_CRITICAL.value)
    function_drop: float = FUNCTION_DROP_FRACTION.value

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            number = (int, float) if f.name == "function_drop" else (int,)
            if isinstance(value, bool) or not isinstance(value, number):
                raise InvalidInput(f.name, f"give a whole number, not {value!r}")
        _check(self)

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, float]) -> AlertThresholds:
        """The defaults with a clinic's own values; an unknown name or a value out of bounds is refused."""
        unknown = sorted(set(overrides) - set(DEFAULT_RULES))
        if unknown:
            raise InvalidInput(unknown[0], f"not a threshold; the thresholds are {', '.join(DEFAULT_RULES)}")
        return replace(cls(), **overrides)  # type: ignore[arg-type]  # each is checked in __post_init__


# Which rule each threshold's default comes from (its number and source).
DEFAULT_RULES: dict[str, Rule] = {
    "engagement_low_hours": ENGAGEMENT_LOW_HOURS,
    "engagement_high_days": ENGAGEMENT_HIGH_DAYS,
    "engagement_dropped_days": ENGAGEMENT_DROPPED_DAYS,
    "pain_watch_level": PAIN_WATCH_LEVEL,
    "pain_watch_rise": PAIN_WATCH_RISE,
    "pain_act_rise": PAIN_RISE_ACT,
    "pain_critical": PAIN_CRITICAL,
    "function_drop": FUNCTION_DROP_FRACTION,
}
SOONER_ONLY = ("pain_watch_level", "pain_watch_rise", "pain_act_rise", "pain_critical", "function_drop")


def _check(t: AlertThresholds) -> None:
    for name in SOONER_ONLY:
        if getattr(t, name) > DEFAULT_RULES[name].value:
            raise InvalidInput(name, f"may be at most the published default, {DEFAULT_RULES[name].value:g}")
    if t.engagement_dropped_days > ENGAGEMENT_DROPPED_DAYS.value:
        raise InvalidInput("engagement_dropped_days", f"may be at most {ENGAGEMENT_DROPPED_DAYS.value:g} days")
    if not 1 <= t.engagement_low_hours < t.engagement_high_days * 24:
        raise InvalidInput("engagement_low_hours", "must be at least 1 and come before the high tier")
    if not t.engagement_high_days < t.engagement_dropped_days:
        raise InvalidInput("engagement_high_days", "must come before the dropped tier")
    if not 0 <= t.pain_watch_level < t.pain_critical:
        raise InvalidInput("pain_watch_level", "must be from 0 and below the critical level")
    if not 1 <= t.pain_watch_rise <= t.pain_act_rise:
        raise InvalidInput("pain_watch_rise", "must be at least 1 point and at most the high rise")
    if not t.function_drop > 0:
        raise InvalidInput("function_drop", "must be more than 0")


DEFAULTS = AlertThresholds()


# The alerts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    tier: AlertTier
    words: str  # for the clinician, one or two short sentences
    basis: str  # the fact that caused it, for the key
    sources: tuple[str, ...]  # ids of core/sources.py, the rule's own first
    rules: tuple[str, ...]  # ids of the numbers of core/rules.py it compares with (none for a rule without one)
    facts: tuple[tuple[str, str], ...] = ()  # what it rests on, as (label, value)
    patient_words: str | None = None  # for the patient, in plain words, where it applies

    @property
    def key(self) -> str:
        """Kind, tier and cause: the same facts give the same key, new facts a new one."""
        return f"{self.kind.value}:{self.tier.value}:{self.basis}"

    @property
    def source_titles(self) -> tuple[str, ...]:
        return tuple(title_of(s) for s in self.sources)


def _day(at: datetime) -> str:
    return at.date().isoformat()


def _warning(f: AlertFacts) -> list[Alert]:
    w = f.warning
    if w is None:
        return []
    how_soon = {
        Urgency.emergency: "emergency care",
        Urgency.same_day: "a doctor's check the same day",
        Urgency.see_doctor: "a doctor's check soon",
    }.get(w.urgency, "a doctor's check")
    when = "when asked again after a check-in" if w.after_check_in else "at the screen"
    signs = "; ".join(BY_ID[s].words if s in BY_ID else s for s in w.signs)
    words = (
        f"Warning sign answered on {_day(w.answered_at)} ({when}): it needs {how_soon}. No professional's "
        "check is recorded yet; the program is paused."
    )
    facts = (("answered", _day(w.answered_at)), ("signs", signs or "not named"), ("level", w.urgency.value))
    sources = ("NICE-NG59", "NICE-CKS-LBP")
    return [Alert(AlertKind.warning_sign, AlertTier.critical, words, f"screening-{w.screening_id}", sources, (), facts)]


def _pain(f: AlertFacts, t: AlertThresholds) -> list[Alert]:
    rated = [c for c in f.check_ins if c.worst is not None]
    if not rated:
        return []
    latest = rated[-1]
    level = latest.worst
    assert level is not None
    rises: list[tuple[int, int]] = []  # (rise, from)
    if len(rated) > 1 and rated[-2].worst is not None:
        rises.append((level - rated[-2].worst, rated[-2].worst))
    if latest.before is not None and latest.after is not None:
        rises.append((latest.after - latest.before, latest.before))
    rise, start = max(rises) if rises else (None, None)
    rules: tuple[str, ...]
    facts = [("check-in", _day(latest.at)), ("worst pain", f"{level}/10")]
    if rise is not None:
        facts.append(("rise", f"{rise:+d} (from {start}/10)"))
    basis = f"check-in-{latest.session_id}"
    if level >= t.pain_critical:
        words = (
            f"Pain reached {level}/10 at the check-in of {_day(latest.at)}: the critical level is {t.pain_critical}."
        )
        patient = (
            f"Your pain reached {level} out of 10 at your last check-in. Rest in a position that feels easy, then "
            "keep moving gently as far as you can. If it does not settle, see a doctor or physiotherapist."
        )
        return [
            Alert(
                AlertKind.pain_level,
                AlertTier.critical,
                words,
                basis,
                ("MEDBRIDGE",),
                (PAIN_CRITICAL.id,),
                tuple(facts),
                patient,
            )
        ]
    if rise is None:
        return []
    if rise >= t.pain_act_rise:
        tier, rules = AlertTier.high, (PAIN_RISE_ACT.id,)
    elif level >= t.pain_watch_level and rise >= t.pain_watch_rise:
        tier, rules = AlertTier.low, (PAIN_WATCH_LEVEL.id, PAIN_WATCH_RISE.id)
    else:
        return []
    points = "point" if rise == 1 else "points"
    words = f"Pain rose {rise} {points}, from {start}/10 to {level}/10, at the check-in of {_day(latest.at)}."
    patient = (
        f"Your pain has gone up, from {start} to {level} out of 10. Next time, go more gently and do less. "
        "If it keeps rising, see a doctor or physiotherapist."
    )
    return [Alert(AlertKind.pain_rise, tier, words, basis, ("MEDBRIDGE",), rules, tuple(facts), patient)]


def _stops(f: AlertFacts, t: AlertThresholds, now: datetime) -> list[Alert]:
    recent = [s for s in f.pain_stops if now - STOP_WINDOW <= s.at <= now]
    critical = [s for s in recent if s.score >= t.pain_critical]
    severe = [s for s in recent if s.severe]
    sources: tuple[str, ...]
    rules: tuple[str, ...]
    if critical:
        tier, counted, sources, rules = AlertTier.critical, critical, ("MEDBRIDGE",), (PAIN_CRITICAL.id,)
    elif severe:
        tier, counted, sources, rules = AlertTier.high, severe, ("SMITH-2017",), ()
    else:
        return []
    worst = max(counted, key=lambda s: (s.score, s.at))
    newest = max(counted, key=lambda s: (s.at, s.session_id, s.exercise_id))
    how = worst.kind.value + (", into the legs" if worst.into_the_legs else "")
    name = worst.exercise_name or worst.exercise_id or "between exercises"
    n = len(recent)
    words = (
        f"{n} pain {'stop' if n == 1 else 'stops'} in the last {STOP_WINDOW.days} days; the worst {worst.score}/10 "
        f"({how}) in {name} on {_day(worst.at)}."
    )
    if worst.severe:
        words += " An exercise that hurt like this stays paused until a professional clears it."
    facts = (("pain stops", str(n)), ("worst", f"{worst.score}/10, {how}"), ("exercise", name), ("day", _day(worst.at)))
    basis = f"stop-{newest.session_id}-{newest.exercise_id or 'rest'}"
    return [Alert(AlertKind.pain_stop, tier, words, basis, sources, rules, facts)]


def _function(f: AlertFacts, t: AlertThresholds) -> list[Alert]:
    by_activity: dict[int, list[FunctionRating]] = defaultdict(list)
    rules: tuple[str, ...]
    for r in f.function:
        by_activity[r.activity_id].append(r)
    found = []
    needed = int(FUNCTION_FLAT_ASSESSMENTS.value)
    for ratings in by_activity.values():
        if len(ratings) < needed:
            continue
        before, latest = ratings[-2], ratings[-1]
        drop = before.score - latest.score
        if before.score > 0 and drop >= t.function_drop * before.score - 1e-9:
            tier, rules = AlertTier.critical, (FUNCTION_DROP_FRACTION.id,)
        elif latest.score <= before.score and latest.score < HIGHEST:
            tier, rules = AlertTier.high, (FUNCTION_FLAT_ASSESSMENTS.id,)
        else:
            continue
        real = (
            f"a real change ({REAL_CHANGE} points or more)"
            if abs(drop) >= REAL_CHANGE
            else "within the ups and downs of rating"
        )
        how = "the same" if drop == 0 else f"down {drop}"
        words = (
            f'"{latest.activity}" rated {latest.score}/10 on {_day(latest.at)}, {how} from {before.score}/10 '
            f"on {_day(before.at)}: {real}."
        )
        facts = (
            ("activity", latest.activity),
            ("before", f"{before.score}/10 on {_day(before.at)}"),
            ("latest", f"{latest.score}/10 on {_day(latest.at)}"),
        )
        basis = f"activity-{latest.activity_id}-{latest.at.isoformat()}"
        found.append(Alert(AlertKind.function, tier, words, basis, ("MEDBRIDGE", "STRATFORD-1995"), rules, facts))
    return found


def _engagement(f: AlertFacts, t: AlertThresholds, now: datetime) -> list[Alert]:
    since = f.last_session_at or f.program_since
    if f.warning is not None or since is None:
        return []
    gap = now - since
    if gap >= timedelta(days=t.engagement_dropped_days):
        tier, rule = AlertTier.critical, ENGAGEMENT_DROPPED_DAYS
    elif gap >= timedelta(days=t.engagement_high_days):
        tier, rule = AlertTier.high, ENGAGEMENT_HIGH_DAYS
    elif gap >= timedelta(hours=t.engagement_low_hours):
        tier, rule = AlertTier.low, ENGAGEMENT_LOW_HOURS
    else:
        return []
    how_long = f"{gap.days} days" if gap.days >= 2 else f"{int(gap.total_seconds() // 3600)} hours"
    what = "No session with an exercise done" if f.last_session_at else "No session yet since the program was made"
    words = f"{what} for {how_long} (since {_day(since)})."
    if tier is AlertTier.critical:
        words += " This counts as having dropped out."
    label = "last session" if f.last_session_at else "program made"
    facts = ((label, _day(since)), ("days without a session", str(gap.days)))
    return [Alert(AlertKind.engagement, tier, words, f"since-{since.isoformat()}", ("MEDBRIDGE",), (rule.id,), facts)]


def alerts_for(facts: AlertFacts, thresholds: AlertThresholds, now: datetime) -> list[Alert]:
    """Every alert the facts give at `now`, most urgent first (by tier, then by kind)."""
    found = [
        *_warning(facts),
        *_pain(facts, thresholds),
        *_stops(facts, thresholds, now),
        *_function(facts, thresholds),
        *_engagement(facts, thresholds, now),
    ]
    return sorted(found, key=lambda a: (-TIER_RANK[a.tier], KIND_ORDER[a.kind], a.basis))


def top_tier(alerts: list[Alert]) -> AlertTier | None:
    return max((a.tier for a in alerts), key=TIER_RANK.__getitem__, default=None)
