"""A small body model: segment lengths, a pose made of joint angles, and forward kinematics.

Pure maths, no I/O. Lengths are fractions of standing height, so a body is 1 unit tall.
World axes: x points the way a standing person faces in the side view, y points up, and
z points at whoever looks at the side view. The floor is y = 0. With those axes a body
facing +x has its right side towards the viewer, so side views always show the right side
nearest. Mirroring a pose exchanges left and right joint angles rather than flipping the
picture, so the working leg of the other side shows as the far leg, as it would in life.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from functools import reduce
from math import cos, radians, sin
from typing import Literal

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]
Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("left", "right")

# Segment lengths as fractions of height H, from D. A. Winter, "Biomechanics and Motor Control of
# Human Movement", 4th ed. (Wiley, 2009), figure 4.1 (segment lengths after Drillis and Contini).
UPPER_ARM = 0.186
FOREARM = 0.146
THIGH = 0.245
SHIN = 0.246
FOOT = 0.152
ANKLE_HEIGHT = 0.039
SHOULDER_WIDTH = 0.259
HIP_WIDTH = 0.191
HIP_HEIGHT = 0.530  # greater trochanter, standing
NECK = 0.870 - 0.818  # shoulder height to chin height
HEAD_RADIUS = 0.130 / 2  # chin to crown is 0.130 H
# Winter gives hip-to-shoulder height (0.818 - 0.530 H) as one piece. Splitting it at the waist
# is our choice: it lets the lower back arch or flatten while the pelvis stays on the floor.
PELVIS = 0.08
TRUNK = 0.818 - 0.530 - PELVIS
HIP_SPACING = HIP_WIDTH / 2  # hip joint centres sit well inside the pelvis's outer width
HEEL_BACK = 0.25 * FOOT  # the ankle sits over the back quarter of the foot
# Half-thicknesses, used to draw the segments and to tell when one rests on a surface. Winter
# gives no depths; these are rounded adult depths (a chest about 23 cm deep at 1.75 m).
RADIUS: dict[str, float] = {
    "torso": 0.065,
    "head": HEAD_RADIUS,
    "neck": 0.028,
    "upper_arm": 0.028,
    "forearm": 0.024,
    "thigh": 0.042,
    "shin": 0.032,
    "foot": 0.02,
}
# Joint ranges in degrees, keyed like Pose.angles() without the side. The averages are the AAOS
# ones ("Joint Motion: Method of Measuring and Recording", 1965; also tabled in Norkin and White,
# "Measurement of Joint Motion", 5th ed., 2016). Each limit is the average plus MARGIN, because an
# average is not a limit, passive stretches go further than active ones, and our spine and neck
# are single joints standing in for many small ones.
MARGIN = 15.0
AVERAGE_RANGES: dict[str, tuple[float, float]] = {
    "shoulder_flex": (-60, 180),  # extension 60, flexion 180
    "shoulder_abd": (-30, 180),  # abduction 180; AAOS lists no adduction, 30 lets arms fold across
    "shoulder_rot": (-90, 70),  # external 90, internal 70
    "elbow": (0, 150),
    "hip_flex": (-30, 120),
    "hip_abd": (-30, 45),
    "hip_rot": (-45, 45),
    "knee": (0, 135),
    "ankle": (-50, 20),  # plantarflexion 50, dorsiflexion 20
    "spine_flex": (-25, 80),  # thoracolumbar extension 25, flexion 80
    "spine_bend": (-35, 35),
    "spine_twist": (-45, 45),
    "neck_flex": (-45, 45),
    "neck_bend": (-45, 45),
    "neck_turn": (-60, 60),
}
RANGES: dict[str, tuple[float, float]] = {k: (lo - MARGIN, hi + MARGIN) for k, (lo, hi) in AVERAGE_RANGES.items()}


def joint_range(angle_name: str) -> tuple[float, float]:
    """The allowed range for a name from Pose.angles(), e.g. "left_knee" or "neck_flex"."""
    return RANGES[angle_name.removeprefix("left_").removeprefix("right_")]


SOLE_DROP = ANKLE_HEIGHT - RADIUS["foot"]  # the foot's centre line sits this far below the ankle
SHOULDER_DROP = 0.025  # shoulders a little below the neck base leaves a visible neck

# Segments whose length must never change: name -> (from point, to point); limbs use {s} for the side.
BODY_SEGMENTS: dict[str, tuple[str, str]] = {
    "pelvis": ("hip_centre", "waist"),
    "trunk": ("waist", "neck_base"),
    "neck": ("neck_base", "head"),
}
LIMB_SEGMENTS: dict[str, tuple[str, str]] = {
    "upper_arm": ("{s}_shoulder", "{s}_elbow"),
    "forearm": ("{s}_elbow", "{s}_wrist"),
    "thigh": ("{s}_hip", "{s}_knee"),
    "shin": ("{s}_knee", "{s}_ankle"),
    "foot": ("{s}_heel", "{s}_toe"),
}
TORSO_CORNERS = ("torso_ls", "torso_rs", "torso_rw", "torso_rh", "torso_lh", "torso_lw")


def segments() -> dict[str, tuple[str, str]]:
    """Every rigid segment by name, e.g. "right_thigh": ("right_hip", "right_knee")."""
    limbs = {f"{s}_{name}": (a.format(s=s), b.format(s=s)) for s in SIDES for name, (a, b) in LIMB_SEGMENTS.items()}
    return BODY_SEGMENTS | limbs


def segment_length(name: str) -> float:
    """The length a segment must keep in every pose."""
    base = name.removeprefix("left_").removeprefix("right_")
    return {
        "pelvis": PELVIS,
        "trunk": TRUNK,
        "neck": NECK + HEAD_RADIUS,
        "upper_arm": UPPER_ARM,
        "forearm": FOREARM,
        "thigh": THIGH,
        "shin": SHIN,
        "foot": FOOT,
    }[base]


@dataclass(frozen=True)
class Limbs:
    """Joint angles of one side, in degrees. Zero is the anatomical standing position.

    Flexion, abduction and internal rotation are positive, as a goniometer reads them.
    """

    shoulder_flex: float = 0.0
    shoulder_abd: float = 0.0
    shoulder_rot: float = 0.0
    elbow: float = 0.0
    hip_flex: float = 0.0
    hip_abd: float = 0.0
    hip_rot: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0  # dorsiflexion positive, plantarflexion negative


@dataclass(frozen=True)
class Pose:
    """A whole-body pose: where the hips are, how the pelvis lies, and every joint angle.

    `pitch` turns the whole body about its left-right axis: 0 upright, 90 lying on the back
    with the head towards -x, -90 lying face down with the head towards +x. Rolls, bends,
    twists and turns are positive towards the person's right, so mirroring negates them.
    """

    root: Vec = (0.0, HIP_HEIGHT, 0.0)  # the point midway between the hip joints
    pitch: float = 0.0
    roll: float = 0.0  # pelvis about its long axis, as when the knees drop to one side
    spine_flex: float = 0.0
    spine_bend: float = 0.0
    spine_twist: float = 0.0
    neck_flex: float = 0.0
    neck_bend: float = 0.0
    neck_turn: float = 0.0
    tummy_in: float = 0.0  # how far the low tummy is drawn in (of height), as in bracing; no joint
    left: Limbs = field(default_factory=Limbs)
    right: Limbs = field(default_factory=Limbs)

    def limbs(self, side: Side) -> Limbs:
        return self.left if side == "left" else self.right

    def with_limbs(self, side: Side, **angles: float) -> Pose:
        limbs = replace(self.limbs(side), **angles)
        return replace(self, left=limbs) if side == "left" else replace(self, right=limbs)

    def angles(self) -> dict[str, float]:
        """Every joint angle by name: body angles plain, limb angles as "left_knee" and so on."""
        body = {f.name: float(getattr(self, f.name)) for f in fields(self) if f.name not in {"root", "left", "right"}}
        body.pop("pitch")
        body.pop("roll")  # pitch and roll place the whole body; they are not joints
        body.pop("tummy_in")
        for side in SIDES:
            limbs = self.limbs(side)
            body |= {f"{side}_{f.name}": float(getattr(limbs, f.name)) for f in fields(limbs)}
        return body

    def mirrored(self) -> Pose:
        """The same pose with left and right exchanged."""
        x, y, z = self.root
        return replace(
            self,
            root=(x, y, -z),
            roll=-self.roll,
            spine_bend=-self.spine_bend,
            spine_twist=-self.spine_twist,
            neck_bend=-self.neck_bend,
            neck_turn=-self.neck_turn,
            left=self.right,
            right=self.left,
        )


def blend(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction t of the way from a to b, angle by angle (so lengths never change)."""

    def mix(p: float, q: float) -> float:
        return p + (q - p) * t

    def mix_limbs(p: Limbs, q: Limbs) -> Limbs:
        return Limbs(**{f.name: mix(getattr(p, f.name), getattr(q, f.name)) for f in fields(Limbs)})

    plain = {
        f.name: mix(getattr(a, f.name), getattr(b, f.name))
        for f in fields(Pose)
        if f.name not in {"root", "left", "right"}
    }
    root = (mix(a.root[0], b.root[0]), mix(a.root[1], b.root[1]), mix(a.root[2], b.root[2]))
    return Pose(root=root, left=mix_limbs(a.left, b.left), right=mix_limbs(a.right, b.right), **plain)


