"""What a figure of an exercise is: key poses, the view that shows them best, props and the working side.

Each figure shows one side working (the side the catalogue's steps start with, or the right);
`Figure.mirrored()` gives the other side. Contacts say what rests on what in each pose, so the
checks can hold the drawing to the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from backcoach.core.figures.body import Pose, Side, View
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
    "left_foot", "right_foot" (on the floor) or "seat". `highlight` names what is drawn in
    the accent colour, being what works or stretches: a segment ("right_thigh"), "neck" or "tummy".
    """

    label: str
    says: str
    pose: Pose
    contacts: tuple[str, ...]
    highlight: tuple[str, ...] = ()

    def mirrored(self) -> KeyPose:
        return replace(
            self,
            says=swap_sides(self.says),
            pose=self.pose.mirrored(),
            contacts=tuple(swap_sides(c) for c in self.contacts),
            highlight=tuple(swap_sides(h) for h in self.highlight),
        )


@dataclass(frozen=True)
class Figure:
    exercise_id: str
    view: View
    poses: tuple[KeyPose, ...]
    props: tuple[Prop, ...] = ()
    side: Side | None = None  # the side shown working; None when both sides work together
    loop: bool = False  # a repeating movement (walking, pedalling): play it round, not there and back

    def mirrored(self) -> Figure:
        """The other side: left and right exchanged in every pose, prop and word."""
        other: Side | None = None if self.side is None else ("left" if self.side == "right" else "right")
        return replace(
            self,
            poses=tuple(k.mirrored() for k in self.poses),
            props=tuple(p.mirrored() for p in self.props),
            side=other,
        )
