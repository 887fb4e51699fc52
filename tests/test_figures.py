"""Exercise figures: every exercise has them, they pass the body checks, mirror correctly and render
to self-contained SVG; and the checks really catch a broken body."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from math import atan2, degrees

import pytest
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.cli import figures as figures_cli
from backcoach.core.figures.body import SIDES, Pose, blend, segment_length, segments, skeleton
from backcoach.core.figures.checks import check_figure, check_pose
from backcoach.core.figures.figure import Figure, KeyPose, swap_sides
from backcoach.core.figures.poses import BUILDERS, figure
from backcoach.core.figures.posing import CHAIR_SEAT, lying_on_back, sitting, standing
from backcoach.core.figures.props import chair
from backcoach.core.figures.svg import animated_svg, pose_svg

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"


def test_every_catalogue_exercise_has_a_figure(catalogue):
    assert set(BUILDERS) == set(catalogue.ids())
    for exercise in catalogue:
        fig = figure(exercise.id)
        assert fig.exercise_id == exercise.id
        assert len(fig.poses) >= 2
        assert fig.poses[0].label == "start"


@pytest.mark.parametrize("exercise_id", sorted(BUILDERS))
def test_figures_pass_every_check_on_both_sides(exercise_id, catalogue):
    position = catalogue.get(exercise_id).position.value
    fig = figure(exercise_id)
    assert check_figure(fig, position) == []
    assert check_figure(fig.mirrored(), position) == []


def test_segment_lengths_hold_through_in_between_poses():
    fig = figure("bridge")
    for t in (0.25, 0.5, 0.75):
        sk = skeleton(blend(fig.poses[0].pose, fig.poses[-1].pose, t))
        for name, (a, b) in segments().items():
            length = sum((p - q) ** 2 for p, q in zip(sk.points[a], sk.points[b], strict=True)) ** 0.5
            assert length == pytest.approx(segment_length(name), abs=1e-9)


# --- mirroring ---------------------------------------------------------------------------


def _swapped(name: str) -> str:
    if name.startswith("torso_"):  # torso corners are named torso_l... and torso_r...
        return name.replace("_l", "_@").replace("_r", "_l").replace("_@", "_r")
    return name.replace("left", "@").replace("right", "left").replace("@", "right")


@pytest.mark.parametrize("exercise_id", sorted(BUILDERS))
def test_mirror_reflects_every_joint_across_the_middle(exercise_id):
    fig = figure(exercise_id)
    for key, other in zip(fig.poses, fig.mirrored().poses, strict=True):
        here, there = skeleton(key.pose).points, skeleton(other.pose).points
        for name, (x, y, z) in here.items():
            assert there[_swapped(name)] == pytest.approx((x, y, -z), abs=1e-9), name


def test_mirror_moves_the_working_knee_to_the_other_side():
    fig = figure("knee-to-chest")
    end = skeleton(fig.poses[-1].pose).points
    other = skeleton(fig.mirrored().poses[-1].pose).points
    # The head is towards -x: the pulled-in knee is the one nearer the chest.
    assert end["right_knee"][0] < end["left_knee"][0] - 0.1
    assert other["left_knee"][0] < other["right_knee"][0] - 0.1
    assert fig.side == "right" and fig.mirrored().side == "left"
    assert fig.mirrored().accent(1) == ("left_thigh", "left_shin", "left_foot")
    assert "right_foot" in fig.mirrored().poses[-1].contacts


def test_mirroring_swaps_sides_in_words_and_names():
    assert swap_sides("Right foot back, left knee soft") == "Left foot back, right knee soft"
    assert swap_sides("right_thigh, left_foot, the leftover") == "left_thigh, right_foot, the leftover"
    says = [k.says for k in figure("hip-stretch").mirrored().poses]
    assert says[-1] == "Left foot back, right knee soft, weight back"


def test_mirroring_twice_gives_the_same_figure():
    fig = figure("knee-rolls")
    assert fig.mirrored().mirrored() == fig


def test_knee_rolls_drop_both_knees_to_the_working_side():
    for fig, sign in ((figure("knee-rolls"), 1), (figure("knee-rolls").mirrored(), -1)):
        start, end = (skeleton(k.pose).points for k in (fig.poses[0], fig.poses[-1]))
        for side in SIDES:  # z grows towards the person's right
            assert sign * (end[f"{side}_knee"][2] - start[f"{side}_knee"][2]) > 0.08


# --- the figures show what the steps say -------------------------------------------------------


def _angle(a, b) -> float:
    return degrees(atan2(b[1] - a[1], b[0] - a[0]))


def test_bridge_lifts_the_hips_into_a_line_with_shoulders_and_knees():
    fig = figure("bridge")
    start, end = (skeleton(k.pose).points for k in (fig.poses[0], fig.poses[-1]))
    assert end["hip_centre"][1] - start["hip_centre"][1] > 0.08  # a clear lift, about 15 cm
    trunk, thigh = _angle(end["neck_base"], end["hip_centre"]), _angle(end["right_hip"], end["right_knee"])
    assert trunk == pytest.approx(thigh, abs=3)
    assert 15 < trunk < 35  # sloping up from the shoulders, not flat and not standing


def test_bottom_to_heels_sits_back_with_hands_in_place():
    fig = figure("bottom-to-heels")
    start, end = (skeleton(k.pose).points for k in (fig.poses[0], fig.poses[-1]))
    assert end["hip_centre"][0] < start["hip_centre"][0] - 0.15  # the bottom goes back
    assert end["right_wrist"] == pytest.approx(start["right_wrist"], abs=1e-3)
    assert end["right_knee"] == pytest.approx(start["right_knee"], abs=1e-3)


def test_back_extension_ends_propped_on_straightish_arms():
    end = figure("back-extension").poses[-1].pose
    points = skeleton(end).points
    assert points["neck_base"][1] > 0.25  # chest well up off the floor
    assert end.right.elbow < 45


# --- rendering ---------------------------------------------------------------------------


def _self_contained(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # parses as XML
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    outside = svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http" not in outside and "href" not in outside and "url(" not in outside
    return root


@pytest.mark.parametrize("exercise_id", sorted(BUILDERS))
def test_svgs_parse_and_need_nothing_from_outside(exercise_id):
    fig = figure(exercise_id)
    for i in range(len(fig.poses)):
        _self_contained(pose_svg(fig, i))
    root = _self_contained(animated_svg(fig, dur=7.5))
    animations = list(root.iter(f"{SVG}animate"))
    assert animations and all(a.get("dur") == "7.5s" for a in animations)


def test_animation_values_match_its_key_times():
    root = ET.fromstring(animated_svg(figure("pelvic-tilt")))
    for a in root.iter(f"{SVG}animate"):
        times = [float(t) for t in a.get("keyTimes", "").split(";")]
        assert len(times) == len(a.get("values", "").split(";"))
        assert times[0] == 0 and times[-1] == 1 and times == sorted(times)


# --- the command ---------------------------------------------------------------------------


def test_cli_writes_a_contact_sheet(tmp_path, catalogue):
    out = tmp_path / "sheet.html"
    result = runner.invoke(app, ["figures", "--sheet", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.count("<section>") == len(catalogue)
    for exercise in catalogue:
        assert exercise.name in html
    assert "<animate " in html and "every check passes" in html


def test_cli_check_passes_and_fails_on_a_broken_figure(monkeypatch):
    assert runner.invoke(app, ["figures", "--check"]).exit_code == 0
    good = figure("bridge")
    sunk = replace(good.poses[-1], pose=replace(good.poses[-1].pose, root=(0.0, -0.05, 0.0)))
    monkeypatch.setattr(figures_cli, "figure", lambda i: replace(good, poses=(*good.poses[:-1], sunk)))
    result = runner.invoke(app, ["figures", "--check"])
    assert result.exit_code == 1
    assert "below the floor" in result.output


def test_cli_asks_what_to_do():
    assert runner.invoke(app, ["figures"]).exit_code == 2


# --- the checks catch broken bodies ------------------------------------------------------


def _problems(pose: Pose, contacts: tuple[str, ...], seat=None) -> list[str]:
    return check_pose(KeyPose("test", "a test pose", pose, contacts), seat)


def test_a_knee_bent_beyond_its_range_is_caught():
    pose = lying_on_back().with_limbs("right", knee=175.0)
    assert any("right knee is 175°" in p for p in _problems(pose, ("back",)))


def test_a_body_sunk_below_the_floor_is_caught():
    pose = lying_on_back()
    x, y, z = pose.root
    problems = _problems(replace(pose, root=(x, y - 0.05, z)), ("back",))
    assert any("below the floor" in p for p in problems)
    assert any("sunk into" in p for p in problems)


def test_a_body_floating_above_the_floor_is_caught():
    pose = lying_on_back()
    x, y, z = pose.root
    assert any("above it" in p for p in _problems(replace(pose, root=(x, y + 0.1, z)), ("back", "feet")))


def test_lying_face_down_when_the_back_should_be_down_is_caught():
    pose = replace(lying_on_back(), pitch=-90.0)
    assert any("belly faces down" in p for p in _problems(pose, ("back",)))


def test_standing_with_feet_off_the_floor_is_caught():
    pose = standing()
    x, y, z = pose.root
    problems = _problems(replace(pose, root=(x, y + 0.05, z)), ("feet",))
    assert sum("foot should rest on the floor" in p for p in problems) == 2


def test_sitting_off_the_seat_is_caught():
    seat = next(p for p in chair(CHAIR_SEAT) if p.kind == "seat")
    pose = sitting()
    assert _problems(pose, ("seat", "feet"), seat) == []
    x, y, z = pose.root
    raised, forward = replace(pose, root=(x, y + 0.06, z)), replace(pose, root=(x + 0.5, y, z))
    assert any("pelvis should rest on the seat" in p for p in _problems(raised, ("seat",), seat))
    assert any("not over the seat" in p for p in _problems(forward, ("seat",), seat))


def test_a_figure_in_the_wrong_position_for_the_catalogue_is_caught():
    problems = check_figure(figure("walking"), "lying_on_back")
    assert problems and all("lying on back" in p.message for p in problems)


def test_a_stretched_limb_is_caught(monkeypatch):
    # Forward kinematics cannot stretch a limb, so stretch one behind the checks' back.
    def stretched(pose: Pose):
        sk = skeleton(pose)
        x, y, z = sk.points["left_wrist"]
        return replace(sk, points={**sk.points, "left_wrist": (x, y - 0.05, z)})

    monkeypatch.setattr("backcoach.core.figures.checks.skeleton", stretched)
    assert any(p.startswith("left_forearm is") for p in _problems(standing(), ("feet",)))


def test_figure_type_is_frozen():
    fig: Figure = figure("crunch")
    with pytest.raises(AttributeError):
        fig.view = fig.view  # type: ignore[misc]
