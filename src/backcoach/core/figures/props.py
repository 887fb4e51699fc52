"""Props the figures use: cushion, book, chair, bicycle and pool, as simple 3D shapes.

A prop is a box (cushion, book, seat), a bar (a line between two points) or a wheel (the
ellipse inside its box). Boxes and bars project to rectangles and lines in any view.
"""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.core.figures.body import Vec

# Every other kind is a box: cushion, book, seat, panel (a chair back) and water.
BARS = {"bar"}
WHEELS = {"wheel", "ring"}


@dataclass(frozen=True)
class Prop:
    kind: str  # a box, one of BARS or one of WHEELS; "seat" is what a sitting pelvis must rest on
    low: Vec  # a box's low corner, or a bar's first end
    high: Vec

    def mirrored(self) -> Prop:
        return Prop(self.kind, (self.low[0], self.low[1], -self.low[2]), (self.high[0], self.high[1], -self.high[2]))


# Under the head of someone lying on the back with the hips at x = 0 (the head is near x = -0.4).
CUSHION = Prop("cushion", (-0.5, 0.0, -0.11), (-0.31, 0.035, 0.11))
BOOK = Prop("book", (-0.47, 0.0, -0.09), (-0.33, 0.022, 0.09))


def chair(seat: float, front: float = 0.13) -> tuple[Prop, ...]:
    """A plain chair whose seat top is `seat` high; the sitter's hips are at x = 0."""
    back, half = -0.14, 0.14
    legs = tuple(
        Prop("bar", (x, 0.0, z), (x, seat - 0.03, z)) for x in (back + 0.01, front - 0.01) for z in (-0.12, 0.12)
    )
    return (
        *legs,
        Prop("panel", (back - 0.02, seat, -half), (back, seat + 0.3, half)),
        Prop("seat", (back, seat - 0.03, -half), (front, seat, half)),
    )


def bicycle(saddle: Vec, crank: Vec, bars: Vec, crank_length: float) -> tuple[Prop, ...]:
    """A bicycle drawn round three fixed points: saddle top, crank axle and handlebar grips."""
    wheel = 0.2
    rear = (crank[0] - 0.3, wheel, 0.0)
    front = (bars[0] + 0.14, wheel, 0.0)
    head = (bars[0] - 0.04, bars[1] - 0.1, 0.0)
    seat_post = (saddle[0], saddle[1] - 0.03, 0.0)

    def ring(kind: str, c: Vec, r: float) -> Prop:
        return Prop(kind, (c[0] - r, c[1] - r, -0.01), (c[0] + r, c[1] + r, 0.01))

    frame = [(crank, seat_post), (crank, rear), (seat_post, rear), (crank, head), (seat_post, head), (head, front)]
    return (
        ring("wheel", rear, wheel),
        ring("wheel", front, wheel),
        *(Prop("bar", a, b) for a, b in frame),
        Prop("bar", head, (bars[0], bars[1], 0.0)),
        ring("ring", crank, crank_length),
        Prop("seat", (saddle[0] - 0.07, saddle[1] - 0.03, -0.05), (saddle[0] + 0.05, saddle[1], 0.05)),
    )


def pool(depth: float) -> tuple[Prop, ...]:
    """Water `depth` deep around someone standing at x = 0; drawn over the body, see-through."""
    return (Prop("water", (-0.55, 0.0, -0.4), (0.55, depth, 0.4)),)