# --- rotations ------------------------------------------------------------------------------


def _rot(axis: int, degrees: float) -> Mat:
    c, s = cos(radians(degrees)), sin(radians(degrees))
    if axis == 0:
        return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))
    if axis == 1:
        return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _mul(a: Mat, b: Mat) -> Mat:
    def row(i: int) -> Vec:
        r = a[i]
        return (
            r[0] * b[0][0] + r[1] * b[1][0] + r[2] * b[2][0],
            r[0] * b[0][1] + r[1] * b[1][1] + r[2] * b[2][1],
            r[0] * b[0][2] + r[1] * b[1][2] + r[2] * b[2][2],
        )

    return (row(0), row(1), row(2))


def _chain(*mats: Mat) -> Mat:
    return reduce(_mul, mats)


def _at(origin: Vec, frame: Mat, local: Vec) -> Vec:
    """The point `local` (in the frame's own axes) placed in the world."""
    return (
        origin[0] + sum(frame[0][k] * local[k] for k in range(3)),
        origin[1] + sum(frame[1][k] * local[k] for k in range(3)),
        origin[2] + sum(frame[2][k] * local[k] for k in range(3)),
    )


# Each joint turns its segment about the parent's axes: z (left-right) for flexion, x
# (front-back) for abduction and side bends, y (along the segment) for rotations.
def _joint(flex: float, abd: float, rot: float) -> Mat:
    return _chain(_rot(2, flex), _rot(0, abd), _rot(1, rot))


