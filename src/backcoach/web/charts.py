"""Small inline SVG charts for the progress page: no chart library, no script, readable on a phone."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from html import escape

from backcoach.core.history import PsfsRecord, WeekSummary

WIDTH, HEIGHT, PAD = 320, 160, 28


def _frame(title: str, body: str, top: float, labels: list[str]) -> str:
    ticks = "".join(
        f'<text x="{PAD - 4}" y="{_y(v, top) + 4:.1f}" class="tick" text-anchor="end">{v:g}</text>'
        for v in (0, top / 2, top)
    )
    step = (WIDTH - 2 * PAD) / max(1, len(labels))
    names = "".join(
        f'<text x="{PAD + step * (i + 0.5):.1f}" y="{HEIGHT - 6}" class="tick" text-anchor="middle">{escape(n)}</text>'
        for i, n in enumerate(labels)
    )
    axis = f'<line x1="{PAD}" y1="{_y(0, top)}" x2="{WIDTH - PAD}" y2="{_y(0, top)}" class="axis"/>'
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" class="chart">'
        f"<title>{escape(title)}</title>{axis}{ticks}{names}{body}</svg>"
    )


def _y(value: float, top: float) -> float:
    return HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / top


def adherence_chart(weeks: list[WeekSummary]) -> str:
    labels = [f"{w.start:%d %b}" for w in weeks]
    step = (WIDTH - 2 * PAD) / max(1, len(weeks))
    bars = "".join(
        f'<rect x="{PAD + step * i + step * 0.15:.1f}" y="{_y(w.adherence * 100, 100):.1f}" width="{step * 0.7:.1f}" '
        f'height="{_y(0, 100) - _y(w.adherence * 100, 100):.1f}" class="bar"><title>{labels[i]}: '
        f"{w.sessions_done} of {w.sessions_planned} sessions</title></rect>"
        for i, w in enumerate(weeks)
    )
    return _frame("Sessions done each week, in percent of planned", bars, 100, labels)


def _line(points: list[tuple[int, float]], count: int, top: float, css: str, name: str) -> str:
    step = (WIDTH - 2 * PAD) / max(1, count)
    xy = [(PAD + step * (i + 0.5), _y(v, top)) for i, v in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" class="{css}"><title>{escape(name)}: {v:g}</title></circle>'
        for (x, y), (_, v) in zip(xy, points, strict=True)
    )
    return f'<polyline points="{path}" class="{css}" fill="none"/>{dots}' if points else ""


def pain_chart(weeks: list[WeekSummary]) -> str:
    labels = [f"{w.start:%d %b}" for w in weeks]
    before = [(i, w.pain_before) for i, w in enumerate(weeks) if w.pain_before is not None]
    after = [(i, w.pain_after) for i, w in enumerate(weeks) if w.pain_after is not None]
    body = _line(before, len(weeks), 10, "line-before", "pain before") + _line(
        after, len(weeks), 10, "line-after", "pain after"
    )
    return _frame("Average pain each week, before and after sessions, 0 to 10", body, 10, labels)


def psfs_chart(records: list[PsfsRecord]) -> str:
    by_activity: dict[str, list[int]] = defaultdict(list)
    for r in records:
        by_activity[r.activity].append(r.score)
    count = max((len(v) for v in by_activity.values()), default=1)
    body = "".join(
        _line(list(enumerate(scores)), count, 10, f"line-psfs{n % 3}", name)
        for n, (name, scores) in enumerate(by_activity.items())
    )
    return _frame(
        "Your activities, rated 0 to 10 each week (higher is easier)", body, 10, [str(i + 1) for i in range(count)]
    )


def activity_chart(name: str, ratings: list[tuple[date, int]]) -> str:
    """One activity's ratings, oldest first: by day while they fit, else by number."""
    labels = [f"{day:%d %b}" for day, _ in ratings] if len(ratings) <= 6 else [str(i + 1) for i in range(len(ratings))]
    points = [(i, float(score)) for i, (_, score) in enumerate(ratings)]
    body = _line(points, len(ratings), 10, "line-psfs0", name)
    return _frame(f"{name}: your ratings, 0 to 10 (higher is easier)", body, 10, labels)
