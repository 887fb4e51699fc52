"""`backcoach figures`: check every exercise's figures, or lay them out on a contact sheet to review."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Annotated

import typer

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.exercise import Exercise
from backcoach.core.figures.checks import Problem, check_figure
from backcoach.core.figures.figure import Figure
from backcoach.core.figures.poses import figure
from backcoach.core.figures.svg import animated_svg, pose_svg

PAGE_STYLE = """
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 1.5rem; background: #fff; color: #1f2937; }
@media (prefers-color-scheme: dark) { body { background: #1b1d21; color: #e5e7eb; } }
section { border-top: 1px solid #8884; padding: .6rem 0 1rem; }
h2 { font-size: 1.1rem; margin: .2rem 0; } .meta { opacity: .75; font-size: .85rem; }
.row { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; margin-top: .5rem; }
figure { margin: 0; } figcaption { font-size: .8rem; max-width: 16rem; }
.moving figcaption { font-weight: 600; } .other { border-left: 3px dashed #8886; padding-left: 1rem; }
.problems { color: #d11; font-weight: 600; } .ok { color: #15803d; }
"""


def _problems(exercise: Exercise) -> list[Problem]:
    try:
        fig = figure(exercise.id)
    except KeyError:
        return [Problem(exercise.id, "-", "has no figure")]
    return check_figure(fig, exercise.position.value) + check_figure(fig.mirrored(), exercise.position.value)


PROP_NAMES = {"cushion": "cushion", "book": "book", "panel": "chair", "wheel": "bicycle", "water": "pool"}
PX = 230.0  # pixels per body height on the sheet


def _prop_names(fig: Figure) -> list[str]:
    """Props as a person would name them (a chair, not its seat, back and legs)."""
    return sorted({PROP_NAMES[p.kind] for p in fig.props if p.kind in PROP_NAMES})


def _cell(svg: str, caption: str, css: str = "") -> str:
    return f'<figure class="{css}">{svg}<figcaption>{escape(caption)}</figcaption></figure>'


def _section(exercise: Exercise, problems: list[Problem]) -> str:
    head = f'<h2>{escape(exercise.name)} <span class="meta">({escape(exercise.id)})</span></h2>'
    try:
        fig = figure(exercise.id)
    except KeyError:
        return f"<section>{head}{_problem_list(problems)}</section>"
    props = ", ".join(_prop_names(fig)) or "none"
    side = f" · {fig.side} side shown, mirrored for the other" if fig.side else ""
    meta = f'<div class="meta">{fig.view} view · {exercise.position.replace("_", " ")} · props: {props}{side}</div>'
    cells = [_cell(pose_svg(fig, i, exercise.name, PX), f"{k.label}: {k.says}") for i, k in enumerate(fig.poses)]
    cells.append(_cell(animated_svg(fig, title=f"{exercise.name}, moving", px=PX), "moving (4 s cycle)", "moving"))
    if fig.side is not None:
        cells.append(_other_side(fig.mirrored(), exercise.name))
    return f'<section>{head}{meta}<div class="row">{"".join(cells)}</div>{_problem_list(problems)}</section>'


def _other_side(fig: Figure, name: str) -> str:
    last = len(fig.poses) - 1
    end = _cell(pose_svg(fig, last, f"{name}, other side", PX), f"other side: {fig.poses[last].says}")
    moving = _cell(animated_svg(fig, title=f"{name}, other side, moving", px=PX), "other side, moving", "moving")
    return f'<div class="row other">{end}{moving}</div>'


def _problem_list(problems: list[Problem]) -> str:
    if not problems:
        return '<p class="ok">All checks pass.</p>'
    items = "".join(f"<li>{escape(p.pose)}: {escape(p.message)}</li>" for p in problems)
    return f'<ul class="problems">{items}</ul>'


def contact_sheet(exercises: list[Exercise], problems: dict[str, list[Problem]]) -> str:
    """One self-contained HTML page: every exercise's key poses, its animation and any problems."""
    total = sum(len(p) for p in problems.values())
    summary = f"{len(exercises)} exercises, " + (f"{total} problems" if total else "every check passes")
    body = "".join(_section(e, problems[e.id]) for e in exercises)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>backcoach exercise figures</title><style>{PAGE_STYLE}</style></head>"
        f"<body><h1>Exercise figures</h1><p>{summary}.</p>{body}</body></html>"
    )


def figures_command(
    sheet: Annotated[
        Path | None, typer.Option("--sheet", help="Write an HTML contact sheet of every figure to this file.")
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="Print every problem the checks find; exit 1 if any.")] = False,
) -> None:
    """Check the exercise figures, or write them all to a contact sheet for a person to review."""
    if sheet is None and not check:
        typer.echo("Say what to do: --check, --sheet FILE, or both.", err=True)
        raise typer.Exit(2)
    exercises = list(load_catalogue())
    problems = {e.id: _problems(e) for e in exercises}
    if sheet is not None:
        sheet.write_text(contact_sheet(exercises, problems), encoding="utf-8")
        typer.echo(f"Wrote {sheet} ({len(exercises)} exercises).")
    if check:
        found = [p for ps in problems.values() for p in ps]
        for problem in found:
            typer.echo(str(problem))
        if found:
            raise typer.Exit(1)
        poses = sum(len(figure(e.id).poses) for e in exercises)
        typer.echo(f"All {len(exercises)} exercises' figures pass ({poses} key poses, both sides).")
