"""Figures of the exercises done lying down or on hands and knees."""

from __future__ import annotations

from dataclasses import replace
from math import asin, cos, degrees, dist, radians, sin, sqrt

from backcoach.core.figures.body import (
    ANKLE_HEIGHT,
    FOREARM,
    PELVIS,
    RADIUS,
    SHIN,
    SIDES,
    THIGH,
    TRUNK,
    UPPER_ARM,
    Pose,
    Side,
    Skeleton,
    Vec,
    View,
    skeleton,
)
from backcoach.core.figures.figure import LEGS, SHINS, THIGHS, Figure, KeyPose, Move, arm, leg
from backcoach.core.figures.motion import follow, straight, turn
from backcoach.core.figures.posing import (
    TORSO,
    Knob,
    along,
    arm_to,
    arms_down,
    behind_thigh,
    hug,
    leg_to,
    lying_on_back,
    lying_on_front,
    on_hands_and_knees,
    point,
    reach,
    rest_head,
    search,
    toes_down,
    world,
)
from backcoach.core.figures.props import BOOK, CUSHION

ON_BACK = "On the back, knees bent, feet flat"


def _pull_knee(pose: Pose, side: Side, hip_flex: float = 112.0, knee: float = 118.0) -> Pose:
    return pose.with_limbs(side, hip_flex=hip_flex, knee=knee, ankle=-15.0)


def knee_to_chest() -> Figure:
    start = lying_on_back()
    end = _pull_knee(start, "right")
    end = hug(end, behind_thigh(end, "right"))
    return Figure(
        "knee-to-chest",
        View.side,
        (
            KeyPose("start", ON_BACK, start, ("back", "feet")),
            KeyPose("end", "Right knee pulled in, hands behind the thigh", end, ("back", "left_foot")),
        ),
        (Move(0, 1, leg("right"), follow((start, end), "right_knee", "right_hip")),),
        side="right",
    )


def double_knee_to_chest() -> Figure:
    start = lying_on_back()
    middle = _pull_knee(start, "right", 95.0, 105.0)
    end = replace(_pull_knee(_pull_knee(start, "right"), "left"), neck_flex=30.0)
    end = hug(end, behind_thigh(end, "right", at=1.0))
    return Figure(
        "double-knee-to-chest",
        View.side,
        (
            KeyPose("start", ON_BACK, start, ("back", "feet")),
            KeyPose("middle", "One knee comes up", middle, ("back", "left_foot")),
            KeyPose("end", "Both knees hugged in, head lifted a little", end, ("back",)),
        ),
        (
            Move(0, 1, leg("right"), follow((start, middle), "right_knee", "right_hip")),
            Move(1, 2, LEGS, follow((middle, end), "left_knee", "left_hip", 0.07)),
        ),
    )


def _tilt_pelvis(pose: Pose, tilt: float, head_on: float, spread: float = 0.0) -> Pose:
    """Lying on the back, tip the pelvis: positive arches the lower back off the floor, negative
    presses it flat. Shoulders, head and feet stay where they were; the arms rest `spread` out."""
    feet = {side: point(pose, f"{side}_ankle") for side in SIDES}
    rise = PELVIS * sin(radians(abs(tilt)))
    if tilt > 0:  # the waist lifts and the trunk slopes back down to the shoulders
        slope = degrees(asin(rise / TRUNK))
        pose = replace(pose, pitch=pose.pitch - tilt, spine_flex=-(tilt + slope))
    else:  # the waist is already down, so the tail end rises a touch instead
        x, y, z = pose.root
        pose = replace(pose, root=(x, y + rise, z), pitch=pose.pitch - tilt, spine_flex=-tilt)
    for side in SIDES:
        pose = arms_down(leg_to(pose, side, feet[side]), side, spread)
    return rest_head(pose, head_on)


# The exercise rocks between a flat lower back and a small arch, so those are its two key poses.
# The drawing tips the pelvis a little further than life (34 degrees in all) so the change shows
# at phone size; both angles stay inside the ranges the checks hold them to.
FLAT_TILT, ARCH_TILT = -10.0, 24.0