@dataclass(frozen=True)
class Skeleton:
    """Where every joint is in the world, plus the way the pelvis faces."""

    points: dict[str, Vec]
    front: Vec  # unit vector out of the belly


def skeleton(pose: Pose) -> Skeleton:
    pelvis = _chain(_rot(2, pose.pitch), _rot(1, -pose.roll))
    # Spine and neck flexion bend forwards, which is a negative turn about z for an upright segment.
    trunk = _mul(pelvis, _joint(-pose.spine_flex, pose.spine_bend, -pose.spine_twist))
    neck = _mul(trunk, _joint(-pose.neck_flex, pose.neck_bend, -pose.neck_turn))
    hip_centre = pose.root
    waist = _at(hip_centre, pelvis, (0.0, PELVIS, 0.0))
    neck_base = _at(waist, trunk, (0.0, TRUNK, 0.0))
    head_up = NECK + HEAD_RADIUS
    pts: dict[str, Vec] = {
        "hip_centre": hip_centre,
        "waist": waist,
        "neck_base": neck_base,
        "head": _at(neck_base, neck, (0.0, head_up, 0.0)),
        "nose": _at(neck_base, neck, (HEAD_RADIUS, head_up, 0.0)),
    }
    # The torso outline: shoulders and hips inset by the torso radius, so the drawn stroke
    # reaches the real shoulder and hip widths in front and top views.
    sh = SHOULDER_WIDTH / 2 - RADIUS["torso"]
    hw = HIP_SPACING / 2
    for prefix, s in (("l", -1.0), ("r", 1.0)):
        pts[f"torso_{prefix}s"] = _at(neck_base, trunk, (0.0, -SHOULDER_DROP, s * sh))
        pts[f"torso_{prefix}w"] = _at(waist, pelvis, (0.0, 0.0, s * hw))
        pts[f"torso_{prefix}h"] = _at(hip_centre, pelvis, (0.0, 0.0, s * hw))
    for side in SIDES:
        s = -1.0 if side == "left" else 1.0
        pts |= _limb(side, s, pose.limbs(side), trunk, pelvis, neck_base, hip_centre)
    return Skeleton(points=pts, front=_at((0.0, 0.0, 0.0), pelvis, (1.0, 0.0, 0.0)))


