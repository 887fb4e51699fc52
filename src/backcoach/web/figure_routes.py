"""Exercise figures for the pages and the player: drawn by `core.figures`, served as SVG."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from markupsafe import Markup

from backcoach.core.figures.poses import BUILDERS, figure
from backcoach.core.figures.svg import animated_svg, pose_svg

router = APIRouter(include_in_schema=False)
PX = 220.0  # pixels per body height when nothing else sizes the image


def still_figures(exercise_id: str, name: str) -> Markup:
    """Where the exercise starts and where it ends up, side by side, as images (an inline SVG's
    own styles would be blocked by the page's content security policy). Each is a still of its
    own pose, with the moving part coloured and an arrow showing which way it goes."""
    if exercise_id not in BUILDERS:
        return Markup("")
    drawn = figure(exercise_id)
    return Markup("").join(
        Markup('<img src="/figures/{id}.svg?pose={i}" alt="{name}, {label}: {says}">').format(
            id=exercise_id, i=i, name=name, label=drawn.poses[i].label, says=drawn.poses[i].says
        )
        for i in drawn.ends()
    )


@router.get("/figures/{exercise_id}.svg")
def figure_svg(
    exercise_id: str,
    dur: float = Query(4.0, ge=1.0, le=120.0),
    side: Literal["left", "right"] | None = None,
    pose: int | None = Query(None, ge=0),
) -> Response:
    """The exercise moving from pose to pose over `dur` seconds, or with `pose` the still of that
    one key pose (numbered from 0, the start); mirrored when `side` is the other side."""
    if exercise_id not in BUILDERS:
        raise HTTPException(404, f"no figure for {exercise_id!r}")
    drawn = figure(exercise_id)
    if side is not None and drawn.side is not None and side != drawn.side:
        drawn = drawn.mirrored()
    if pose is None:
        svg = animated_svg(drawn, dur=dur, px=PX)
    elif pose < len(drawn.poses):
        svg = pose_svg(drawn, pose, px=PX)
    else:
        last = len(drawn.poses) - 1
        raise HTTPException(404, f"the figure for {exercise_id!r} has poses 0 to {last}, so there is no pose {pose}")
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "max-age=3600"})
