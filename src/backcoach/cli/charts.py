"""Charts of progress: bars drawn with Rich in the terminal, and a PNG (matplotlib, loaded only when asked)."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text

from backcoach.services.progress import Progress

BAR_WIDTH = 20


def _bar(value: float | None, top: float, colour: str) -> Text:
    if value is None:
        return Text("no rating", style="dim")
    filled = round(BAR_WIDTH * max(0.0, min(value, top)) / top)
    return Text("█" * filled, style=colour) + Text("░" * (BAR_WIDTH - filled), style="dim")


def terminal_chart(summary: Progress) -> Table:
    """Sessions done and pain before sessions, week by week, as bars."""
    table = Table(title="Charts", box=None, title_justify="left", padding=(0, 1))
    table.add_column("Week of")
    table.add_column("Sessions done (of planned)")
    table.add_column("Pain before sessions (0-10)")
    for week in summary.weeks:
        pain = _bar(week.pain_before, 10, "red")
        if week.pain_before is not None:
            pain += Text(f" {week.pain_before:g}")
        table.add_row(f"{week.start:%d %b}", _bar(week.adherence, 1, "green") + Text(f" {week.adherence:.0%}"), pain)
    return table


def write_png(summary: Progress, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no screen needed
    import matplotlib.pyplot as plt

    labels = [f"{w.start:%d %b}" for w in summary.weeks]
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(13, 4))
    left.bar(labels, [w.adherence * 100 for w in summary.weeks], color="#3b82f6")
    left.set_title("Sessions done each week (%)")
    left.set_ylim(0, 100)
    before = [w.pain_before for w in summary.weeks]
    after = [w.pain_after for w in summary.weeks]
    middle.plot(labels, before, marker="o", label="before")
    middle.plot(labels, after, marker="o", label="after")
    middle.set_title("Pain (0-10)")
    middle.set_ylim(0, 10)
    middle.legend()
    for activity, (first, latest) in summary.psfs.items():
        right.plot(["first", "latest"], [first, latest], marker="o", label=activity)
    right.set_title("Activities (0-10, higher is easier)")
    right.set_ylim(0, 10)
    if summary.psfs:
        right.legend()
    for axis in (left, middle):
        axis.tick_params(axis="x", labelrotation=45)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
