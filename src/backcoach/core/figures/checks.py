"""Checks that a figure shows a body that could really be there.

For every key pose: each segment keeps its length, each joint stays within a human range
(body.RANGES, cited there), nothing sinks below the floor, and whatever the pose says rests
on the floor or seat (the back, the front, hands, knees, feet, the pelvis) really does, within
about 2 cm. An empty list means the figure is right as far as these checks can tell.
"""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.core.figures.body import (
    RADIUS,
    SIDES,
    TORSO_CORNERS,
    Skeleton,
    joint_range,
    segment_length,
    segments,
    skeleton,
)
from backcoach.core.figures.figure import Figure, KeyPose
from backcoach.core.figures.props import Prop

TOLERANCE = 0.012  # of height: about 2 cm on a 1.7 m person, less than a stroke's width
LENGTH_TOLERANCE = 1e-6
# The contact each catalogue position calls for, which every key pose must include.
POSITION_CONTACT = {
    "lying_on_back": "back",
    "lying_on_front": "front",
    "all_fours": "hands",
    "kneeling": "knees",
    "sitting": "seat",
    "standing": "feet",
    "moving": "feet",
}


@dataclass(frozen=True)
class Problem:
    exercise_id: str
    pose: str
    message: str

    def __str__(self) -> str:
        return f"{self.exercise_id} [{self.pose}]: {self.message}"


def check_figure(figure: Figure, position: str | None = None) -> list[Problem]:
    """Every problem in every key pose; `position` is the catalogue's, when known."""
    seat = next((p for p in figure.props if p.kind == "seat"), None)
    problems = []
    for key in figure.poses:
        messages = check_pose(key, seat)
        if position is not None and not _has_contact(key, POSITION_CONTACT[position]):
            messages.append(f"the catalogue says {position.replace('_', ' ')}, but nothing rests that way")
        problems += [Problem(figure.exercise_id, key.label, m) for m in messages]
    return problems


def _has_contact(key: KeyPose, wanted: str) -> bool:
    if wanted == "feet":
        return any(c in key.contacts for c in ("feet", "left_foot", "right_foot"))
    return wanted in key.contacts


def check_pose(key: KeyPose, seat: Prop | None = None) -> list[str]:
    sk = skeleton(key.pose)
    problems = _lengths(sk) + _ranges(key) + _below_floor(sk)
    for contact in key.contacts:
        problems += _contact(sk, contact, seat)
    return problems


def _lengths(sk: Skeleton) -> list[str]:
    problems = []
    for name, (a, b) in segments().items():
        p, q = sk.points[a], sk.points[b]
        length = sum((u - v) ** 2 for u, v in zip(p, q, strict=True)) ** 0.5
        if abs(length - segment_length(name)) > LENGTH_TOLERANCE:
            problems.append(f"{name} is {length:.4f} long, not {segment_length(name):.4f}")
    return problems


def _ranges(key: KeyPose) -> list[str]:
    problems = []
    for name, value in key.pose.angles().items():
        lo, hi = joint_range(name)
        if not lo <= value <= hi:
            problems.append(f"{name.replace('_', ' ')} is {value:.0f}°, outside {lo:.0f}° to {hi:.0f}°")
    return problems


def capsules(sk: Skeleton) -> dict[str, tuple[list[tuple[float, float, float]], float]]:
    """Each drawn part as the points its centre line passes through, and its half-thickness."""
    parts = {
        "torso": ([sk.points[c] for c in TORSO_CORNERS], RADIUS["torso"]),
        "head": ([sk.points["head"]], RADIUS["head"]),
        "neck": ([sk.points["neck_base"], sk.points["head"]], RADIUS["neck"]),
    }
    for name, (a, b) in segments().items():
        if name.startswith(SIDES):
            parts[name] = ([sk.points[a], sk.points[b]], RADIUS[name.split("_", 1)[1]])
    for side in SIDES:  # feet are drawn as a heel-ankle-toe wedge
        parts[f"{side}_foot"] = ([sk.points[f"{side}_{n}"] for n in ("heel", "ankle", "toe")], RADIUS["foot"])
    return parts


def _lowest(points: list[tuple[float, float, float]], radius: float) -> float:
    return min(p[1] for p in points) - radius


def _below_floor(sk: Skeleton) -> list[str]:
    return [
        f"{name.replace('_', ' ')} is {-low * 100:.1f}% of height below the floor"
        for name, (points, radius) in capsules(sk).items()
        if (low := _lowest(points, radius)) < -TOLERANCE
    ]


def _contact(sk: Skeleton, contact: str, seat: Prop | None) -> list[str]:
    """Whether one named contact holds: the part's lowest point is on its surface."""
    p = sk.points
    if contact in ("back", "front"):
        facing_up = sk.front[1]
        if (contact == "back") != (facing_up > 0.5) or abs(facing_up) < 0.5:
            return [f"should lie on the {contact}, but the belly faces {'up' if facing_up > 0 else 'down'}"]
        return _touches(f"the {contact}", _lowest([p[c] for c in TORSO_CORNERS], RADIUS["torso"]), 0.0)
    if contact == "seat":
        if seat is None:
            return ["should sit, but there is no seat"]
        hips = [p["torso_lh"], p["torso_rh"]]
        inside = seat.low[0] <= p["hip_centre"][0] <= seat.high[0]
        return _touches("the pelvis", _lowest(hips, RADIUS["torso"]), seat.high[1]) + (
            [] if inside else ["the pelvis is not over the seat"]
        )
    parts = {
        "hands": [(f"{s} hand", [p[f"{s}_wrist"]], RADIUS["forearm"]) for s in SIDES],
        "knees": [(f"{s} knee", [p[f"{s}_knee"]], RADIUS["thigh"]) for s in SIDES],
        "feet": [(f"{s} foot", [p[f"{s}_heel"], p[f"{s}_toe"]], RADIUS["foot"]) for s in SIDES],
    }
    for s in SIDES:
        parts[f"{s}_foot"] = [(f"{s} foot", [p[f"{s}_heel"], p[f"{s}_toe"]], RADIUS["foot"])]
    if contact not in parts:
        return [f"unknown contact {contact!r}"]
    return [m for name, points, radius in parts[contact] for m in _touches(f"the {name}", _lowest(points, radius), 0.0)]


def _touches(what: str, low: float, surface: float) -> list[str]:
    gap = low - surface
    if abs(gap) <= TOLERANCE:
        return []
    where = "above" if gap > 0 else "sunk into"
    name = "floor" if surface == 0 else "seat"
    return [f"{what} should rest on the {name} but is {abs(gap) * 100:.1f}% of height {where} it"]
