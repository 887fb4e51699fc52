"""When a warning sign stops counting: only after a professional has checked the person.

Answering the questions again with "no" does not undo a "yes": the sign is remembered until
the person records that a doctor or physiotherapist checked them (who, and on which day).
NICE NG59 asks for a clinical assessment of every red flag; backcoach cannot make one, so
it keeps the program paused until someone who can has seen the person.

A clearance covers the screening it was given for and every earlier one. Later, it covers the
same signs answered "yes" again only when they are facts of the person's history (a cancer long
ago stays a "yes" for good: `warning_signs.LASTING_SIGNS`) and none of them means emergency
care. A symptom now (a fever, weight loss, numbness) is a new sign each time, and needs a new check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from backcoach.core.errors import InvalidInput
from backcoach.core.warning_signs import LASTING_SIGNS

MAX_NAME = 200  # a field length, not a clinical number


class Cleared(Protocol):
    @property
    def screening_id(self) -> int: ...

    @property
    def signs(self) -> tuple[str, ...]: ...


def positive_signs(answers: Mapping[str, object]) -> list[str]:
    """The questions answered "yes" or "not sure", as stored."""
    return sorted(q for q, a in answers.items() if a is True or a == "unsure")


def covered(screening_id: int, signs: Sequence[str], emergency: bool, clearances: Sequence[Cleared]) -> bool:
    """Whether a professional's check covers this screening's signs."""
    if any(c.screening_id >= screening_id for c in clearances):
        return True
    if emergency or not set(signs) <= LASTING_SIGNS:
        return False
    return any(set(signs) <= set(c.signs) for c in clearances)


@dataclass(frozen=True)
class ClearanceInput:
    cleared_by: str
    cleared_on: date


def check_clearance(cleared_by: str, cleared_on: date, today: date, since: date | None) -> ClearanceInput:
    """Who checked the person (a name or a role, such as "my GP") and when: not in the future,
    and not before the warning sign or pause it clears."""
    who = " ".join(cleared_by.split())
    if not who:
        raise InvalidInput("cleared_by", "say who checked you, for example 'Dr Shah' or 'my physiotherapist'")
    if len(who) > MAX_NAME or any(not ch.isprintable() for ch in who):
        raise InvalidInput("cleared_by", f"give a name of at most {MAX_NAME} printable characters")
    if cleared_on > today:
        raise InvalidInput("cleared_on", f"the check cannot be in the future (today is {today.isoformat()})")
    if since is not None and cleared_on < since:
        raise InvalidInput(
            "cleared_on", f"the check must be on or after {since.isoformat()}, when this was first recorded"
        )
    return ClearanceInput(who, cleared_on)
