"""The figures teach: no two key poses of an exercise look alike, the part that moves is drawn in
the accent colour, an arrow shows which way it goes, the pelvic tilt and the seated twist show
their movement, and every page that shows a start and an end shows two different stills."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import combinations, pairwise
from math import atan2, degrees, hypot

import pytest
from fastapi.testclient import TestClient

from backcoach.core.figures.body import RADIUS, View, project, skeleton
from backcoach.core.figures.figure import Figure
from backcoach.core.figures.poses import BUILDERS, figure
from backcoach.core.figures.shapes import Shape
from backcoach.core.figures.svg import LIGHT, animated_svg, arrow_points, pose_shapes, pose_svg
from backcoach.exports.handout import exercise_figures
from backcoach.services.context import Scope
from backcoach.services.programs import set_profile
from backcoach.web.app import create_app
from tests.examples import example_profile

SVG = "{http://www.w3.org/2000/svg}"
# Figures are 1 unit tall. 0.03 is 3% of the body's height: about 4 px on a program card, where a
# body is some 150 px tall, and more in the player. Less than that and two poses look the same.
APART = 0.03
SHORTEST_ARROW = 0.06  # an arrow shorter than this is a dot with a head
ACCENT = {"a", "af", "gap"}
EXERCISES = sorted(BUILDERS)


def both_sides(exercise_id: str) -> list[Figure]:
    fig = figure(exercise_id)
    return [fig, fig.mirrored()] if fig.side is not None else [fig]


def drawing(svg: str) -> str:
    """The SVG without its words, so two pictures that differ only in their titles count as the same."""
    return re.sub(r'<title>.*?</title>|<desc>.*?</desc>| aria-label="[^"]*"', "", svg)


def by_name(shapes: list[Shape]) -> dict[str, Shape]:
    return {s.name: s for s in shapes if s.name}


def moved(a: Shape, b: Shape) -> float:
    return max(hypot(p[0] - q[0], p[1] - q[1]) for p, q in zip(a.points, b.points, strict=True))


def furthest_move(fig: Figure, i: int, j: int) -> tuple[float, str]:
    """How far the part that moves most between two key poses moves in the view, and which part."""
    a, b = by_name(pose_shapes(fig, i)), by_name(pose_shapes(fig, j))
    return max((moved(a[n], b[n]), n) for n in a.keys() & b.keys())


def path_length(points: list[tuple[float, float]]) -> float:
    return sum(hypot(q[0] - p[0], q[1] - p[1]) for p, q in pairwise(points))


# --- no two poses alike ------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_no_two_key_poses_of_an_exercise_look_alike(exercise_id):
    for fig in both_sides(exercise_id):
        stills = [drawing(pose_svg(fig, i)) for i in range(len(fig.poses))]
        for i, j in combinations(range(len(fig.poses)), 2):
            assert stills[i] != stills[j], f"{exercise_id}: poses {i} and {j} draw the same picture"
            distance, part = furthest_move(fig, i, j)
            assert distance >= APART, f"{exercise_id}: poses {i} and {j} differ by {distance:.3f} at most ({part})"


def test_the_measure_of_alike_catches_a_pose_drawn_twice():
    fig = figure("bridge")
    twice = Figure(fig.exercise_id, fig.view, (fig.poses[0], fig.poses[0]), fig.moves[:0], fig.props)
    assert furthest_move(twice, 0, 1)[0] == 0.0
    assert drawing(pose_svg(twice, 0)) == drawing(pose_svg(twice, 1))


# --- the moving part and the arrow ---------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_every_pose_shows_what_moves_in_the_accent_colour(exercise_id):
    for fig in both_sides(exercise_id):
        assert fig.moves, f"{exercise_id} has no move"
        for i in range(len(fig.poses)):
            assert fig.moves_at(i), f"{exercise_id}: pose {i} belongs to no move"
            shapes = by_name(pose_shapes(fig, i))
            for part in fig.accent(i):
                assert part in shapes, f"{exercise_id}: {part} is not drawn"
                assert shapes[part].cls in ACCENT, f"{exercise_id}: {part} is not in the accent colour"
            root = ET.fromstring(pose_svg(fig, i))
            lit = [e for e in root.iter() if set((e.get("class") or "").split()) & ACCENT]
            assert lit, f"{exercise_id}: pose {i} draws nothing in the accent colour"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_what_is_drawn_as_moving_really_moves(exercise_id):
    """Each part a move colours shifts by a clear amount somewhere along that move."""
    fig = figure(exercise_id)
    for move in fig.moves:
        steps = list(pairwise(range(move.start, move.end + 1)))
        for part in move.parts:
            shifts = [moved(by_name(pose_shapes(fig, i))[part], by_name(pose_shapes(fig, j))[part]) for i, j in steps]
            assert max(shifts) >= APART, f"{exercise_id}: {part} moves only {max(shifts):.3f}"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_every_still_and_animation_has_an_arrow_for_each_move(exercise_id):
    for fig in both_sides(exercise_id):
        for i in range(len(fig.poses)):
            arrows = ET.fromstring(pose_svg(fig, i)).findall(f".//{SVG}path[@class='ar']")
            assert len(arrows) == len(fig.moves_at(i)) >= 1
        moving = ET.fromstring(animated_svg(fig)).findall(f".//{SVG}path[@class='ar']")
        assert len(moving) == len(fig.moves)
        for move in fig.moves:
            assert path_length(arrow_points(move.arrow, fig.view)) >= SHORTEST_ARROW


def test_the_arrow_runs_from_where_the_knee_starts_to_where_it_ends():
    fig = figure("knee-to-chest")
    points = arrow_points(fig.moves[0].arrow, fig.view)
    knees = [project(skeleton(k.pose).points["right_knee"], fig.view)[:2] for k in fig.poses]

    def gap(p: tuple[float, float], q: tuple[float, float]) -> float:
        return hypot(p[0] - q[0], p[1] - q[1])

    assert gap(points[0], knees[0]) < 0.12 < gap(points[0], knees[1])
    assert gap(points[-1], knees[1]) < 0.12 < gap(points[-1], knees[0])


def _turning(points: list[tuple[float, float]], centre: tuple[float, float]) -> float:
    """Degrees the path turns round `centre`: positive is anticlockwise (y up)."""
    angles = [degrees(atan2(p[1] - centre[1], p[0] - centre[0])) for p in points]
    return sum((b - a + 180) % 360 - 180 for a, b in pairwise(angles))


def test_the_twist_arrow_turns_the_way_the_chest_turns():
    for fig, sign in ((figure("basic-twist"), 1), (figure("basic-twist").mirrored(), -1)):
        centre = project(skeleton(fig.poses[0].pose).points["neck_base"], fig.view)[:2]
        assert sign * _turning(arrow_points(fig.moves[0].arrow, fig.view), centre) > 20  # left turn: anticlockwise


def test_the_pedals_go_round_forwards():
    fig = figure("cycling")
    crank = project((0.15, 0.2, 0.0), fig.view)[:2]  # upright.CRANK
    assert _turning(arrow_points(fig.moves[0].arrow, fig.view), crank) < -90  # clockwise, seen from the right


def test_walkers_go_forwards():
    for exercise_id in ("walking", "water-activity"):
        fig = figure(exercise_id)
        points = arrow_points(fig.moves[0].arrow, fig.view)
        assert points[-1][0] - points[0][0] > SHORTEST_ARROW


# --- the pelvic tilt and the seated twist ------------------------------------------------------


def _gap_height(shape: Shape) -> float:
    """How high the shaded space under the lower back shows: its top edge runs along the torso's
    centre line, and the torso covers the first `RADIUS["torso"]` of it."""
    return max(y for _, y in shape.points) - RADIUS["torso"]


def test_the_pelvic_tilt_rocks_from_a_flat_lower_back_to_a_small_arch():
    fig = figure("pelvic-tilt")
    flat, arched = (skeleton(k.pose).points for k in fig.poses)
    assert flat["waist"][1] - RADIUS["torso"] < 0.005  # the lower back is on the floor
    assert arched["waist"][1] - RADIUS["torso"] > 0.025  # a gap you can see under it
    gaps = [by_name(pose_shapes(fig, i))["back_gap"] for i in range(2)]
    assert gaps[0].cls == gaps[1].cls == "gap"
    assert _gap_height(gaps[0]) < 0.01 and _gap_height(gaps[1]) > 0.025
    # One arrow, a rock: a head at each end, so the path data holds a shaft and two chevrons.
    assert [m.both_ways for m in fig.moves] == [True]
    for i in range(2):
        (arrow,) = ET.fromstring(pose_svg(fig, i)).findall(f".//{SVG}path[@class='ar']")
        assert arrow.get("d", "").count("M") == 3


def test_the_seated_twist_is_seen_from_above_with_the_shoulders_turning_and_the_knees_not():
    fig = figure("basic-twist")
    assert fig.view is View.top

    def heading(points: dict[str, tuple[float, float, float]], left: str, right: str) -> float:
        a, b = project(points[left], fig.view), project(points[right], fig.view)
        return degrees(atan2(b[1] - a[1], b[0] - a[0]))

    start, end = (skeleton(k.pose).points for k in fig.poses)
    shoulders = heading(end, "left_shoulder", "right_shoulder") - heading(start, "left_shoulder", "right_shoulder")
    knees = heading(end, "left_knee", "right_knee") - heading(start, "left_knee", "right_knee")
    assert abs(shoulders) > 30 and abs(knees) < 5
    assert by_name(pose_shapes(fig, 1))["shoulders"].cls == "a"


# --- small and in plain words ------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_figures_stay_small_and_say_what_they_show(exercise_id):
    fig = figure(exercise_id)
    for i, key in enumerate(fig.poses):
        svg = pose_svg(fig, i)
        assert len(svg.encode()) < 6_000
        desc = ET.fromstring(svg).findtext(f"{SVG}desc") or ""
        assert desc.startswith(key.says) and "arrow" in desc
    assert len(animated_svg(fig).encode()) < 24_000


# --- the pages, the route and the handout ------------------------------------------------------


@pytest.fixture
def client(ctx: Scope) -> TestClient:
    return TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1")


def test_the_route_draws_the_pose_asked_for(client: TestClient):
    fig = figure("bridge")
    moving = client.get("/figures/bridge.svg")
    stills = [client.get(f"/figures/bridge.svg?pose={i}") for i in range(len(fig.poses))]
    for answer in [moving, *stills]:
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    bodies = [drawing(a.text) for a in [moving, *stills]]
    assert len(set(bodies)) == len(bodies)  # the animation and each still all differ
    assert "<animate" in moving.text and all("<animate" not in s.text for s in stills)
    assert stills[2].text == pose_svg(fig, 2, px=220)


def test_the_route_mirrors_a_still_for_the_other_side(client: TestClient):
    right = client.get("/figures/knee-to-chest.svg?pose=1&side=right").text
    left = client.get("/figures/knee-to-chest.svg?pose=1&side=left").text
    assert drawing(right) != drawing(left)
    assert left == pose_svg(figure("knee-to-chest").mirrored(), 1, px=220)


def test_the_route_refuses_a_pose_that_does_not_exist(client: TestClient):
    answer = client.get("/figures/bridge.svg?pose=3")
    assert answer.status_code == 404
    assert answer.json()["detail"] == "the figure for 'bridge' has poses 0 to 2, so there is no pose 3"
    for bad in ("-1", "two", "1.5"):
        answer = client.get(f"/figures/bridge.svg?pose={bad}")
        assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["query", "pose"]


def _shown_stills(client: TestClient, html: str) -> list[tuple[str, str]]:
    return [
        (src, client.get(src.replace("&amp;", "&")).text) for src in re.findall(r'<img src="(/figures/[^"]+)"', html)
    ]


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_each_exercise_page_shows_two_different_stills(client: TestClient, exercise_id):
    shown = _shown_stills(client, client.get(f"/library/{exercise_id}").text)
    last = len(figure(exercise_id).poses) - 1
    assert [src for src, _ in shown] == [f"/figures/{exercise_id}.svg?pose={i}" for i in (0, last)]
    assert drawing(shown[0][1]) != drawing(shown[1][1])


def test_each_program_card_shows_two_different_stills(client: TestClient, ctx: Scope):
    set_profile(ctx, example_profile("maya"))
    page = client.get("/program").text
    cards = re.findall(r'<li class="card">(.*?)</li>', page, re.S)
    assert cards
    for card in cards:
        shown = _shown_stills(client, card)
        assert len(shown) == 2 and shown[0][0] != shown[1][0], card
        assert drawing(shown[0][1]) != drawing(shown[1][1])
        alts = re.findall(r'alt="([^"]*)"', card)
        assert len(set(alts)) == 2 and ", start: " in alts[0]


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_handout_prints_two_different_stills_in_colour(catalogue, exercise_id):
    pictures = exercise_figures(catalogue.get(exercise_id))
    assert len(pictures) == 2 and drawing(str(pictures[0])) != drawing(str(pictures[1]))
    for picture in pictures:  # WeasyPrint draws CSS variables black, so print spells the colours out
        assert "var(" not in picture and LIGHT["accent"] in picture and "prefers-color-scheme" not in picture
    assert "var(--accent)" in pose_svg(figure(exercise_id), 0)  # while the screen follows dark mode
