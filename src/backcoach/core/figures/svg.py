"""Draw figures as small self-contained SVG: one pose, or all key poses animated in one image.

The style is a rounded pictogram: thick strokes with round caps, a head circle, near limbs
strong and far limbs pale, the working part in an accent colour. Colours come from CSS
variables with a dark-mode variant, so the same SVG reads on light and dark pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from html import escape
from itertools import pairwise
from math import cos, hypot, radians, sin

from backcoach.core.figures.body import Pose, Vec, View, blend, project
from backcoach.core.figures.figure import Figure, Move
from backcoach.core.figures.props import BARS, WHEELS, Prop
from backcoach.core.figures.shapes import Shape, body_shapes

SCALE = 100.0  # SVG units per body height: one decimal place is then a millimetre at 1 m
MARGIN = 0.06
HALO = 0.012  # the gap drawn round a limb where it crosses the body
STEPS = 4  # in-between frames per move, blended by angle so limbs keep their length
HEAD = 0.045  # an arrow's chevron: the length of each barb
BARB = 32.0  # degrees between a barb and the shaft
Point = tuple[float, float]
Box = tuple[float, float, float, float]
# Colours by name: the light ones, and those that change in dark mode.
LIGHT = {
    "body": "#2f6db5",
    "far": "#8fb0da",
    "accent": "#e07020",
    "fa": "#f2b07a",  # the accent on a far limb
    "floor": "#8b93a1",
    "prop": "#c89b5a",
    "bike": "#6b7280",
    "halo": "#fff",
}
DARK = {"body": "#79adf0", "far": "#3d5f8f", "fa": "#9a5426", "floor": "#6b7280", "bike": "#9ca3af", "halo": "#1b1d21"}
RULES = (
    ".bc .h{stroke:var(--halo);fill:var(--halo)}"
    ".bc .b{stroke:var(--body);fill:var(--body)}.bc .f{stroke:var(--far);fill:var(--far)}"
    ".bc .a{stroke:var(--accent);fill:var(--accent)}.bc .af{stroke:var(--fa);fill:var(--fa)}"
    ".bc .b,.bc .f,.bc .a,.bc .af,.bc .h,.bc .l,.bc .ar,.bc .aw{stroke-linecap:round;stroke-linejoin:round}"
    ".bc .n{stroke:none}.bc .gap{fill:var(--fa)}"
    ".bc .ar,.bc .aw{fill:none;stroke:var(--accent);stroke-width:1.8}.bc .aw{stroke:var(--halo);stroke-width:4.2}"
    ".bc .l{fill:none}.bc .fl{stroke:var(--floor);stroke-width:1.2}.bc .mat{fill:var(--floor);opacity:.15}"
    ".bc .cushion{fill:#e7b95b}.bc .book{fill:#c8553d}.bc .seat,.bc .panel{fill:var(--prop)}"
    ".bc .bar{stroke:var(--prop);stroke-width:2.4}.bc .wheel{fill:none;stroke:var(--bike);stroke-width:2}"
    ".bc .ring{fill:none;stroke:var(--bike);stroke-width:.8;stroke-dasharray:2 2}"
    ".bc .water{fill:#3aa0d8;opacity:.3}.bc .surface{stroke:#3aa0d8;stroke-width:1.5}"
)


def _names(colours: dict[str, str]) -> str:
    return ";".join(f"--{name}:{value}" for name, value in colours.items())


# On screen the colours are CSS variables, so the same SVG follows the page into dark mode.
STYLE = f".bc{{{_names(LIGHT)}}}@media (prefers-color-scheme:dark){{.bc{{{_names(DARK)}}}}}{RULES}"
# A PDF renderer may not know CSS variables (WeasyPrint draws them black), so print spells them out.
PRINT_STYLE = re.sub(r"var\(--(\w+)\)", lambda m: LIGHT[m.group(1)], RULES)


def _prop_svg(prop: Prop, view: View) -> str:
    corners = [
        project((x, y, z), view)
        for x in (prop.low[0], prop.high[0])
        for y in (prop.low[1], prop.high[1])
        for z in (prop.low[2], prop.high[2])
    ]
    if prop.kind in BARS:
        a, b = project(prop.low, view), project(prop.high, view)
        return f'<line class="{prop.kind}" x1="{_n(a[0])}" y1="{_n(-a[1])}" x2="{_n(b[0])}" y2="{_n(-b[1])}"/>'
    x0, x1 = min(c[0] for c in corners), max(c[0] for c in corners)
    y0, y1 = min(c[1] for c in corners), max(c[1] for c in corners)
    if prop.kind in WHEELS:
        cx, cy, rx, ry = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
        return f'<ellipse class="{prop.kind}" cx="{_n(cx)}" cy="{_n(-cy)}" rx="{_n(rx)}" ry="{_n(ry)}"/>'
    rounded = {"cushion": 0.02, "book": 0.004}.get(prop.kind, 0.006)
    rect = (
        f'<rect class="{prop.kind}" x="{_n(x0)}" y="{_n(-y1)}" width="{_n(x1 - x0)}" height="{_n(y1 - y0)}"'
        f' rx="{_n(rounded)}"/>'
    )
    if prop.kind == "water":  # a firm line at the surface, so the water depth reads at a glance
        rect += f'<line class="surface" x1="{_n(x0)}" y1="{_n(-y1)}" x2="{_n(x1)}" y2="{_n(-y1)}"/>'
    return rect


def _n(value: float) -> str:
    """A coordinate in SVG units, short: 12.3 rather than 12.300000001."""
    text = f"{value * SCALE:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _bounds(figure: Figure, frames: list[list[Shape]], arrows: list[Arrow]) -> Box:
    xs: list[float] = []
    ys: list[float] = []
    for shapes in frames:
        for s in shapes:
            pad = s.width if s.kind == "circle" else s.width / 2
            xs += [p[0] - pad for p in s.points] + [p[0] + pad for p in s.points]
            ys += [p[1] - pad for p in s.points] + [p[1] + pad for p in s.points]
    for points, _ in arrows:
        xs += [p[0] for p in points]
        ys += [p[1] for p in points]
    for prop in figure.props:
        for corner in (prop.low, prop.high):
            x, y, _ = project(corner, figure.view)
            xs.append(x)
            ys.append(y)
    if figure.view is not View.top:
        ys.append(0.0)  # always show the floor
    return min(xs) - MARGIN, min(ys) - MARGIN, max(xs) + MARGIN, max(ys) + MARGIN


def _ground(figure: Figure, box: Box) -> str:
    x0, y0, x1, y1 = box
    if figure.view is View.top:  # from above the floor is a mat under someone lying; a chair stands on it
        if any(p.kind == "seat" for p in figure.props):
            return ""
        inset = MARGIN / 2
        return (
            f'<rect class="mat" x="{_n(x0 + inset)}" y="{_n(-(y1 - inset))}" width="{_n(x1 - x0 - 2 * inset)}"'
            f' height="{_n(y1 - y0 - 2 * inset)}" rx="{_n(0.02)}"/>'
        )
    return f'<line class="fl" x1="{_n(x0)}" y1="0" x2="{_n(x1)}" y2="0"/>'


def _open(box: Box, title: str, desc: str, px: float, style: str = STYLE) -> str:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bc" viewBox="{_n(x0)} {_n(-y1)} {_n(w)} {_n(h)}"'
        f' width="{w * px:.0f}" height="{h * px:.0f}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc><style>{style}</style>"
    )


def _shape_svg(shape: Shape, animate: str = "") -> str:
    if shape.kind == "circle":
        (x, y), r = shape.points[0], shape.width
        return f'<circle class="{shape.cls}" cx="{_n(x)}" cy="{_n(-y)}" r="{_n(r)}">{animate}</circle>'
    if shape.kind == "fill":
        return f'<path class="{shape.cls} n" d="{_d(shape)}">{animate}</path>'
    extra = "" if shape.kind == "poly" else " l"
    return f'<path class="{shape.cls}{extra}" d="{_d(shape)}" stroke-width="{_n(shape.width)}">{animate}</path>'


def _d(shape: Shape) -> str:
    return "M" + "L".join(f"{_n(x)} {_n(-y)}" for x, y in shape.points) + ("" if shape.kind == "line" else "Z")


Animate = Callable[[str, list[str]], str]


def _draw(frames: list[list[Shape]], animate: Animate | None = None) -> str:
    """The body as SVG, far things first. With several frames each shape moves through them,
    layered as in the first. A limb's halos all go under the limb, so its joints show no seams."""
    first = frames[0]
    order = sorted(range(len(first)), key=lambda i: first[i].depth)  # stable: ties keep the fixed order
    groups: list[list[int]] = []
    for i in order:
        last = first[groups[-1][0]] if groups else None
        if last is not None and last.halo and first[i].halo and last.depth == first[i].depth:
            groups[-1].append(i)
        else:
            groups.append([i])
    out = []
    for group in groups:
        out += [_element(frames, i, animate, halo=True) for i in group if first[i].halo]
        out += [_element(frames, i, animate) for i in group]
    return "".join(out)


