"""The app's own rules, checked on every imported row: what the app would refuse as input, the
import refuses too, so nothing imports that a page, the API or the command line cannot show.

Each check is the one the app uses when it writes: the enums of `core/rules.py`, the warning-sign
questions, the dose ranges the sources give, pain from 0 to 10, the reminder, activity and
clearance rules. A problem is a `RowProblem` naming the field; `transfer.py` adds the table and row.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import partial
from typing import Any

from pydantic import ValidationError

from backcoach.catalogue.lessons import load_lessons
from backcoach.core.catalogue import Catalogue
from backcoach.core.clearance import check_clearance
from backcoach.core.errors import InvalidInput
from backcoach.core.profile import MAX_SESSIONS_PER_DAY, Profile
from backcoach.core.progression import Action
from backcoach.core.psfs import MAX_NAME as MAX_ACTIVITY_NAME
from backcoach.core.rules import Difficulty, OutcomeStatus, SessionStatus
from backcoach.core.screening import ALL_QUESTION_IDS
from backcoach.core.warning_signs import Urgency
from backcoach.services.reminders import check_alarm, check_zone, parse_time
from backcoach.storage.stored_json import (
    check_dose_within_sources,
    check_exercises,
    check_explanation,
    check_pain,
    check_pending,
)

Row = dict[str, Any]
PAIN_SCALE = (0, 10)  # every pain score and PSFS rating: a whole number from 0 to 10


class RowProblem(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field


def _enum(row: Row, field: str, kind: type[StrEnum], nullable: bool = False) -> None:
    value = row[field]
    if (value is None and nullable) or value in {k.value for k in kind}:
        return
    allowed = ", ".join(k.value for k in kind)
    raise RowProblem(field, f"{value!r} is not one of {allowed}")


def _score(row: Row, *fields: str) -> None:
    low, high = PAIN_SCALE
    for field in fields:
        value = row[field]
        if value is not None and not low <= value <= high:
            raise RowProblem(field, f"must be from {low} to {high}, not {value!r}")


def _content(field: str, check: Callable[[], object]) -> None:
    """Run one of the app's readers on a column; its ValueError names this field."""
    try:
        check()
    except ValueError as error:
        raise RowProblem(field, str(error)) from None
    except InvalidInput as error:
        raise RowProblem(field, error.problem) from None


def _text(row: Row, field: str, longest: int) -> None:
    value = row[field]
    if value is not None and (not value.strip() or len(value) > longest):
        raise RowProblem(field, f"needs 1 to {longest} characters")


def _known_exercise(row: Row, field: str, catalogue: Catalogue) -> None:
    if row[field] is not None and row[field] not in catalogue.ids():
        raise RowProblem(field, f"no exercise {row[field]!r} in the catalogue")


def _profile(row: Row, catalogue: Catalogue) -> None:
    try:
        Profile.model_validate(row["data"], context={"stored": True})
    except ValidationError as error:
        first = error.errors()[0]
        raise RowProblem(
            "data", f"the profile's '{'.'.join(map(str, first['loc']))}' is wrong: {first['msg']}"
        ) from None


def _screening(row: Row, catalogue: Catalogue) -> None:
    answers = row["answers"]
    if not isinstance(answers, dict) or not all(isinstance(v, bool) or v == "unsure" for v in answers.values()):
        raise RowProblem("answers", 'must map each question to true, false or "unsure"')
    unknown = sorted(set(answers) - set(ALL_QUESTION_IDS))
    if unknown:
        raise RowProblem("answers", f"no warning-sign question called {unknown[0]!r}")
    _enum(row, "status", Urgency)


def _change(change: Any, catalogue: Catalogue) -> None:
    if not isinstance(change, dict) or not isinstance(change.get("reason"), str):
        raise ValueError(f"a change is not one the app knows: {str(change)[:200]}")
    if change.get("exercise_id") not in catalogue.ids() or change.get("action") not in {a.value for a in Action}:
        raise ValueError(f"a change is not one the app knows: {str(change)[:200]}")
    new = change.get("new_exercise_id")
    if (new is not None and new not in catalogue.ids()) or not isinstance(change.get("code", ""), str):
        raise ValueError(f"a change is not one the app knows: {str(change)[:200]}")


def _program(row: Row, catalogue: Catalogue) -> None:
    if row["version"] < 1:
        raise RowProblem("version", f"must be 1 or more, not {row['version']}")
    _content("exercises", lambda: check_exercises(row["exercises"], catalogue))
    _content("explanation", lambda: check_explanation(row["explanation"]))
    changes = row["changes"]
    if not isinstance(changes, list):
        raise RowProblem("changes", "must be a list")
    for change in changes:
        _content("changes", partial(_change, change, catalogue))


