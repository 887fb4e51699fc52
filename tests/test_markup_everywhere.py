"""Markup typed into any field, or brought in by an import, lands as text wherever it is shown:
every page, the SVG charts, the handout and the calendar file. Nothing of it runs as HTML."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from backcoach.core.screening import QUESTION_IDS
from backcoach.exports.handout import handout_html
from backcoach.exports.transfer import export_document
from backcoach.services import clearances
from backcoach.services.activities import add_activity
from backcoach.services.context import App, Scope, local_scope
from backcoach.services.handouts import program_handout
from backcoach.services.reminders import person_calendar, save_reminders
from backcoach.services.transfer import replace_all
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.web.app import create_app
from tests.examples import example_data
from tests.forms import post_form
from tests.test_transfer import fill

MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "Sitting < 30 min & more"]
PAGES = ["/", "/screen", "/profile", "/program", "/session", "/progress", "/checked", "/recheck", "/settings"]


def shown_as_text(page: str, where: str) -> None:
    """None of the markup is in the page as markup."""
    for text in MARKUP:
        assert text not in page, (where, text)
    assert "<script>alert" not in page and "<img src=x" not in page and "< 30 min" not in page, where


def shows(page: str, text: str) -> bool:
    """Whether the page shows this text, escaped (by Jinja, or by the charts' own escaping)."""
    return str(escape(text)) in page or html.escape(text) in page


@pytest.fixture
def client(ctx: Scope) -> TestClient:
    return TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1")


def every_page(client: TestClient) -> dict[str, str]:
    pages = {path: client.get(path).text for path in PAGES}
    for path, text in pages.items():
        shown_as_text(text, path)
    return pages


def test_markup_typed_into_every_field_is_shown_as_text(client: TestClient, ctx: Scope):
    client.post("/api/v1/profile", json=example_data("maya")).raise_for_status()
    for number, text in enumerate(MARKUP):  # the activities a person names (up to three)
        add_activity(ctx, text, 3 + number)
    clearances.pause_for_pain(ctx, "bridge", "It hurt.", None)
    day = ctx.now().date().isoformat()
    cleared = post_form(client, "/checked", data={"cleared_by": MARKUP[0], "cleared_on": day, "exercise_id": "bridge"})
    assert cleared.status_code == 200
    shown_as_text(cleared.text, "/checked, saved")
    sign = {**dict.fromkeys(QUESTION_IDS, False), "fever": True}
    client.post("/api/v1/rescreen", json={"answers": sign}).raise_for_status()
    warned = post_form(client, "/checked", data={"cleared_by": MARKUP[1], "cleared_on": day})
    assert warned.status_code == 200
    # Refused input is shown again in the form, and named in the message: as text.
    for form in (
        {"time_1": MARKUP[0], "timezone": "Europe/London", "alarm": "10"},
        {"time_1": "07:30", "timezone": MARKUP[1], "alarm": "10"},
        {"time_1": "07:30", "timezone": "Europe/London", "alarm": MARKUP[2]},
    ):
        refused = post_form(client, "/settings/reminders", data=form)
        assert refused.status_code == 422
        shown_as_text(refused.text, f"/settings/reminders {form}")
        assert any(shows(refused.text, text) for text in MARKUP)
    for field in ("pain_now", "minutes_per_session", "goal"):
        refused = post_form(client, "/profile", data={**profile(), field: MARKUP[1]}, follow_redirects=False)
        assert refused.status_code == 422
        shown_as_text(refused.text, f"/profile {field}")
    refused = post_form(client, "/checked", data={"cleared_by": "Dr Shah", "cleared_on": MARKUP[2]})
    shown_as_text(refused.text, "/checked, a bad day")
    save_reminders(ctx, ["07:30"], "Europe/London", 10)
    pages = every_page(client)
    assert all(shows(pages["/progress"], text) for text in MARKUP)  # the names, in the page and its chart
    assert "<svg" in pages["/progress"]
    assert shows(pages["/checked"], MARKUP[0]) and shows(pages["/checked"], MARKUP[1])
    calendar_and_handout(ctx)


def profile() -> dict[str, Any]:
    from tests.test_web_pages import profile_form

    return profile_form()


def calendar_and_handout(ctx: Scope) -> str:
    calendar = person_calendar(ctx).decode()
    assert "<" not in calendar and not any(text in calendar for text in MARKUP)
    handout = handout_html(program_handout(ctx))
    shown_as_text(handout, "the handout")
    return handout


# Brought in by an import ------------------------------------------------------------------------

FREE_TEXT: list[tuple[str, Callable[[dict[str, Any], str], object]]] = [
    ("a person's name", lambda d, t: d["person"][0].update(name=t[:200])),
    ("an activity", lambda d, t: d["psfs_activity"][0].update(name=t)),
    ("who cleared a sign", lambda d, t: d["clearance"][0].update(cleared_by=t)),
    ("who cleared an exercise", lambda d, t: d["paused_exercise"][0].update(cleared_by=t)),
    ("why a program changed", lambda d, t: [p.update(reason=t) for p in d["program_version"]]),
    ("why an exercise is there", lambda d, t: [e.update(why=t) for p in d["program_version"] for e in p["exercises"]]),
    (
        "what was decided",
        lambda d, t: [
            p["explanation"].update(message=t, notes=[t]) for p in d["program_version"] if p["explanation"] is not None
        ],
    ),
    ("the review's advice", lambda d, t: [r.update(advice=[t]) for r in d["review"]]),
]


@pytest.mark.parametrize("text", MARKUP, ids=["script", "attribute", "less than"])
def test_markup_in_an_import_is_shown_as_text(ctx: Scope, now: Any, new_database_url, tmp_path: Path, text: str):
    source = local_scope(App(Database(open_database(new_database_url())), ctx.catalogue, now))
    fill(source, now, days=2)
    data = json.loads(export_document(source.app.database.sessions))
    for _, change in FREE_TEXT:
        change(data["tables"], text)
    clearances.pause_for_pain(ctx, "bridge", "x", None)  # something here, so the import replaces it
    replace_all(ctx, json.dumps(data), backup_folder=tmp_path)
    save_reminders(ctx, ["07:30"], "Europe/London", 10)
    client = TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1")
    pages = every_page(client)
    assert shows(pages["/program"], text) and shows(pages["/progress"], text) and shows(pages["/checked"], text)
    assert shows(calendar_and_handout(ctx), text)  # the handout says why, as text
