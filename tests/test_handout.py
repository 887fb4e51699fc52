"""The printable handout: read back from the PDF, drawn to a PNG, and kept offline."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pypdfium2
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.planner import PlannedExercise, plan_program
from backcoach.core.timing import Dose
from backcoach.exports.handout import (
    SAFETY_NOTE,
    TICK_DAYS,
    Handout,
    build_handout,
    each_time,
    handout_html,
    handout_pdf,
    how_often,
    write_pdf,
)
from backcoach.services.programs import set_profile
from backcoach.web.app import create_app
from tests.examples import example_profile, write_profile

A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)
MADE_ON = date(2026, 3, 2)
HOSTILE = '<img src="http://127.0.0.1:{port}/pixel.png">'


def maya_handout() -> Handout:
    profile = example_profile("maya")
    return build_handout(plan_program(profile, load_catalogue()).exercises, profile.sessions_per_day, MADE_ON)


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


@pytest.fixture(scope="module")
def maya_pdfs() -> dict[str, bytes]:
    handout = maya_handout()
    return {paper: handout_pdf(handout, paper) for paper in ("a4", "letter")}


class Listener:
    """A local web server that counts the requests it gets: there must be none."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.server.shutdown()
    found.server.server_close()


# What the PDF says ------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_pdf_names_every_exercise_with_its_dose_and_the_safety_note(maya_pdfs, paper):
    text = pdf_text(maya_pdfs[paper])
    handout = maya_handout()
    for item in handout.items:
        assert item.name in text
        assert item.each_time in text and item.how_often in text
        assert item.why in text
        assert item.start[0] in text
    for line in SAFETY_NOTE:
        assert " ".join(line.split()) in text
    assert "Hold 5 s, 2 times each side" in text and "Twice a day, every day" in text
    assert "Made on 2 March 2026" in text


def test_the_tick_sheet_has_two_weeks_of_days_and_a_column_per_session(maya_pdfs):
    text = pdf_text(maya_pdfs["a4"])
    assert "Mon 2 Mar" in text and "Sun 15 Mar" in text and "Mon 16 Mar" not in text
    assert "Session 1" in text and "Session 2" in text and "Session 3" not in text
    assert len(maya_handout().days) == TICK_DAYS


@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
def test_page_size_and_a_sane_page_count(maya_pdfs, paper, size):
    sizes = page_sizes(maya_pdfs[paper])
    assert set(sizes) == {size}
    assert 2 <= len(sizes) <= len(maya_handout().items) + 1  # the tick sheet has a page of its own


def test_page_one_draws_as_a_clean_picture(maya_pdfs, tmp_path: Path):
    document = pypdfium2.PdfDocument(maya_pdfs["a4"])
    image = document[0].render(scale=1.5).to_pil().convert("L")
    image.save(tmp_path / "handout-page-1.png")
    width, height = image.size
    assert (width, height) == (round(A4[0] * 1.5), round(A4[1] * 1.5))
    shades = image.histogram()  # how many pixels of each grey, 0 (black) to 255 (white)
    dark = sum(shades[:128]) / (width * height)
    assert 0.01 < dark < 0.2  # there is text on it, and it is mostly white paper


# Words in plain English ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dose", "often"),
    [
        (Dose(reps=10), "Once a day, every day"),
        (Dose(reps=10, times_per_day=2), "Twice a day, every day"),
        (Dose(reps=10, times_per_day=3, times_per_week=7), "3 times a day, every day"),
        (Dose(reps=10, sets=2, times_per_week=3), "Once a day, on 3 days a week"),
        (Dose(reps=10, times_per_week=1), "Once a week"),
    ],
)
def test_how_often_in_words(dose, often):
    assert how_often(dose) == often
    assert "a day" not in each_time(dose) and "a week" not in each_time(dose)


# Nothing from outside is fetched, and text is never markup ------------------------------------------


def test_text_with_markup_is_printed_as_text_and_fetches_nothing(listener: Listener):
    hostile = HOSTILE.format(port=listener.port)
    knee = load_catalogue().get("knee-to-chest")
    odd = knee.model_copy(update={"name": f"Knee {hostile}", "start": [f"Lie down {hostile}"]})
    planned = PlannedExercise(odd, Dose(hold_seconds=5, reps=2), 60, f"Because {hostile}")
    handout = build_handout([planned], 1, MADE_ON, subtitle=hostile)
    html = handout_html(handout)
    assert "<img" not in html and "&lt;img src=&#34;http" in html
    refused: list[str] = []
    text = pdf_text(write_pdf(html, refused))
    assert f"Knee {hostile}" in text and f"Because {hostile}" in text
    assert refused == [] and listener.requests == []


