"""The body as flat shapes in one view, before any SVG: torso, neck, head and limbs, and the
accent marks on them that show what moves.

Every shape is named after what it draws ("torso", "right_thigh", "tummy"...), so tests can
measure how far a part moves from one pose to the next.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import pi, sin

from backcoach.core.figures.body import RADIUS, SIDES, TORSO_CORNERS, Pose, Skeleton, Vec, View, project, skeleton

TORSO = RADIUS["torso"]
STRIPE = 0.045  # the width of an accent stripe along the torso
MARK = TORSO * 0.6  # how far a stripe runs from the torso's centre line


@dataclass(frozen=True)
class Shape:
    """One drawn element in view coordinates (x right, y up)."""

    kind: str  # "line" (a stroked polyline), "poly" (a filled, stroked outline), "fill" (filled only) or "circle"
    cls: str
    points: tuple[tuple[float, float], ...]
    width: float  # stroke width, or the radius for circles
    depth: float
    halo: bool = False  # drawn over a background-coloured outline, so it stands out from the torso
    name: str = ""


LIMB_PARTS = {
    "arm": (("upper_arm", ("shoulder", "elbow")), ("forearm", ("elbow", "wrist"))),
    # The foot is a heel-ankle-toe wedge, so a pointed foot still reads as a foot.
    "leg": (("thigh", ("hip", "knee")), ("shin", ("knee", "ankle")), ("foot", ("heel", "ankle", "toe"))),
}
Line = Callable[..., Shape]


def body_shapes(pose: Pose, view: View, accent: Sequence[str]) -> list[Shape]:
    """Every shape of the body, in a fixed order (so frame i of an animation matches frame 0).
    `accent` names the parts drawn in the accent colour (see `figure.Move`)."""
    sk = skeleton(pose)

    def at(name: str) -> tuple[float, float, float]:
        return project(sk.points[name], view)

    def line(names: tuple[str, ...], cls: str, radius: float, kind: str = "line", name: str = "") -> Shape:
        pts = [at(n) for n in names]
        depth = sum(p[2] for p in pts) / len(pts)
        return Shape(kind, cls, tuple((p[0], p[1]) for p in pts), 2 * radius, depth, name=name)

    head, top = at("head"), view is View.top
    torso = line(TORSO_CORNERS, "b", TORSO, "poly", "torso")
    shapes = []
    if "back_gap" in accent:
        shapes.append(_back_gap(sk, view, torso.depth - 0.1))
    shapes += [
        torso,
        line(("neck_base", "head"), "a" if "neck" in accent else "b", RADIUS["neck"], name="neck"),
        # From above the head sits on the shoulders: an outline keeps it apart from them, and the
        # nose goes over the outline, to show which way the head faces.
        Shape("circle", "b", (at("nose")[:2],), 0.018, head[2] + (0.003 if top else 0.001), name="nose"),
        Shape("circle", "b", (head[:2],), RADIUS["head"], head[2] + 0.002, top, "head"),
    ]
    shapes += _marks(sk, pose, view, accent, torso.depth)
    for side in SIDES:
        shapes += _limb(side, "arm", accent, line, view)
        shapes += _limb(side, "leg", accent, line, view)
    return shapes


def _limb(side: str, limb: str, accent: Sequence[str], line: Line, view: View) -> list[Shape]:
    """One arm or leg. Its segments share a depth so they layer as one piece."""
    parts = [line(tuple(f"{side}_{n}" for n in names), "b", RADIUS[seg]) for seg, names in LIMB_PARTS[limb]]
    depth = sum(p.depth for p in parts) / len(parts)
    far = view is View.side and depth < 0  # the left side is the far side in side views
    shapes = []
    for (seg, _), part in zip(LIMB_PARTS[limb], parts, strict=True):
        lit = f"{side}_{seg}" in accent
        cls = ("af" if far else "a") if lit else ("f" if far else "b")
        kind = "poly" if seg == "foot" else "line"
        shapes.append(Shape(kind, cls, part.points, part.width, depth, True, f"{side}_{seg}"))
    return shapes


# --- marks on the torso ------------------------------------------------------------------------


def _unit(v: Vec) -> Vec:
    length = sum(c * c for c in v) ** 0.5
    return (v[0] / length, v[1] / length, v[2] / length)


def _front_of(sk: Skeleton, a: str, b: str) -> Vec:
    """The way out of the belly, square to the segment from a to b (the trunk may bend away
    from the pelvis, whose front the skeleton gives)."""
    p, q = sk.points[a], sk.points[b]
    u = _unit((q[0] - p[0], q[1] - p[1], q[2] - p[2]))
    f = sk.front
    dot = sum(f[i] * u[i] for i in range(3))
    return _unit((f[0] - dot * u[0], f[1] - dot * u[1], f[2] - dot * u[2]))


def _along(sk: Skeleton, a: str, b: str, t: float, out: float) -> Vec:
    """The point a fraction t from joint a to joint b, moved `out` towards the front (negative: the back)."""
    p, q = sk.points[a], sk.points[b]
    n = _front_of(sk, a, b)
    x, y, z = (p[i] + t * (q[i] - p[i]) + out * n[i] for i in range(3))
    return (x, y, z)


def _flat(points: Sequence[Vec], view: View) -> tuple[tuple[tuple[float, float], ...], float]:
    projected = [project(p, view) for p in points]
    return tuple((p[0], p[1]) for p in projected), max(p[2] for p in projected)


# Where each stripe runs, as points along the body's centre line: (from joint, to joint, fraction).
# The pelvis is short, so the belly and the lower back reach a little way up the trunk.
PELVIS_LINE, TRUNK_LINE = ("hip_centre", "waist"), ("waist", "neck_base")
BELLY = ((*PELVIS_LINE, 0.3), (*TRUNK_LINE, 0.0), (*TRUNK_LINE, 0.2), (*TRUNK_LINE, 0.4))
STRIPES: dict[str, tuple[tuple[tuple[str, str, float], ...], float]] = {
    "tummy": (BELLY, 1.0),
    "chest": (((*TRUNK_LINE, 0.45), (*TRUNK_LINE, 0.65), (*TRUNK_LINE, 0.85)), 1.0),
    "lower_back": (((*PELVIS_LINE, 0.3), (*TRUNK_LINE, 0.0), (*TRUNK_LINE, 0.25), (*TRUNK_LINE, 0.5)), -1.0),
}


def _marks(sk: Skeleton, pose: Pose, view: View, accent: Sequence[str], depth: float) -> list[Shape]:
    shapes = []
    for name, (line, surface) in STRIPES.items():
        if name in accent:
            pts, near = _flat([_along(sk, a, b, t, surface * MARK) for a, b, t in line], view)
            shapes.append(Shape("line", "a", pts, STRIPE, max(near, depth) + 0.01, name=name))
    if "tummy_in" in accent:
        shapes += _drawn_in(sk, pose.tummy_in, view, depth)
    if "shoulders" in accent:
        pts, near = _flat([sk.points["left_shoulder"], sk.points["right_shoulder"]], view)
        shapes.append(Shape("line", "a", pts, STRIPE, near + 0.01, name="shoulders"))
    return shapes


def _belly(sk: Skeleton, u: float, out: float) -> Vec:
    """A point over the belly: u runs 0 to 1 from low on the pelvis to a little way up the trunk."""
    start, end = BELLY[0][2], BELLY[-1][2]  # as a fraction of the pelvis, and of the trunk
    along = u * (1.0 - start + end) + start
    if along <= 1.0:
        return _along(sk, *PELVIS_LINE, along, out)
    return _along(sk, *TRUNK_LINE, along - 1.0, out)


def _drawn_in(sk: Skeleton, depth_in: float, view: View, depth: float) -> list[Shape]:
    """The low tummy drawn in by `depth_in`: a background-coloured dip cut into the belly, and
    an accent stripe that follows the dip."""
    us = [i / 8 for i in range(9)]

    def dip(u: float) -> float:
        return depth_in * sin(pi * u)

    outside = [_belly(sk, u, TORSO + 0.005) for u in us]
    inside = [_belly(sk, u, TORSO - dip(u)) for u in reversed(us)]
    cut, near = _flat(outside + inside, view)
    stripe, _ = _flat([_belly(sk, u, TORSO - STRIPE / 2 - dip(u)) for u in us[1:-1]], view)
    return [
        Shape("fill", "h", cut, 0.0, max(near, depth) + 0.005, name="dip"),
        Shape("line", "a", stripe, STRIPE, max(near, depth) + 0.01, name="tummy_in"),
    ]


def _back_gap(sk: Skeleton, view: View, depth: float) -> Shape:
    """The space between the floor and the lower back, shaded: it grows as the back arches and
    closes as it presses flat. Its top edge runs along the torso's centre line, which the
    torso covers, so only the space below the back shows."""
    line = [_along(sk, "hip_centre", "waist", t, 0.0) for t in (0.5, 1.0)]
    line += [_along(sk, "waist", "neck_base", t, 0.0) for t in (0.25, 0.5, 0.75)]
    floor = [(x, 0.0, z) for x, _, z in reversed(line)]
    pts, _ = _flat(line + floor, view)
    return Shape("fill", "gap", pts, 0.0, depth, name="back_gap")