def _element(frames: list[list[Shape]], i: int, animate: Animate | None, halo: bool = False) -> str:
    shape = frames[0][i]
    if halo:  # a circle's width is its radius
        shape = replace(shape, cls="h", width=shape.width + (HALO if shape.kind == "circle" else 2 * HALO))
    if animate is None:
        return _shape_svg(shape)
    if shape.kind == "circle":
        xs = [_n(f[i].points[0][0]) for f in frames]
        ys = [_n(-f[i].points[0][1]) for f in frames]
        return _shape_svg(shape, animate("cx", xs) + animate("cy", ys))
    return _shape_svg(shape, animate("d", [_d(f[i]) for f in frames]))


# --- arrows --------------------------------------------------------------------------------------


def arrow_points(arrow: tuple[Vec, ...], view: View) -> list[Point]:
    """An arrow's path in the view, without points that would draw nothing."""
    points: list[Point] = []
    for p in arrow:
        x, y, _ = project(p, view)
        if not points or hypot(x - points[-1][0], y - points[-1][1]) > 0.004:
            points.append((x, y))
    return points


def _chevron(points: list[Point]) -> str:
    """The two barbs of a head at the last point of `points`, as path data."""
    tip = points[-1]
    back = next((p for p in reversed(points[:-1]) if hypot(tip[0] - p[0], tip[1] - p[1]) >= HEAD / 2), points[0])
    heading = (tip[0] - back[0], tip[1] - back[1])
    length = hypot(*heading)
    ux, uy = heading[0] / length, heading[1] / length

    def barb(turn: float) -> str:
        c, s = cos(radians(turn)), sin(radians(turn))
        return _xy((tip[0] - HEAD * (c * ux - s * uy), tip[1] - HEAD * (s * ux + c * uy)))

    return f"M{barb(BARB)}L{_xy(tip)}L{barb(-BARB)}"