def pelvic_tilt() -> Figure:
    head = CUSHION.high[1]
    lying = lying_on_back(head_on=head)
    # The arms rest out to the sides, so from the side the near one does not hide the lower back.
    flat, arched = (_tilt_pelvis(lying, t, head, 70.0) for t in (FLAT_TILT, ARCH_TILT))
    # The arrow rocks both ways on an arc over the lower belly: the top of the pelvis tips
    # towards the feet to arch, and back towards the head to flatten.
    arc = turn(world(flat, "hip_centre"), TORSO + 0.07, 150.0, 80.0)
    return Figure(
        "pelvic-tilt",
        View.side,
        (
            KeyPose("start", "On the back, knees bent, lower back pressed flat", flat, ("back", "feet")),
            KeyPose("end", "Hips tipped to a small arch", arched, ("back", "feet")),
        ),
        (Move(0, 1, ("lower_back", "back_gap"), arc, both_ways=True),),
        props=(CUSHION,),
    )


def deep_abdominal_bracing() -> Figure:
    start = lying_on_back(head_on=BOOK.high[1])
    # No joint moves: the low tummy draws in. The drawing shows a dip deeper than life, so it reads.
    end = replace(start, tummy_in=0.035)
    # The arrow points into the low tummy and on up towards the belly button, as the steps say.
    sk = skeleton(start)
    return Figure(
        "deep-abdominal-bracing",
        View.side,
        (
            KeyPose("start", "On the back, knees bent, head on a book", start, ("back", "feet")),
            KeyPose("end", "Low tummy drawn gently in and held", end, ("back", "feet")),
        ),
        (Move(0, 1, ("tummy_in",), straight(_over_belly(sk, 0.1, 0.0), _over_belly(sk, 0.02, 0.1))),),
        props=(BOOK,),
    )


def _over_belly(sk: Skeleton, out: float, headwards: float) -> Vec:
    """A point `out` above the belly's surface, `headwards` along the body from the hip joints."""
    hip, waist, up = sk.points["hip_centre"], sk.points["waist"], TORSO + out
    x, y, z = (hip[i] + sk.front[i] * up + headwards * (waist[i] - hip[i]) / PELVIS for i in range(3))
    return (x, y, z)


def knee_rolls() -> Figure:
    start = lying_on_back(head_on=CUSHION.high[1], feet_at=0.3)
    for side in SIDES:  # arms out a little, so the view from above shows them
        start = arms_down(start, side, spread=25.0)
    end = _feet_stay_up(_roll(start, 40.0))
    return Figure(
        "knee-rolls",
        View.top,
        (
            KeyPose("start", "On the back, knees together, feet flat", start, ("back", "feet")),
            KeyPose("end", "Both knees dropped to the right, head turned left", end, ("back",)),
        ),
        (Move(0, 1, THIGHS + SHINS, follow((start, end), "right_knee", "right", 0.1)),),
        props=(CUSHION,),
        side="right",
    )


def _roll(pose: Pose, angle: float) -> Pose:
    """Lying on the back, roll the pelvis towards the right while the spine untwists by as much,
    so the shoulders stay flat. The pelvis rises as it rolls onto its side, as a real one does."""
    rolled = replace(pose, roll=angle, spine_twist=-angle, neck_turn=-angle * 0.9)
    sunk = min(p[1] for n, p in skeleton(rolled).points.items() if n.startswith("torso_")) - TORSO
    x, y, z = rolled.root
    return replace(rolled, root=(x, y - sunk, z))


def _feet_stay_up(pose: Pose) -> Pose:
    """After a roll, turn the hips just enough that no foot goes through the floor."""

    def sunk(sk: Skeleton) -> float:
        low = [sk.points[f"{s}_{p}"][1] - RADIUS["foot"] for s in SIDES for p in ("heel", "toe")]
        return sum(min(0.0, y) ** 2 for y in low)

    knobs: list[Knob] = [(s, n) for s in SIDES for n in ("hip_abd", "hip_rot")]
    return search(pose, knobs, sunk)


