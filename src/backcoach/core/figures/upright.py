"""Figures of the exercises done sitting or standing, and of the activities: walking, cycling, water."""

from __future__ import annotations

from dataclasses import replace

from backcoach.core.figures.body import HEAD_RADIUS, RADIUS, SIDES, Pose, Side, Vec, View
from backcoach.core.figures.figure import LEGS, Figure, KeyPose, Move, leg
from backcoach.core.figures.motion import follow, straight, turn
from backcoach.core.figures.posing import (
    CHAIR_SEAT,
    TORSO,
    along,
    arm_to,
    foot_down,
    leg_to,
    reach,
    sitting,
    standing,
    world,
)
from backcoach.core.figures.props import bicycle, chair, pool

SITTING = ("seat", "feet")


def neck_flexion_stretch() -> Figure:
    start = sitting()
    end = replace(start, neck_flex=42.0)
    return Figure(
        "neck-flexion-stretch",
        View.side,
        (
            KeyPose("start", "Sitting tall, looking ahead", start, SITTING),
            KeyPose("end", "Chin lowered towards the chest", end, SITTING),
        ),
        (Move(0, 1, ("neck",), _over_head(start, end)),),
        props=chair(CHAIR_SEAT),
    )


def _over_head(start: Pose, end: Pose) -> tuple[Vec, ...]:
    """The arrow of a head that tips: over the crown, from where it was to where it goes."""
    return follow((start, end), "head", "neck_base", HEAD_RADIUS + 0.05)


def neck_side_stretch() -> Figure:
    start = sitting()
    end = replace(start, neck_bend=35.0)
    return Figure(
        "neck-side-stretch",
        View.front,
        (
            KeyPose("start", "Sitting tall, shoulders relaxed", start, SITTING),
            KeyPose("end", "Head tipped to the right, shoulders down", end, SITTING),
        ),
        (Move(0, 1, ("neck",), _over_head(start, end)),),
        props=chair(CHAIR_SEAT),
        side="right",
    )


def basic_twist() -> Figure:
    start = sitting()
    end = replace(start, spine_twist=-40.0, neck_turn=-25.0)  # the head turns last, a little further
    knee = world(end, "left_knee")
    outside_knee = (knee[0], knee[1], knee[2] - RADIUS["thigh"] - RADIUS["forearm"])
    end = reach(end.with_limbs("right", shoulder_flex=40.0, shoulder_abd=-20.0, elbow=30.0), "right", outside_knee)
    end = reach(end, "left", (-0.1, CHAIR_SEAT + RADIUS["forearm"], -0.17))  # hand on the seat behind
    # Seen from above, where a turn of the chest shows as the line of the shoulders turning
    # while the knees keep facing the front; the arrow runs round outside the right shoulder.
    return Figure(
        "basic-twist",
        View.top,
        (
            KeyPose("start", "Sitting tall near the front of the chair", start, SITTING),
            KeyPose("end", "Chest turned left, right hand on the left knee", end, SITTING),
        ),
        (Move(0, 1, ("shoulders",), follow((start, end), "right_shoulder", "neck_base", 0.07)),),
        props=chair(CHAIR_SEAT),
        side="left",
    )


HEEL_SPOT = 0.038  # where the heel rests, behind the ankle, when standing over x = 0


def _hands_on_hips(pose: Pose) -> Pose:
    x, y, _ = pose.root
    for side in SIDES:
        pose = arm_to(pose, side, (x, y + 0.07))
    return pose


def hip_stretch() -> Figure:
    start = foot_down(foot_down(standing(), "left", -HEEL_SPOT), "right", -HEEL_SPOT)
    # Half a step back with the right foot; the hips sink a little and move back over it.
    end = replace(start, root=(-0.04, 0.49, 0.0))
    end = _hands_on_hips(foot_down(foot_down(end, "left", 0.0), "right", -0.26))
    start = _hands_on_hips(start)
    return Figure(
        "hip-stretch",
        View.side,
        (
            KeyPose("start", "Standing tall, feet apart", start, ("feet",)),
            KeyPose("end", "Right foot back, left knee soft, weight back", end, ("feet",)),
        ),
        (Move(0, 1, leg("right"), follow((start, end), "right_ankle", "back", 0.07)),),
        side="right",
    )


