"""What a figure of an exercise is: key poses, the moves between them, the view that shows them
best, props and the working side.

Each figure shows one side working (the side the catalogue's steps start with, or the right);
`Figure.mirrored()` gives the other side. Contacts say what rests on what in each pose, so the
checks can hold the drawing to the words. Each move names the part that moves (drawn in the
accent colour) and carries the path of an arrow that shows which way it goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from backcoach.core.figures.body import Pose, Side, Vec, View
from backcoach.core.figures.props import Prop


def swap_sides(text: str) -> str:
    """Exchange "left" and "right", keeping capitals, also inside names like "left_foot" (so not
    a \\b match: "_" counts as part of a word)."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        other = "right" if word.lower() == "left" else "left"
        return other.capitalize() if word[0].isupper() else other

    return re.sub(r"(?<![a-z])(left|right)(?![a-z])", swap, text, flags=re.IGNORECASE)


@dataclass(frozen=True)
class KeyPose:
    """One moment of an exercise.

    `contacts` name what rests on a surface: "back", "front", "hands", "knees", "feet",
    "left_foot", "right_foot" (on the floor) or "seat".
    """

    label: str
    says: str
    pose: Pose
    contacts: tuple[str, ...]

    def mirrored(self) -> KeyPose:
        return replace(
            self,
            says=swap_sides(self.says),
            pose=self.pose.mirrored(),
            contacts=tuple(swap_sides(c) for c in self.contacts),
        )


def leg(side: Side) -> tuple[str, ...]:
    """The segments of one whole leg, as a move's parts."""
    return (f"{side}_thigh", f"{side}_shin", f"{side}_foot")


def arm(side: Side) -> tuple[str, ...]:
    return (f"{side}_upper_arm", f"{side}_forearm")


LEGS = leg("left") + leg("right")
THIGHS, SHINS = ("left_thigh", "right_thigh"), ("left_shin", "right_shin")


@dataclass(frozen=True)
class Move:
    """What moves from key pose `start` to key pose `end` (through any poses between).

    `parts` are drawn in the accent colour in those poses: a segment ("right_thigh"), "neck",
    "tummy", "chest", "lower_back", "shoulders" or "back_gap" (the space under the lower back,
    shaded). `arrow` is the way the arrow runs,
    in world points from where the move starts to where it ends (see `motion`); a rock to and
    fro (`both_ways`) has a head at each end.
    """

    start: int
    end: int
    parts: tuple[str, ...]
    arrow: tuple[Vec, ...]
    both_ways: bool = False

    def covers(self, index: int) -> bool:
        return self.start <= index <= self.end

    def mirrored(self) -> Move:
        return replace(
            self,
            parts=tuple(swap_sides(p) for p in self.parts),
            arrow=tuple((x, y, -z) for x, y, z in self.arrow),
        )


@dataclass(frozen=True)
class Figure:
    exercise_id: str
    view: View
    poses: tuple[KeyPose, ...]
    moves: tuple[Move, ...] = ()
    props: tuple[Prop, ...] = ()
    side: Side | None = None  # the side shown working; None when both sides work together
    loop: bool = False  # a repeating movement (walking, pedalling): play it round, not there and back

    def mirrored(self) -> Figure:
        """The other side: left and right exchanged in every pose, prop and word."""
        other: Side | None = None if self.side is None else ("left" if self.side == "right" else "right")
        return replace(
            self,
            poses=tuple(k.mirrored() for k in self.poses),
            moves=tuple(m.mirrored() for m in self.moves),
            props=tuple(p.mirrored() for p in self.props),
            side=other,
        )

    def ends(self) -> tuple[int, int]:
        """The key poses a page shows side by side: the start, and where the movement ends up."""
        return (0, len(self.poses) - 1)

    def moves_at(self, index: int) -> tuple[Move, ...]:
        """The moves that key pose `index` starts, passes through or ends."""
        return tuple(m for m in self.moves if m.covers(index))

    def accent(self, index: int | None = None) -> tuple[str, ...]:
        """What is drawn in the accent colour in one key pose, or (None) all the way through."""
        moves = self.moves if index is None else self.moves_at(index)
        return tuple(dict.fromkeys(p for m in moves for p in m.parts))
