"""Stored history is read as it was stored: old profiles still load, and a program version shows
what was decided when it was made, not what the planner would decide today."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from backcoach.core.errors import RescreenNeeded
from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.rules import EndReason
from backcoach.core.screening import QUESTION_IDS
from backcoach.services import programs, review, screening, sessions
from backcoach.services.context import Scope
from backcoach.storage import tables as t
from backcoach.web.app import create_app
from tests.examples import example_profile


def test_a_profile_saved_before_a_question_was_added_still_loads(ctx: Scope):
    programs.set_profile(ctx, example_profile("maya"))
    # As if the profile was saved when the screen had one question fewer.
    with ctx.app.database.sessions.begin() as db:
        row = db.get_one(t.ProfileVersion, 1)
        older = dict(row.data)
        older["red_flags"] = {q: False for q in QUESTION_IDS if q != "unwell"}
        db.execute(update(t.ProfileVersion).where(t.ProfileVersion.id == 1).values(data=older))
    profile = programs.latest_profile(ctx)
    assert profile is not None and "unwell" not in profile.red_flags
    assert sessions.start(ctx).exercises, "the stored program still plays"


def test_the_program_page_shows_the_explanation_stored_with_the_version(ctx: Scope):
    programs.set_profile(ctx, example_profile("maya"))
    found = programs.current_program(ctx)
    assert found is not None and found.explanation is not None
    assert found.explanation.reason_code == "first_program"
    assert found.explanation.left_out and all(x.code for x in found.explanation.left_out)
    # Change what was stored: the page must show the stored words, which a re-plan would not give.
    with ctx.app.database.sessions.begin() as db:
        row = db.get_one(t.ProgramVersion, found.id)
        explanation = json.loads(json.dumps(row.explanation))
        explanation["left_out"][0]["why"] = "Decided back then, for a reason of its own."
        db.execute(update(t.ProgramVersion).where(t.ProgramVersion.id == found.id).values(explanation=explanation))
    page = TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1").get("/program")
    assert "Decided back then, for a reason of its own." in page.text


def test_the_command_line_and_the_api_give_the_same_question_list(cli_at, ctx: Scope):
    listed = json.loads(cli_at("2026-03-02T08:00:00")("screen", "--list", "--json"))
    served = TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1").get("/api/v1/screen/questions").json()
    assert listed == served and all("counts_alone" in q for q in served)


def test_a_rescreen_after_rising_pain_comes_before_the_next_session_in_every_use_case(ctx: Scope):
    programs.set_profile(ctx, example_profile("maya", sessions_per_day=3))
    live = sessions.start(ctx)
    done = sessions.finish(ctx, live.session_id, EndReason.quit, 2, 5, "hard")
    assert done.after.rescreen_needed and done.after.review is None
    for use_case in (lambda: sessions.start(ctx), lambda: sessions.log_session(ctx, 3, 3, "right", [], {})):
        try:
            use_case()
            raise AssertionError("a session started before the warning signs were answered again")
        except RescreenNeeded:
            pass
    answered = screening.rescreen(ctx, dict.fromkeys(QUESTION_IDS, False))
    assert answered.result.is_clear and not review.rescreen_due(ctx)
    assert sessions.start(ctx).exercises


@pytest.mark.parametrize(
    "stop",
    [
        PainReport(PainKind.spreading, 8, PainPlace.lower_back),  # at the critical level
        PainReport(PainKind.mild, 3, PainPlace.legs),  # into the legs
    ],
    ids=["critical", "into the legs"],
)
def test_a_serious_pain_stop_brings_the_warning_signs_back_even_when_the_check_in_looks_fine(ctx: Scope, stop):
    programs.set_profile(ctx, example_profile("maya", sessions_per_day=3))
    opened = sessions.start(ctx)
    first = opened.exercises[0].id
    sessions.finish(ctx, opened.session_id, EndReason.quit, 3, 3, "right")
    done = sessions.log_session(ctx, 3, 4, "right", [], {first: stop})
    assert done.after.rescreen_needed
    with pytest.raises(RescreenNeeded):
        sessions.start(ctx)


def test_the_pain_before_a_session_is_kept_by_the_server(ctx: Scope):
    """A reload on another device does not lose it, so a rise at the check-in is still seen."""
    programs.set_profile(ctx, example_profile("maya", sessions_per_day=3))
    live = sessions.start(ctx, pain_before=3)
    again = sessions.start(ctx, resume=True)  # another device, which knows nothing
    assert again.session_id == live.session_id and again.pain_before == 3
    done = sessions.finish(ctx, live.session_id, EndReason.finished, None, 6, "right")
    check_in = ctx.repo.history()[-1].check_in
    assert check_in is not None and check_in.pain_before == 3
    assert done.after.rescreen_needed


def test_each_session_counts_in_one_review_only(ctx: Scope, now):
    """Two reviews at the same moment (a pretend clock): the second does not count the first's sessions again."""
    programs.set_profile(ctx, example_profile("maya", sessions_per_day=1))
    sessions.log_session(ctx, 4, 3, "easy", [], {})
    now.advance(days=1)
    sessions.log_session(ctx, 4, 3, "easy", [], {})
    first = review.run_review(ctx)
    second = review.run_review(ctx)
    assert first is not None and second is not None
    assert "No sessions since the last review" in " ".join(second.result.advice)
    assert not second.changed


def test_an_on_demand_review_waits_for_the_warning_signs(ctx: Scope):
    programs.set_profile(ctx, example_profile("maya", sessions_per_day=1))
    sessions.log_session(ctx, 3, 6, "hard", [], {})
    with pytest.raises(RescreenNeeded):
        review.run_review(ctx)
