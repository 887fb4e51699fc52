"""Charts of progress: in the terminal (plotext) and as a PNG (matplotlib, loaded only when asked)."""

from __future__ import annotations

from pathlib import Path

import plotext

from backcoach.services.progress import Progress


def terminal_chart(summary: Progress, width: int = 80, height: int = 18) -> str:
    weeks = [f"{w.start:%d %b}" for w in summary.weeks]
    x = list(range(1, len(weeks) + 1))
    plotext.clear_figure()
    plotext.plotsize(width, height)
    plotext.theme("clear")
    plotext.subplots(1, 2)
    plotext.subplot(1, 1)
    plotext.title("Sessions done (%)")
    plotext.bar(x, [round(w.adherence * 100) for w in summary.weeks])
    plotext.ylim(0, 100)
    plotext.subplot(1, 2)
    plotext.title("Pain before sessions (0-10)")
    rated = [(i, w.pain_before) for i, w in zip(x, summary.weeks, strict=True) if w.pain_before is not None]
    if rated:
        plotext.plot([i for i, _ in rated], [p for _, p in rated], marker="dot")
    plotext.ylim(0, 10)
    return str(plotext.build())


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