def bridge() -> Figure:
    # Shoulders stay on the floor; the straight shoulder-hip-knee line pivots up about them.
    span = PELVIS + TRUNK

    def hips(lift: float) -> tuple[float, float]:
        return (-span + span * cos(radians(lift)), TORSO + span * sin(radians(lift)))

    def lifted(lift: float, feet_x: float) -> Pose:
        x, y = hips(lift)
        pose = rest_head(Pose(root=(x, y, 0.0), pitch=90.0 + lift), 0.0)
        for side in SIDES:
            pose = arms_down(leg_to(pose, side, (feet_x, ANKLE_HEIGHT)), side)
        return pose

    # As high as the shins allow: the feet go where a shin from the top knee meets the floor.
    top = 23.0
    knee = along(hips(top), top, THIGH)
    feet_x = knee[0] + sqrt(SHIN**2 - (knee[1] - ANKLE_HEIGHT) ** 2)
    poses = (lying_on_back(feet_at=feet_x), lifted(top / 2, feet_x), lifted(top, feet_x))
    return Figure(
        "bridge",
        View.side,
        (
            KeyPose("start", f"{ON_BACK}, arms by the sides", poses[0], ("back", "feet")),
            KeyPose("middle", "Bottom lifting", poses[1], ("back", "feet")),
            KeyPose("end", "Shoulders, hips and knees in a line", poses[2], ("back", "feet")),
        ),
        (Move(0, 2, ("lower_back", *THIGHS), follow(poses, "hip_centre", "front", TORSO + 0.08)),),
    )


def bottom_to_heels() -> Figure:
    start = on_hands_and_knees()
    ankles = {side: point(start, f"{side}_ankle") for side in SIDES}
    knee, wrist = point(start, "right_knee"), point(start, "right_wrist")
    arm = 0.99 * (UPPER_ARM + FOREARM)

    def shoulder_gap(sk: Skeleton) -> float:
        p = sk.points["right_shoulder"]
        return (dist((p[0], p[1]), wrist) - arm) ** 2

    def sat_back(thigh_angle: float, spine_flex: float) -> Pose:
        hip = along(knee, thigh_angle, THIGH)  # the thigh swings back about the knee on the floor
        pose = replace(start, root=(hip[0], hip[1], 0.0), spine_flex=spine_flex)
        pose = search(pose, [(None, "pitch")], shoulder_gap)  # the hands stay where they were
        for side in SIDES:
            pose = arm_to(leg_to(pose, side, ankles[side], foot=None), side, wrist)
        return pose

    poses = (start, sat_back(115.0, 5.0), sat_back(142.0, 10.0))
    return Figure(
        "bottom-to-heels",
        View.side,
        (
            KeyPose("start", "On hands and knees, back in its natural shape", poses[0], ("hands", "knees")),
            KeyPose("middle", "Bottom moving back", poses[1], ("hands", "knees")),
            KeyPose("end", "Bottom back towards the heels, hands in place", poses[2], ("hands", "knees")),
        ),
        (Move(0, 2, ("lower_back", *THIGHS), follow(poses, "hip_centre", "back", TORSO + 0.06)),),
    )


def back_extension() -> Figure:
    def propped(pelvis_up: float, shoulder_height: float, on_hands: bool) -> Pose:
        pose = replace(lying_on_front(), pitch=-90.0 + pelvis_up)
        for side in SIDES:  # the legs stay on the floor while the pelvis tips up a little
            pose = toes_down(pose.with_limbs(side, hip_flex=-(pelvis_up + 4.0)), side)
        pose = search(pose, [(None, "spine_flex")], lambda sk: (sk.points["right_shoulder"][1] - shoulder_height) ** 2)
        for side in SIDES:
            shoulder = point(pose, f"{side}_shoulder")
            # Hands go well in front, so the arms are nearly straight; elbows go under the shoulders.
            forward = 0.21 if on_hands else UPPER_ARM * sin(radians(20.0)) + FOREARM
            pose = arm_to(pose, side, (shoulder[0] + forward, RADIUS["forearm"]))
        return pose

    elbows = UPPER_ARM * cos(radians(20.0)) + RADIUS["forearm"]
    start, end = propped(8.0, elbows, False), propped(24.0, 0.26, True)
    rise = follow((start, end), "neck_base", "back", TORSO + 0.05)  # over the upper back as it lifts
    return Figure(
        "back-extension",
        View.side,
        (
            KeyPose("start", "On the front, up on the elbows", start, ("front",)),
            KeyPose("end", "Pressed up on the hands, hips down", end, ("front", "hands")),
        ),
        (Move(0, 1, ("lower_back", *arm("left"), *arm("right")), rise),),
    )