def test_the_fetcher_refuses_everything_but_data_uris(listener: Listener):
    base = f"http://127.0.0.1:{listener.port}"
    svg = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/%3E"
    html = (
        f'<link rel="stylesheet" href="{base}/style.css"><p>Hello</p>'
        f'<img src="{base}/pixel.png"><img src="file:///etc/hostname"><img src="{svg}">'
        f"<div style=\"background: url('{base}/bg.png')\">x</div>"
    )
    refused: list[str] = []
    write_pdf(html, refused)
    assert listener.requests == []
    assert {f"{base}/style.css", f"{base}/pixel.png", "file:///etc/hostname", f"{base}/bg.png"} <= set(refused)
    assert not any(url.startswith("data:") for url in refused)


# The command and the web page ---------------------------------------------------------------------


@pytest.fixture
def cli(cli_at):
    return cli_at("2026-03-02T09:00:00")


def test_handout_of_a_profile_file_stores_nothing(cli, tmp_path: Path):
    source = tmp_path / '<img src="x">.json'
    source.write_text(write_profile(tmp_path).read_text())
    out = tmp_path / "maya.pdf"
    cli("handout", "--profile", str(source), "--output", str(out), "--paper", "letter")
    assert set(page_sizes(out.read_bytes())) == {LETTER}
    assert 'Planned from <img src="x">.json' in pdf_text(out.read_bytes())
    assert not cli.database.exists()


def test_handout_of_the_stored_program(cli, tmp_path: Path):
    assert "no handout" in cli("handout", "--output", str(tmp_path / "none.pdf"), code=1)
    cli("setup", "--profile", str(write_profile(tmp_path)))
    out = tmp_path / "stored.pdf"
    cli("handout", "--output", str(out))
    text = pdf_text(out.read_bytes())
    assert "Program version 1" in text and "Made on 2 March 2026" in text and "Knee to chest" in text


def test_bad_profiles_make_no_handout(cli, tmp_path: Path):
    out = tmp_path / "out.pdf"
    with_markup = write_profile(tmp_path, goal='<img src="http://127.0.0.1:9/x.png">')
    assert "goal" in cli("handout", "--profile", str(with_markup), "--output", str(out), code=2)
    tom = Path(__file__).resolve().parents[1] / "examples" / "tom.json"
    assert "emergency" in cli("handout", "--profile", str(tom), "--output", str(out), code=1)
    assert not out.exists()


def test_the_program_page_links_to_a_printable_pdf(ctx):
    client = TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1")
    assert client.get("/program/handout.pdf").status_code == 404  # no program yet
    set_profile(ctx, example_profile("maya"))
    assert 'href="/program/handout.pdf"' in client.get("/program").text
    answer = client.get("/program/handout.pdf", params={"paper": "letter"})
    assert answer.headers["content-type"] == "application/pdf"
    assert set(page_sizes(answer.content)) == {LETTER}
    assert "Knee to chest" in pdf_text(answer.content)
    assert client.get("/program/handout.pdf", params={"paper": "a3"}).status_code == 404


def test_the_stored_programs_handout_prints_the_lessons_that_fit_it(cli, tmp_path: Path):
    """The handout carries the lessons for this program (the flare-up plan always, with the way to
    the warning signs), in plain text, after the exercises and before the tick sheet."""
    from backcoach.core.lessons import for_program
    from backcoach.services.lessons import all_lessons

    cli("setup", "--profile", str(write_profile(tmp_path)))
    out = tmp_path / "stored.pdf"
    cli("handout", "--output", str(out))
    text = pdf_text(out.read_bytes()).lower()  # headings print in capitals
    plan = plan_program(example_profile("maya"), load_catalogue())
    wanted = for_program(all_lessons(), [p.exercise for p in plan.exercises])
    assert "Your flare-up plan" in {lesson.title for lesson in wanted}
    for lesson in wanted:
        assert lesson.title.lower() in text and lesson.parts[0].text[:30].lower() in text
    left_out = [lesson for lesson in all_lessons() if lesson not in wanted]
    assert left_out and all(lesson.title.lower() not in text for lesson in left_out)
    assert "backcoach rescreen" in text
    assert text.index("good to know") < text.index("tick off your sessions")


def test_lesson_text_on_a_handout_is_text_never_markup():
    from backcoach.core.lessons import Lesson

    hostile = Lesson.model_validate(
        {
            "id": "hostile",
            "title": "<b>bold</b>",
            "summary": "A test lesson here.",
            "order": 1,
            "parts": [{"text": HOSTILE.format(port=9), "sources": ["NICE-NG59"]}] * 3,
        }
    )
    html = handout_html(build_handout([], 1, MADE_ON, lessons=[hostile]))
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html and "<img src=" not in html