def _stride(lead: Side, swing: float = 22.0) -> Pose:
    """Both feet down: the lead heel just landing in front, the other foot pushing off behind."""
    back: Side = "left" if lead == "right" else "right"
    pose = replace(standing(), root=(0.0, 0.495, 0.0))
    pose = foot_down(pose, lead, 0.17, tilt=15.0)
    pose = foot_down(pose, back, -0.14, tilt=-25.0, on="toe")
    pose = pose.with_limbs(lead, shoulder_flex=-swing, elbow=15.0)  # arms swing against the legs
    return pose.with_limbs(back, shoulder_flex=swing, elbow=30.0)


def _passing(stance: Side) -> Pose:
    """One foot flat under the body, the other leg swinging through."""
    swing: Side = "left" if stance == "right" else "right"
    pose = foot_down(replace(standing(), root=(0.0, 0.52, 0.0)), stance, -0.02)
    return pose.with_limbs(swing, hip_flex=20.0, knee=45.0, ankle=5.0)


def _onwards(height: float, ahead: float = 0.2) -> Move:
    """The way a walker goes: a straight arrow in front of the body, over every pose."""
    return Move(0, 3, LEGS, straight((ahead, height, 0.0), (ahead + 0.16, height, 0.0)))


def walking() -> Figure:
    return Figure(
        "walking",
        View.side,
        (
            KeyPose("start", "Right heel landing, arms swinging", _stride("right"), ("feet",)),
            KeyPose("middle", "Left leg swinging through", _passing("right"), ("right_foot",)),
            KeyPose("end", "Left heel landing", _stride("left"), ("feet",)),
            KeyPose("then", "Right leg swinging through", _passing("left"), ("left_foot",)),
        ),
        (_onwards(0.62),),
        loop=True,
    )


def water_activity() -> Figure:
    def wading(lead: Side) -> Pose:
        pose = _stride(lead, swing=10.0)
        for side in SIDES:  # hands out on the water for balance
            pose = pose.with_limbs(side, shoulder_abd=35.0, elbow=30.0)
        return pose

    return Figure(
        "water-activity",
        View.side,
        (
            KeyPose("start", "Walking in chest-deep water", wading("right"), ("feet",)),
            KeyPose("end", "Next step", wading("left"), ("feet",)),
        ),
        (replace(_onwards(0.82, 0.16), end=1),),
        props=pool(0.72),
        loop=True,
    )


CRANK: Vec = (0.15, 0.2, 0.0)
CRANK_LENGTH = 0.09
# Saddle high enough that the knee is only a little bent with the pedal at the bottom.
SADDLE_TOP = 0.55
BARS = (0.42, 0.72)


def _pedalling(angle: float) -> Pose:
    pose = Pose(root=(0.0, SADDLE_TOP + TORSO, 0.0), pitch=-22.0, spine_flex=8.0)
    pedals: tuple[tuple[Side, float], ...] = (("right", angle), ("left", angle + 180.0))
    for side, crank_angle in pedals:
        pedal = along((CRANK[0], CRANK[1]), crank_angle, CRANK_LENGTH)
        # The ball of the foot is on the pedal, so the ankle is behind and above it.
        pose = leg_to(pose, side, (pedal[0] - 0.06, pedal[1] + 0.05), foot=-10.0)
        pose = arm_to(pose, side, BARS)
    return pose


def cycling() -> Figure:
    # Forwards pedalling turns the crank clockwise as seen from the right: 3, then 7, then 11 o'clock.
    stops = (("start", 0.0, 3), ("middle", -120.0, 7), ("end", -240.0, 11))
    return Figure(
        "cycling",
        View.side,
        tuple(
            KeyPose(label, f"Pedalling, right pedal at {clock} o'clock", _pedalling(angle), ("seat",))
            for label, angle, clock in stops
        ),
        # Round the crank the way the pedals go, outside the ring, over the front half.
        (Move(0, 2, leg("right"), turn(CRANK, CRANK_LENGTH + 0.05, 60.0, -100.0)),),
        props=bicycle((0.0, SADDLE_TOP, 0.0), CRANK, (BARS[0], BARS[1], 0.0), CRANK_LENGTH),
        loop=True,
    )