def _limb(side: str, s: float, a: Limbs, trunk: Mat, pelvis: Mat, neck_base: Vec, hip_centre: Vec) -> dict[str, Vec]:
    """One side's arm and leg. `s` is +1 for right, -1 for left: abduction and rotation mirror."""
    shoulder = _at(neck_base, trunk, (0.0, -SHOULDER_DROP, s * SHOULDER_WIDTH / 2))
    upper = _mul(trunk, _joint(a.shoulder_flex, -s * a.shoulder_abd, s * a.shoulder_rot))
    elbow = _at(shoulder, upper, (0.0, -UPPER_ARM, 0.0))
    wrist = _at(elbow, _mul(upper, _rot(2, a.elbow)), (0.0, -FOREARM, 0.0))
    hip = _at(hip_centre, pelvis, (0.0, 0.0, s * HIP_SPACING / 2))
    thigh = _mul(pelvis, _joint(a.hip_flex, -s * a.hip_abd, s * a.hip_rot))
    knee = _at(hip, thigh, (0.0, -THIGH, 0.0))
    shin = _mul(thigh, _rot(2, -a.knee))  # the knee bends backwards
    ankle = _at(knee, shin, (0.0, -SHIN, 0.0))
    foot = _mul(shin, _rot(2, a.ankle))
    return {
        f"{side}_shoulder": shoulder,
        f"{side}_elbow": elbow,
        f"{side}_wrist": wrist,
        f"{side}_hip": hip,
        f"{side}_knee": knee,
        f"{side}_ankle": ankle,
        f"{side}_heel": _at(ankle, foot, (-HEEL_BACK, -SOLE_DROP, 0.0)),
        f"{side}_toe": _at(ankle, foot, (FOOT - HEEL_BACK, -SOLE_DROP, 0.0)),
    }


class View(StrEnum):
    side = "side"  # from the person's right
    top = "top"  # from above, head to the left when lying on the back
    front = "front"  # facing the person


def project(p: Vec, view: View) -> tuple[float, float, float]:
    """A world point as (across, up, nearness) for an orthographic view."""
    x, y, z = p
    if view is View.side:
        return (x, y, z)
    if view is View.top:
        return (x, -z, y)
    return (-z, y, x)  # facing someone, their right hand is on your left
