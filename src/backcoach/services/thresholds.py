"""A clinic's own alert thresholds: the cited defaults of `core.alerts` unless an admin changed
some, within the bounds `AlertThresholds` checks. A change is audited and marks every summary of
the clinic for a fresh computation (`services.roster`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from backcoach.core.access import Action, Actor, allowed
from backcoach.core.alerts import DEFAULT_RULES, DEFAULTS, AlertThresholds
from backcoach.core.errors import InvalidInput, NotAllowed
from backcoach.core.rules import Rule
from backcoach.services.context import App

PERCENT = "function_drop"  # a fraction in the rules, a whole percent on the form
LABELS = {
    "engagement_low_hours": "No session for this many hours: low",
    "engagement_high_days": "No session for this many days: high",
    "engagement_dropped_days": "No session for this many days: dropped out (critical)",
    "pain_watch_level": "Pain at or above this level with a small rise: low",
    "pain_watch_rise": "A rise of this many points at that level: low",
    "pain_act_rise": "A rise of this many points: high",
    "pain_critical": "Pain at or above this level: critical",
    "function_drop": "A PSFS rating lower by this percent: critical",
}


@dataclass(frozen=True)
class ThresholdField:
    name: str
    label: str
    value: int  # as the form shows it
    default: int
    rule: Rule


def clinic_thresholds(app: App, clinic_id: int | None) -> AlertThresholds:
    """The thresholds a clinic's alerts use (the defaults outside a clinic, or if a stored value no
    longer passes the checks: the defaults are the cited, safe ones)."""
    if clinic_id is None:
        return DEFAULTS
    stored = app.database.status.thresholds(clinic_id)
    try:
        return AlertThresholds.with_overrides(stored) if stored else DEFAULTS
    except InvalidInput:
        return DEFAULTS


def _shown(name: str, value: float) -> int:
    return round(value * 100) if name == PERCENT else int(value)


def threshold_fields(app: App, actor: Actor) -> list[ThresholdField]:
    _require(actor)
    now = asdict(clinic_thresholds(app, actor.clinic_id))
    return [
        ThresholdField(name, LABELS[name], _shown(name, now[name]), _shown(name, rule.value), rule)
        for name, rule in DEFAULT_RULES.items()
    ]


def _require(actor: Actor) -> None:
    if actor.clinic_id is None or not allowed(actor, Action.manage_staff):
        raise NotAllowed("Only the clinic's admin changes its alert thresholds.")


def _parse(form: Mapping[str, str]) -> dict[str, float]:
    values: dict[str, float] = {}
    for name in DEFAULT_RULES:
        text = form.get(name, "").strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 4:
            raise InvalidInput(name, "give a whole number")  # worded with its label by `set_thresholds`
        values[name] = int(text) / 100 if name == PERCENT else int(text)
    return values


def set_thresholds(app: App, actor: Actor, form: Mapping[str, str], address: str = "") -> AlertThresholds:
    """Check every value first (one clear message, nothing stored on bad input), then store those
    that differ from the defaults, mark the clinic's summaries dirty and audit the change."""
    _require(actor)
    assert actor.clinic_id is not None
    try:
        wanted = AlertThresholds.with_overrides(_parse(form))
    except InvalidInput as error:
        label = LABELS.get(error.field, error.field)
        raise InvalidInput(error.field, error.problem, f"{label}: {error.problem}. Nothing was changed.") from None
    defaults = asdict(DEFAULTS)
    changed = {k: v for k, v in asdict(wanted).items() if v != defaults[k]}
    app.database.status.set_thresholds(actor.clinic_id, changed, app.now(), actor.name)
    detail = ", ".join(f"{k}={v:g}" for k, v in sorted(changed.items())) or "the defaults"
    app.database.clinic(actor.clinic_id).audit(
        actor.account_id, actor.name, "thresholds_changed", app.now(), None, detail, address
    )
    return wanted
