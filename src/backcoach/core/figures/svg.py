"""Draw figures as small self-contained SVG: one pose, or all key poses animated in one image.

The style is a rounded pictogram: thick strokes with round caps, a head circle, near limbs
strong and far limbs pale, the working part in an accent colour. Colours come from CSS
variables with a dark-mode variant, so the same SVG reads on light and dark pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from html import escape
from itertools import pairwise

from backcoach.core.figures.body import RADIUS, SIDES, TORSO_CORNERS, Pose, Skeleton, View, blend, project, skeleton
from backcoach.core.figures.figure import Figure
from backcoach.core.figures.props import BARS, WHEELS, Prop

SCALE = 100.0  # SVG units per body height: one decimal place is then a millimetre at 1 m
MARGIN = 0.06
HALO = 0.012  # the gap drawn round a limb where it crosses the body
STEPS = 4  # in-between frames per move, blended by angle so limbs keep their length
STYLE = (
    ".bc{--body:#2f6db5;--far:#8fb0da;--accent:#e07020;--floor:#8b93a1;--prop:#c89b5a;--bike:#6b7280;--halo:#fff}"
    "@media (prefers-color-scheme:dark){.bc{--body:#79adf0;--far:#3d5f8f;--floor:#6b7280;--bike:#9ca3af;"
    "--halo:#1b1d21}}.bc .h{stroke:var(--halo);fill:var(--halo)}"
    ".bc .b{stroke:var(--body);fill:var(--body)}.bc .f{stroke:var(--far);fill:var(--far)}"
    ".bc .a{stroke:var(--accent);fill:var(--accent)}"
    ".bc .b,.bc .f,.bc .a,.bc .h,.bc .l{stroke-linecap:round;stroke-linejoin:round}"
    ".bc .l{fill:none}.bc .fl{stroke:var(--floor);stroke-width:1.2}.bc .mat{fill:var(--floor);opacity:.15}"
    ".bc .cushion{fill:#e7b95b}.bc .book{fill:#c8553d}.bc .seat,.bc .panel{fill:var(--prop)}"
    ".bc .bar{stroke:var(--prop);stroke-width:2.4}.bc .wheel{fill:none;stroke:var(--bike);stroke-width:2}"
    ".bc .ring{fill:none;stroke:var(--bike);stroke-width:.8;stroke-dasharray:2 2}"
    ".bc .water{fill:#3aa0d8;opacity:.3}.bc .surface{stroke:#3aa0d8;stroke-width:1.5}"
)


@dataclass(frozen=True)
class Shape:
    """One drawn element in view coordinates (x right, y up), before it becomes SVG."""

    kind: str  # "line" (a stroked polyline), "poly" (a filled, stroked outline) or "circle"
    cls: str
    points: tuple[tuple[float, float], ...]
    width: float  # stroke width, or the radius for circles
    depth: float
    halo: bool = False  # drawn over a background-coloured outline, so it stands out from the torso


def _body_shapes(pose: Pose, view: View, highlight: tuple[str, ...]) -> list[Shape]:
    """Every shape of the body, in a fixed order (so frame i of an animation matches frame 0)."""
    sk = skeleton(pose)

    def at(name: str) -> tuple[float, float, float]:
        return project(sk.points[name], view)

    def line(names: tuple[str, ...], cls: str, radius: float, kind: str = "line") -> Shape:
        pts = [at(n) for n in names]
        return Shape(kind, cls, tuple((p[0], p[1]) for p in pts), 2 * radius, sum(p[2] for p in pts) / len(pts))

    head = at("head")
    shapes = [
        line(TORSO_CORNERS, "b", RADIUS["torso"], "poly"),
        line(("neck_base", "head"), "a" if "neck" in highlight else "b", RADIUS["neck"]),
        Shape("circle", "b", (at("nose")[:2],), 0.018, head[2] + 0.001),
        Shape("circle", "b", (head[:2],), RADIUS["head"], head[2] + 0.002),
    ]
    if "tummy" in highlight:
        shapes.append(_raised(_tummy(sk, view), 0.01))
    for side in SIDES:
        shapes += _limb(side, "arm", highlight, line, view)
        shapes += _limb(side, "leg", highlight, line, view)
    return shapes


LIMB_PARTS = {
    "arm": (("upper_arm", ("shoulder", "elbow")), ("forearm", ("elbow", "wrist"))),
    # The foot is a heel-ankle-toe wedge, so a pointed foot still reads as a foot.
    "leg": (("thigh", ("hip", "knee")), ("shin", ("knee", "ankle")), ("foot", ("heel", "ankle", "toe"))),
}


def _limb(side: str, limb: str, highlight: tuple[str, ...], line: Callable[..., Shape], view: View) -> list[Shape]:
    """One arm or leg. Its segments share a depth so they layer as one piece."""
    parts = [line(tuple(f"{side}_{n}" for n in names), "b", RADIUS[seg]) for seg, names in LIMB_PARTS[limb]]
    depth = sum(p.depth for p in parts) / len(parts)
    far = view is View.side and depth < 0  # the left side is the far side in side views
    shapes = []
    for (seg, _), part in zip(LIMB_PARTS[limb], parts, strict=True):
        cls = "a" if f"{side}_{seg}" in highlight else ("f" if far else "b")
        kind = "poly" if seg == "foot" else "line"
        shapes.append(Shape(kind, cls, part.points, part.width, depth, halo=True))
    return shapes


def _raised(shape: Shape, by: float) -> Shape:
    return Shape(shape.kind, shape.cls, shape.points, shape.width, shape.depth + by)


def _tummy(sk: Skeleton, view: View) -> Shape:
    """A short accent stroke along the front of the lower belly."""
    f = sk.front
    out = RADIUS["torso"] * 0.6
    pts = []
    for name in ("hip_centre", "waist"):
        x, y, z = sk.points[name]
        pts.append(project((x + f[0] * out, y + f[1] * out, z + f[2] * out), view))
    return Shape("line", "a", tuple((p[0], p[1]) for p in pts), 0.045, max(p[2] for p in pts))


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


def _bounds(figure: Figure, frames: list[list[Shape]]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for shapes in frames:
        for s in shapes:
            pad = s.width if s.kind == "circle" else s.width / 2
            xs += [p[0] - pad for p in s.points] + [p[0] + pad for p in s.points]
            ys += [p[1] - pad for p in s.points] + [p[1] + pad for p in s.points]
    for prop in figure.props:
        for corner in (prop.low, prop.high):
            x, y, _ = project(corner, figure.view)
            xs.append(x)
            ys.append(y)
    if figure.view is not View.top:
        ys.append(0.0)  # always show the floor
    return min(xs) - MARGIN, min(ys) - MARGIN, max(xs) + MARGIN, max(ys) + MARGIN


def _ground(figure: Figure, box: tuple[float, float, float, float]) -> str:
    x0, y0, x1, y1 = box
    if figure.view is View.top:  # from above the floor is a mat under the body
        inset = MARGIN / 2
        return (
            f'<rect class="mat" x="{_n(x0 + inset)}" y="{_n(-(y1 - inset))}" width="{_n(x1 - x0 - 2 * inset)}"'
            f' height="{_n(y1 - y0 - 2 * inset)}" rx="{_n(0.02)}"/>'
        )
    return f'<line class="fl" x1="{_n(x0)}" y1="0" x2="{_n(x1)}" y2="0"/>'


def _open(figure: Figure, box: tuple[float, float, float, float], title: str, desc: str, px: float) -> str:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bc" viewBox="{_n(x0)} {_n(-y1)} {_n(w)} {_n(h)}"'
        f' width="{w * px:.0f}" height="{h * px:.0f}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc><style>{STYLE}</style>"
    )


def _shape_svg(shape: Shape, animate: str = "") -> str:
    if shape.kind == "circle":
        (x, y), r = shape.points[0], shape.width
        return f'<circle class="{shape.cls}" cx="{_n(x)}" cy="{_n(-y)}" r="{_n(r)}">{animate}</circle>'
    extra = "" if shape.kind == "poly" else " l"
    return f'<path class="{shape.cls}{extra}" d="{_d(shape)}" stroke-width="{_n(shape.width)}">{animate}</path>'


def _d(shape: Shape) -> str:
    return "M" + "L".join(f"{_n(x)} {_n(-y)}" for x, y in shape.points) + ("Z" if shape.kind == "poly" else "")


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
    if halo:
        shape = replace(shape, cls="h", width=shape.width + 2 * HALO)
    if animate is None:
        return _shape_svg(shape)
    if shape.kind == "circle":
        xs = [_n(f[i].points[0][0]) for f in frames]
        ys = [_n(-f[i].points[0][1]) for f in frames]
        return _shape_svg(shape, animate("cx", xs) + animate("cy", ys))
    return _shape_svg(shape, animate("d", [_d(f[i]) for f in frames]))


def _layers(figure: Figure, body: str, box: tuple[float, float, float, float]) -> str:
    behind = "".join(_prop_svg(p, figure.view) for p in figure.props if p.kind != "water")
    over = "".join(_prop_svg(p, figure.view) for p in figure.props if p.kind == "water")
    return _ground(figure, box) + behind + body + over + "</svg>"


def pose_svg(figure: Figure, index: int, title: str = "", px: float = 160.0) -> str:
    """One key pose as a standalone SVG. The view box fits every pose of the figure, so a row
    of them lines up and the floor stays put."""
    key = figure.poses[index]
    frames = [_body_shapes(k.pose, figure.view, k.highlight) for k in figure.poses]
    box = _bounds(figure, frames)
    head = _open(figure, box, title or f"{key.label}: {key.says}", _describe(figure, key.says), px)
    return head + _layers(figure, _draw([frames[index]]), box)


def _describe(figure: Figure, says: str) -> str:
    side = f", {figure.side} side working" if figure.side else ""
    return f"{says}. Seen from the {figure.view}{side}."


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
    """Every key pose in one SVG, each joint moving between them with SMIL <animate>.

    `dur` is one whole cycle in seconds, so a player can match it to a rep or a hold.
    """
    poses, times = _timeline(figure)
    highlight = figure.poses[-1].highlight
    frames = [_body_shapes(p, figure.view, highlight) for p in poses]
    box = _bounds(figure, frames)
    key_times = ";".join(f"{t:.3f}" for t in times)
    says = " then ".join(k.says.lower() for k in figure.poses)
    head = _open(figure, box, title or f"{figure.exercise_id} (moving)", _describe(figure, says), px)

    def anim(attr: str, values: list[str]) -> str:
        return (
            f'<animate attributeName="{attr}" dur="{dur:g}s" repeatCount="indefinite"'
            f' keyTimes="{key_times}" values="{";".join(values)}"/>'
        )

    return head + _layers(figure, _draw(frames, anim), box)
