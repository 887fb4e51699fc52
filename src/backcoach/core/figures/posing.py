"""Tools for building poses: put a hand or a foot where it belongs, and the basic positions.

Poses are joint angles, but exercises are described by contacts: feet flat on the floor, hands
on a knee. These helpers turn such wishes into angles, so the figures read like the steps.
Side-plane limbs use exact two-link geometry; anything off that plane uses a small search.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from math import acos, atan2, cos, degrees, dist, hypot, radians, sin
from typing import Any

from backcoach.core.figures.body import (
    ANKLE_HEIGHT,
    FOOT,
    FOREARM,
    HEAD_RADIUS,
    HEEL_BACK,
    RADIUS,
    RANGES,
    SHIN,
    SIDES,
    SOLE_DROP,
    THIGH,
    UPPER_ARM,
    Pose,
    Side,
    Skeleton,
    Vec,
    skeleton,
)

Point2 = tuple[float, float]
Knob = tuple[Side | None, str]  # (side or None for a body angle, angle name)

TORSO = RADIUS["torso"]
CHAIR_SEAT = 0.235  # seat height: about the lower-leg length, so the feet reach the floor


def _wrap(angle: float) -> float:
    return (angle + 180.0) % 360.0 - 180.0


def _two_link(base: Point2, target: Point2, first: float, second: float, bend: float) -> tuple[float, float]:
    """World angles (degrees) of two links from base to target; bend +1 puts the middle joint
    counter-clockwise of the base-target line (knees), -1 clockwise (elbows)."""
    dx, dy = target[0] - base[0], target[1] - base[1]
    # Out of reach: stretch straight towards the target (minus a hair so acos stays defined).
    d = min(max(hypot(dx, dy), abs(first - second) + 1e-6), first + second - 1e-6)
    alpha = acos((first**2 + d**2 - second**2) / (2 * first * d))
    a1 = atan2(dy, dx) + bend * alpha
    mid = (base[0] + first * cos(a1), base[1] + first * sin(a1))
    a2 = atan2(target[1] - mid[1], target[0] - mid[0])
    return degrees(a1), degrees(a2)


def leg_to(pose: Pose, side: Side, ankle: Point2, foot: float | None = 0.0) -> Pose:
    """Bend one leg (in the side plane) so its ankle reaches `ankle`.

    `foot` is the sole's angle to the floor afterwards (0 flat, toes forward), or None to keep
    the ankle joint as it was. Assumes no pelvic roll and no hip abduction or rotation.
    """
    hip = skeleton(pose).points[f"{side}_hip"]
    thigh, shin = _two_link((hip[0], hip[1]), ankle, THIGH, SHIN, bend=1.0)
    # In the side plane rotations add up: thigh = -90 + pitch + hip_flex, shin = thigh - knee.
    hip_flex = _wrap(thigh + 90.0 - pose.pitch)
    knee = _wrap(thigh - shin)
    ankle_angle = pose.limbs(side).ankle if foot is None else _wrap(foot - (pose.pitch + hip_flex - knee))
    return pose.with_limbs(side, hip_flex=hip_flex, knee=knee, ankle=ankle_angle)


def arm_to(pose: Pose, side: Side, wrist: Point2) -> Pose:
    """Bend one arm (in the side plane) so its wrist reaches `wrist`."""
    shoulder = skeleton(pose).points[f"{side}_shoulder"]
    upper, fore = _two_link((shoulder[0], shoulder[1]), wrist, UPPER_ARM, FOREARM, bend=-1.0)
    trunk_pitch = pose.pitch - pose.spine_flex
    flex = _wrap(upper + 90.0 - trunk_pitch)
    return pose.with_limbs(side, shoulder_flex=flex, elbow=_wrap(fore - upper))


def point(pose: Pose, name: str) -> Point2:
    """A joint's position in the side plane."""
    p = skeleton(pose).points[name]
    return (p[0], p[1])


def world(pose: Pose, name: str) -> Vec:
    """A joint's position in 3D."""
    return skeleton(pose).points[name]


def behind_thigh(pose: Pose, side: Side, at: float = 0.8) -> Point2:
    """A point on the back of one thigh, `at` of the way to the knee: where hands hold it."""
    hip, knee = point(pose, f"{side}_hip"), point(pose, f"{side}_knee")
    dx, dy = knee[0] - hip[0], knee[1] - hip[1]
    length = hypot(dx, dy)
    gap = RADIUS["thigh"] + RADIUS["forearm"]
    # The back of the thigh is clockwise of hip-to-knee in the side view (the knee bends that way).
    return (hip[0] + at * dx + gap * dy / length, hip[1] + at * dy - gap * dx / length)


def hug(pose: Pose, target: Point2) -> Pose:
    """Both hands to one point in the side plane, as when holding a knee."""
    for side in SIDES:
        pose = arm_to(pose, side, target)
    return pose


def reach(pose: Pose, side: Side, target: Vec) -> Pose:
    """Move a whole arm in 3D so the wrist meets `target` (a hand across the body)."""
    knobs: list[Knob] = [(side, n) for n in ("shoulder_flex", "shoulder_abd", "shoulder_rot", "elbow")]
    return search(pose, knobs, lambda sk: dist(sk.points[f"{side}_wrist"], target) ** 2)


def _get(pose: Pose, knob: Knob) -> float:
    side, name = knob
    return float(getattr(pose if side is None else pose.limbs(side), name))


def _set(pose: Pose, knob: Knob, value: float) -> Pose:
    side, name = knob
    if name in RANGES:
        lo, hi = RANGES[name]
        value = min(max(value, lo), hi)  # never search outside what a body can do
    if side is None:
        changes: dict[str, Any] = {name: value}
        return replace(pose, **changes)
    return pose.with_limbs(side, **{name: value})


