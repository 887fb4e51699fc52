"""The session page: the player, with what it needs to play today's session even if the network
drops after the page loaded (the steps, the gentle version for high pain, the words to say)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backcoach.core.pain_gates import before_session_advice, high_pain_today
from backcoach.core.pain_stop import END_MESSAGE, KIND_WORDS
from backcoach.core.session_steps import session_steps
from backcoach.schemas.output import step_out
from backcoach.services.lessons import all_lessons
from backcoach.services.sessions import gentlest_only
from backcoach.services.today import Today, TodayState, next_session_words, today
from backcoach.web.deps import ScopeDep
from backcoach.web.pages import page

router = APIRouter(include_in_schema=False)

OFFLINE_PAIN = (
    "You are offline, so backcoach cannot work out an easier way now. To be safe, stop here for today and rest "
    "in a position that feels easy. What you did is kept and saved when you are back online. If the pain does "
    "not settle, see a doctor or physiotherapist."
)


OFFLINE_NOTE = "You are offline: what you did is kept and saved when you are back online."


def offline_plan(now: Today) -> dict[str, Any]:
    """Today's session as the server would start it, for a player that lost the network: the
    steps, and the gentle version the server gives when pain before is high (the rule stays here:
    the page is told which scores are high, and the advice for each)."""
    gentle = gentlest_only(now.due)
    return {
        "steps": [step_out(s).model_dump() for s in session_steps(now.due)],
        "gentle_steps": [step_out(s).model_dump() for s in session_steps(gentle)],
        "high_pain": {str(score): list(before_session_advice(score)) for score in range(11) if high_pain_today(score)},
        "end_message": END_MESSAGE,  # sharp, spreading or worsening pain, or pain into a leg
        "offline_pain": OFFLINE_PAIN,  # a mild ache with no network: stop, to be safe
        "offline_note": OFFLINE_NOTE,
    }


def pain_questions() -> dict[str, Any]:
    return {"kinds": [{"value": k.value, "label": label} for k, label in KIND_WORDS.items()]}


@router.get("/session", response_class=HTMLResponse)
def session_page(request: Request, scope: ScopeDep) -> HTMLResponse:
    now = today(scope)
    minutes = round(sum(p.seconds for p in now.due) / 60)
    return page(
        request,
        "session.html",
        today=now,
        states=TodayState,
        minutes=max(1, minutes) if now.due else 0,
        offline=offline_plan(now) if now.state is TodayState.ready else None,
        pain=pain_questions(),
        next_words=next_session_words(scope.now().date(), now.next_day),
        carry_on_pain=None if now.open_session is None else now.open_session.pain_before,
        flare=all_lessons().flare_up,  # shown after a pain stop, with or without the network
    )