def _xy(p: Point) -> str:
    return f"{_n(p[0])} {_n(-p[1])}"


def _arrow_svg(points: list[Point], both_ways: bool = False) -> str:
    """A shaft along the path and a chevron at its end (and start, for a rock), over a
    background-coloured outline so it reads where it crosses the body."""
    d = "M" + "L".join(_xy(p) for p in points) + _chevron(points) + (_chevron(points[::-1]) if both_ways else "")
    return f'<path class="aw" d="{d}"/><path class="ar" d="{d}"/>'


Arrow = tuple[list[Point], bool]  # the path in the view, and whether it points both ways


def _arrows(figure: Figure, moves: tuple[Move, ...]) -> list[Arrow]:
    return [(arrow_points(m.arrow, figure.view), m.both_ways) for m in moves if len(m.arrow) >= 2]


def _layers(figure: Figure, body: str, arrows: list[Arrow], box: Box) -> str:
    behind = "".join(_prop_svg(p, figure.view) for p in figure.props if p.kind != "water")
    over = "".join(_prop_svg(p, figure.view) for p in figure.props if p.kind == "water")
    pointers = "".join(_arrow_svg(points, both) for points, both in arrows)
    return _ground(figure, box) + behind + body + over + pointers + "</svg>"


# --- whole figures -------------------------------------------------------------------------------