def _session(row: Row, catalogue: Catalogue) -> None:
    _enum(row, "status", SessionStatus)
    _score(row, "pain_before")
    if row["plan"] is not None:
        _content("plan", lambda: check_exercises(row["plan"], catalogue))
    _content("pending_pain", lambda: check_pending(row["pending_pain"], catalogue))
    if row["ended_at"] is not None and row["ended_at"] < row["started_at"]:
        raise RowProblem("ended_at", "a session cannot end before it started")


def _outcome(row: Row, catalogue: Catalogue) -> None:
    _known_exercise(row, "exercise_id", catalogue)
    _enum(row, "status", OutcomeStatus)
    _content("dose", lambda: check_dose_within_sources(catalogue, row["exercise_id"], row["dose"]))
    pain = [row["pain_kind"], row["pain_score"], row["pain_place"]]
    if pain != [None, None, None]:
        report = {"kind": row["pain_kind"], "score": row["pain_score"], "place": row["pain_place"]}
        _content("pain_kind" if pain[0] is None else "pain_score", lambda: check_pain(report))


def _check_in(row: Row, catalogue: Catalogue) -> None:
    _score(row, "pain_before", "pain_after")
    _enum(row, "difficulty", Difficulty, nullable=True)


def _review(row: Row, catalogue: Catalogue) -> None:
    if not isinstance(row["advice"], list) or not all(isinstance(a, str) for a in row["advice"]):
        raise RowProblem("advice", "must be a list of sentences")
    _score(row, "pain_level")


def _reminders(row: Row, catalogue: Catalogue) -> None:
    times = row["times"]
    if not isinstance(times, list) or not all(isinstance(t, str) for t in times) or not times:
        raise RowProblem("times", 'must be a list of times of day, like ["07:30"]')
    _content("times", lambda: [parse_time(t) for t in times])
    if [parse_time(t) for t in times] != sorted(set(times)) or len(times) > MAX_SESSIONS_PER_DAY:
        raise RowProblem("times", f"must be 1 to {MAX_SESSIONS_PER_DAY} different times as HH:MM, earliest first")
    _content("timezone", lambda: check_zone(row["timezone"]))
    if row["timezone"] != row["timezone"].strip():
        raise RowProblem("timezone", "must be a time zone name, like Europe/London")
    _content("alarm_minutes", lambda: check_alarm(row["alarm_minutes"]))


def _who(row: Row, field: str, day: str) -> None:
    """Who checked the person, and on which day, by the rule the app records them with."""
    if row[field] is None:
        return
    _content(field, lambda: check_clearance(row[field], row[day], row[day], None))
    if row[field] != " ".join(row[field].split()):
        raise RowProblem(field, "must be a name as the app records it, with single spaces")


def _paused(row: Row, catalogue: Catalogue) -> None:
    _known_exercise(row, "exercise_id", catalogue)
    _text(row, "reason", 10_000)
    cleared = [row["cleared_at"], row["cleared_by"], row["cleared_on"]]
    if None in cleared and cleared != [None, None, None]:
        raise RowProblem("cleared_by", "a clearance needs its time, who and day together, or none of them")
    _who(row, "cleared_by", "cleared_on")


def _clearance(row: Row, catalogue: Catalogue) -> None:
    signs = row["signs"]
    if not isinstance(signs, list) or not all(isinstance(v, str) and v in ALL_QUESTION_IDS for v in signs):
        raise RowProblem("signs", "must be a list of warning-sign question ids")
    _who(row, "cleared_by", "cleared_on")


def _activity(row: Row, catalogue: Catalogue) -> None:
    _text(row, "name", MAX_ACTIVITY_NAME)


def _rating(row: Row, catalogue: Catalogue) -> None:
    _score(row, "score")


def _lesson_mark(row: Row, catalogue: Catalogue) -> None:
    if row["lesson_id"] not in load_lessons().ids():
        raise RowProblem("lesson_id", f"{row['lesson_id']!r} is not one of the lessons")
    if row["offered_at"] is None and row["read_at"] is None:
        raise RowProblem("read_at", "a lesson mark is for a lesson offered or read: give one of the two times")


RULES: dict[str, Callable[[Row, Catalogue], None]] = {
    "person": lambda row, catalogue: None,  # a name of up to 200 characters: the column's own check
    "screening": _screening,
    "profile_version": _profile,
    "program_version": _program,
    "session": _session,
    "exercise_outcome": _outcome,
    "check_in": _check_in,
    "psfs_activity": _activity,
    "psfs_rating": _rating,
    "review": _review,
    "reminder_settings": _reminders,
    "paused_exercise": _paused,
    "clearance": _clearance,
    "lesson_mark": _lesson_mark,
}


def check_row(table: str, row: Row, catalogue: Catalogue) -> None:
    """Raise RowProblem when this row breaks one of the app's rules."""
    RULES[table](row, catalogue)
