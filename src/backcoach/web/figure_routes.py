"""Exercise figures for the pages and the player: drawn by `core.figures`, served as SVG."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from markupsafe import Markup

from backcoach.core.figures.poses import BUILDERS, figure
from backcoach.core.figures.svg import animated_svg

router = APIRouter(include_in_schema=False)


def still_figures(exercise_id: str, name: str) -> Markup:
    """The first and last key poses side by side, as images (an inline SVG's own styles would
    be blocked by the page's content security policy)."""
    if exercise_id not in BUILDERS:
        return Markup("")
    drawn = figure(exercise_id)
    ends = sorted({0, len(drawn.poses) - 1})
    return Markup("").join(
        Markup('<img src="/figures/{id}.svg?pose={i}" alt="{name}: {says}">').format(
            id=exercise_id, i=i, name=name, says=drawn.poses[i].says
        )
        for i in ends
    )


@router.get("/figures/{exercise_id}.svg")
def moving_figure(
    exercise_id: str,
    dur: float = Query(4.0, ge=1.0, le=120.0),
    side: Literal["left", "right"] | None = None,
    pose: int | None = Query(None, ge=0, le=5),
) -> Response:
    """The exercise moving from pose to pose over `dur` seconds (mirrored for the right side),
    or one key pose when `pose` is given."""
    if exercise_id not in BUILDERS:
        raise HTTPException(404, f"no figure for {exercise_id!r}")
    drawn = figure(exercise_id)
    if side is not None and drawn.side is not None and side != drawn.side:
        drawn = drawn.mirrored()
    return Response(
        animated_svg(drawn, dur=dur, px=220), media_type="image/svg+xml", headers={"Cache-Control": "max-age=3600"}
    )