def pose_shapes(figure: Figure, index: int) -> list[Shape]:
    """The shapes of one key pose, its moving parts in the accent colour."""
    return body_shapes(figure.poses[index].pose, figure.view, figure.accent(index))


def pose_svg(figure: Figure, index: int, title: str = "", px: float = 160.0, for_print: bool = False) -> str:
    """One key pose as a standalone SVG, with an arrow for each move it starts, passes through or
    ends. The view box fits every pose and arrow of the figure, so a row of them lines up and
    the floor stays put. `for_print` spells the colours out, for a PDF renderer."""
    key = figure.poses[index]
    frames = [pose_shapes(figure, i) for i in range(len(figure.poses))]
    box = _bounds(figure, frames, _arrows(figure, figure.moves))
    words = title or f"{key.label.capitalize()}: {key.says}"
    head = _open(box, words, _describe(figure, index), px, PRINT_STYLE if for_print else STYLE)
    return head + _layers(figure, _draw([frames[index]]), _arrows(figure, figure.moves_at(index)), box)


def _describe(figure: Figure, index: int | None = None) -> str:
    """The picture in words: the pose (or every pose, in order), the view, and each move shown."""
    if index is None:
        says = " then ".join(k.says.lower() for k in figure.poses)
        says = says[:1].upper() + says[1:]
    else:
        says = figure.poses[index].says
    side = f", {figure.side} side working" if figure.side else ""
    moves = figure.moves if index is None else figure.moves_at(index)
    arrows = [
        f"{figure.poses[m.start].says.lower()}, to {figure.poses[m.end].says.lower()}{', and back' * m.both_ways}"
        for m in moves
        if m.arrow
    ]
    shown = " An arrow in the same colour as the moving part shows the way it goes: from " if arrows else ""
    return f"{says}. Seen from the {figure.view}{side}.{shown}{'; and from '.join(arrows)}{'.' if arrows else ''}"


def _timeline(figure: Figure) -> tuple[list[Pose], list[float]]:
    """Poses to pass through and when (0 to 1). A movement goes there, holds, and comes back;
    a loop goes round at an even pace."""
    keys = [k.pose for k in figure.poses]
    if figure.loop:
        stops = [*keys, keys[0]]
        marks = [i / (len(stops) - 1) for i in range(len(stops))]
    else:
        moves = len(keys) - 1
        stops = keys + keys[-1:] + keys[-2::-1]
        out = [0.35 * i / moves for i in range(len(keys))]
        marks = out + [0.65] + [1.0 - m for m in out[-2::-1]]
    poses, times = [stops[0]], [marks[0]]
    for (a, ta), (b, tb) in pairwise(zip(stops, marks, strict=True)):
        steps = 1 if a == b else STEPS
        for i in range(1, steps + 1):
            poses.append(blend(a, b, i / steps))
            times.append(ta + (tb - ta) * i / steps)
    return poses, times


def animated_svg(figure: Figure, dur: float = 4.0, title: str = "", px: float = 160.0) -> str:
    """Every key pose in one SVG, each joint moving between them with SMIL <animate>, and every
    move's arrow standing still over it.

    `dur` is one whole cycle in seconds, so a player can match it to a rep or a hold.
    """
    poses, times = _timeline(figure)
    accent = figure.accent()
    frames = [body_shapes(p, figure.view, accent) for p in poses]
    arrows = _arrows(figure, figure.moves)
    box = _bounds(figure, frames, arrows)
    key_times = ";".join(f"{t:.3f}" for t in times)
    head = _open(box, title or f"{figure.exercise_id.replace('-', ' ').capitalize()}, moving", _describe(figure), px)

    def anim(attr: str, values: list[str]) -> str:
        return (
            f'<animate attributeName="{attr}" dur="{dur:g}s" repeatCount="indefinite"'
            f' keyTimes="{key_times}" values="{";".join(values)}"/>'
        )

    return head + _layers(figure, _draw(frames, anim), arrows, box)