def piriformis_stretch() -> Figure:
    def crossed(pose: Pose) -> Pose:
        """Right ankle resting on the left knee, right knee dropped out to the side."""
        knee = world(pose, "left_knee")
        rest = (knee[0], knee[1] + RADIUS["thigh"] + RADIUS["shin"], knee[2])
        pose = pose.with_limbs("right", hip_flex=80.0, hip_abd=35.0, hip_rot=-35.0, knee=100.0, ankle=0.0)
        knobs: list[Knob] = [("right", n) for n in ("hip_flex", "hip_abd", "hip_rot", "knee")]

        def error(sk: Skeleton) -> float:
            # Many leg positions put the ankle there; prefer the knee turned out towards the viewer.
            knee_out = sk.points["right_knee"][2] - 0.25
            return dist(sk.points["right_ankle"], rest) ** 2 + 0.01 * knee_out**2

        return search(pose, knobs, error)

    start = lying_on_back()
    middle = crossed(start)
    end = crossed(start.with_limbs("left", hip_flex=95.0, knee=95.0, ankle=-10.0))
    end = hug(end, behind_thigh(end, "left"))
    return Figure(
        "piriformis-stretch",
        View.side,
        (
            KeyPose("start", ON_BACK, start, ("back", "feet")),
            KeyPose("middle", "Right ankle crossed over the left knee", middle, ("back", "left_foot")),
            KeyPose("end", "Left knee pulled in, hands behind the left thigh", end, ("back",)),
        ),
        (
            Move(0, 1, leg("right"), follow((start, middle), "right_ankle", "right_knee", 0.06)),
            Move(1, 2, leg("left"), follow((middle, end), "left_knee", "left_hip", 0.07)),
        ),
        side="right",
    )


def crunch() -> Figure:
    start = lying_on_back()
    for side in SIDES:  # arms folded across the chest: each hand on the other shoulder
        other = world(start, f"{'left' if side == 'right' else 'right'}_shoulder")
        on_chest = (other[0] + 0.04, other[1] + TORSO + RADIUS["forearm"], other[2] * 0.6)
        start = reach(start.with_limbs(side, shoulder_flex=40.0, shoulder_abd=-25.0, elbow=130.0), side, on_chest)
    end = replace(start, spine_flex=25.0, neck_flex=20.0)
    return Figure(
        "crunch",
        View.side,
        (
            KeyPose("start", "On the back, knees bent, arms folded", start, ("back", "feet")),
            KeyPose("end", "Head and shoulders curled a little off the floor", end, ("back", "feet")),
        ),
        (Move(0, 1, ("tummy", "chest", "neck"), follow((start, end), "head", "waist", 0.1)),),
    )


def leg_raise() -> Figure:
    start = lying_on_back().with_limbs("right", hip_flex=0.0, knee=0.0, ankle=-5.0)
    # The straight leg rests on its heel.
    start = search(start, [("right", "hip_flex")], lambda sk: (sk.points["right_heel"][1] - RADIUS["foot"]) ** 2)
    end = start.with_limbs("right", hip_flex=start.left.hip_flex)  # thighs parallel, so the knees are level
    raised = "Straight right leg raised level with the left knee"
    return Figure(
        "leg-raise",
        View.side,
        (
            KeyPose("start", "On the back, left knee bent, right leg straight", start, ("back", "left_foot")),
            KeyPose("end", raised, end, ("back", "left_foot")),
        ),
        (Move(0, 1, leg("right"), follow((start, end), "right_ankle", "right_hip", 0.12)),),
        side="right",
    )
