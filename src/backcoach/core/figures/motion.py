"""Which way things move: the paths the figures' arrows run along, in world points.

An arrow either follows a point of the body through the key poses of one move, pushed a little
clear of the body so it runs beside the limb rather than over it (`follow`); or turns round a
centre (`turn`), for a rock or a twist whose true path is too short to see; or runs straight
(`straight`), for a way to go (walking) or a squeeze (the tummy drawn in).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from math import cos, radians, sin

from backcoach.core.figures.body import Pose, Skeleton, Vec, blend, skeleton

SAMPLES = 8  # points per step between two key poses: enough for a smooth curve at phone size


def _unit(v: Vec) -> Vec:
    length = sum(c * c for c in v) ** 0.5
    return (v[0] / length, v[1] / length, v[2] / length)


UPPER_BODY = {"neck_base", "left_shoulder", "right_shoulder"}


def _front(sk: Skeleton, point: str) -> Vec:
    """The way out of the front of the body at `point`: the pelvis's, or for the upper body the
    trunk's (square to the spine from waist to neck, which bends away from the pelvis)."""
    f = sk.front
    if point not in UPPER_BODY:
        return f
    w, n = sk.points["waist"], sk.points["neck_base"]
    u = _unit((n[0] - w[0], n[1] - w[1], n[2] - w[2]))
    dot = f[0] * u[0] + f[1] * u[1] + f[2] * u[2]
    return _unit((f[0] - dot * u[0], f[1] - dot * u[1], f[2] - dot * u[2]))


def cleared(sk: Skeleton, point: str, away: str, clear: float) -> Vec:
    """`point` pushed `clear` further from `away`: another joint (the one it turns round), or
    "front" (out of the belly or chest), "back", "up" or "right" (the person's right)."""
    p = sk.points[point]
    if away in ("up", "right"):
        direction: Vec = (0.0, 1.0, 0.0) if away == "up" else (0.0, 0.0, 1.0)
    elif away in ("front", "back"):
        sign = 1.0 if away == "front" else -1.0
        f = _front(sk, point)
        direction = (sign * f[0], sign * f[1], sign * f[2])
    else:
        q = sk.points[away]
        direction = _unit((p[0] - q[0], p[1] - q[1], p[2] - q[2]))
    return (p[0] + clear * direction[0], p[1] + clear * direction[1], p[2] + clear * direction[2])


def follow(poses: Sequence[Pose], point: str, away: str, clear: float = 0.05) -> tuple[Vec, ...]:
    """The path `point` takes through `poses` (one move's key poses, in order), blended angle by
    angle as the animation blends them, and pushed clear of the body (see `cleared`)."""
    path = [cleared(skeleton(poses[0]), point, away, clear)]
    for a, b in pairwise(poses):
        path += [cleared(skeleton(blend(a, b, i / SAMPLES)), point, away, clear) for i in range(1, SAMPLES + 1)]
    return tuple(path)


def turn(centre: Vec, radius: float, start: float, end: float, plane: str = "side") -> tuple[Vec, ...]:
    """An arc round `centre` from angle `start` to `end` (degrees). In the "side" plane 0 points
    forward (+x) and 90 up; in the "level" plane (seen from above) 0 points forward and 90 to
    the person's left, so a turn to the left runs anticlockwise from above."""
    cx, cy, cz = centre
    steps = max(2, round(abs(end - start) / 10))
    path = []
    for i in range(steps + 1):
        a = radians(start + (end - start) * i / steps)
        if plane == "side":
            path.append((cx + radius * cos(a), cy + radius * sin(a), cz))
        else:
            path.append((cx + radius * cos(a), cy, cz - radius * sin(a)))
    return tuple(path)


def straight(start: Vec, end: Vec) -> tuple[Vec, ...]:
    return (start, end)