def search(pose: Pose, knobs: Sequence[Knob], error: Callable[[Skeleton], float]) -> Pose:
    """Turn the given joints until `error` is as small as a simple pattern search can make it.

    Used where a target is off the side plane (a leg crossed over the other knee); slow but
    only a handful of poses need it, and figures are built once per process.
    """
    best = error(skeleton(pose))
    step = 16.0
    while step > 0.05:
        moved = False
        for knob in knobs:
            for delta in (step, -step):
                trial = _set(pose, knob, _get(pose, knob) + delta)
                score = error(skeleton(trial))
                if score < best - 1e-12:
                    pose, best, moved = trial, score, True
        if not moved:
            step /= 2
    return pose


def touch_down(pose: Pose, knob: Knob, names: Sequence[str], radius: float, height: float = 0.0) -> Pose:
    """Turn one joint until the lowest of the named points rests at `height` (e.g. toes on the floor)."""

    def gap(sk: Skeleton) -> float:
        return (min(sk.points[n][1] for n in names) - radius - height) ** 2

    return search(pose, [knob], gap)


def rest_head(pose: Pose, under: float) -> Pose:
    """Lying on the back, bend the neck so the head rests on something `under` thick (0 = floor)."""
    return touch_down(pose, (None, "neck_flex"), ["head"], HEAD_RADIUS, under)


def lying_on_back(head_on: float = 0.0, feet_at: float = 0.34) -> Pose:
    """On the back, knees bent, feet flat `feet_at` ahead of the hips, arms by the sides."""
    pose = rest_head(Pose(root=(0.0, TORSO, 0.0), pitch=90.0), head_on)
    for side in SIDES:
        pose = leg_to(pose, side, (feet_at, ANKLE_HEIGHT))
        pose = arms_down(pose, side)
    return pose


def arms_down(pose: Pose, side: Side, spread: float = 0.0) -> Pose:
    """Lying on the back: the arm rests on the floor along the body, slightly apart."""
    shoulder = point(pose, f"{side}_shoulder")
    reach = 0.999 * (UPPER_ARM + FOREARM)  # straight: a bent elbow would dig into the floor
    drop = shoulder[1] - RADIUS["forearm"]
    pose = arm_to(pose, side, (shoulder[0] + (reach**2 - drop**2) ** 0.5, RADIUS["forearm"]))
    return pose.with_limbs(side, shoulder_abd=spread)


def standing() -> Pose:
    """Standing tall, arms relaxed, feet hip-width apart."""
    pose = Pose()
    for side in SIDES:
        pose = pose.with_limbs(side, shoulder_abd=6.0, elbow=8.0)
    return pose


def sitting(seat: float = CHAIR_SEAT, feet_at: float = THIGH + 0.04) -> Pose:
    """Sitting up tall on a seat `seat` high, feet flat below the knees, hands resting on the thighs."""
    pose = Pose(root=(0.0, seat + TORSO, 0.0))
    for side in SIDES:
        pose = leg_to(pose, side, (feet_at, ANKLE_HEIGHT))
        knee = point(pose, f"{side}_knee")
        pose = arm_to(pose, side, (0.6 * knee[0], knee[1] + RADIUS["thigh"] + RADIUS["forearm"]))
    return pose


def on_hands_and_knees() -> Pose:
    """All fours: knees under the hips, hands under the shoulders, feet pointed behind."""
    knee_y = RADIUS["thigh"]
    pose = Pose(root=(0.0, knee_y + THIGH, 0.0), pitch=-76.0)
    for side in SIDES:
        pose = pose.with_limbs(side, hip_flex=76.0, knee=90.0)
        pose = toes_down(pose, side)
        shoulder = point(pose, f"{side}_shoulder")
        pose = arm_to(pose, side, (shoulder[0] + 0.01, RADIUS["forearm"]))
    return pose


def toes_down(pose: Pose, side: Side) -> Pose:
    """Kneeling or face down: point the foot, then swing the shin about the knee until the toes
    rest on the floor (the top of the foot lies nearly flat, as it does on a mat)."""
    pose = pose.with_limbs(side, ankle=-60.0)
    return touch_down(pose, (side, "knee"), [f"{side}_toe", f"{side}_heel"], RADIUS["foot"])


def lying_on_front() -> Pose:
    """Face down and flat, legs long, feet pointed; the arms are left to the exercise."""
    pose = Pose(root=(0.0, TORSO, 0.0), pitch=-90.0)
    for side in SIDES:
        pose = toes_down(pose.with_limbs(side, knee=5.0), side)
    return pose


def along(a: Point2, angle_degrees: float, length: float) -> Point2:
    """The point `length` from `a` in the direction `angle_degrees` (0 = +x, 90 = up)."""
    r = radians(angle_degrees)
    return (a[0] + length * cos(r), a[1] + length * sin(r))


def foot_down(pose: Pose, side: Side, x: float, tilt: float = 0.0, on: str = "heel") -> Pose:
    """Put one foot's heel (or toes) on the floor at `x`, the sole tilted `tilt` degrees (toes up +)."""
    local = (-HEEL_BACK, -SOLE_DROP) if on == "heel" else (FOOT - HEEL_BACK, -SOLE_DROP)
    c, s = cos(radians(tilt)), sin(radians(tilt))
    offset = (c * local[0] - s * local[1], s * local[0] + c * local[1])
    return leg_to(pose, side, (x - offset[0], RADIUS["foot"] - offset[1]), foot=tilt)
