"""The exercise drawings: poses in the content, refused when no body could make them, and the SVG made
from them (small, valid, with the step's own words as its text alternative)."""

from __future__ import annotations

import ast
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pydantic import ValidationError

from sciatrack.content.check import check_content
from sciatrack.content.figure_schema import JOINT_RANGES, Figure, Pose, Posture, Prop
from sciatrack.content.loader import CONTENT_DIR, check_exercises, load_exercises
from sciatrack.content.schema import Exercise
from sciatrack.outputs import figure_body, figures

SVG = "{http://www.w3.org/2000/svg}"
LIBRARY = load_exercises()
EXERCISES = list(LIBRARY.values())
LIMB_OF = {
    "hip": "near_leg",
    "knee": "near_leg",
    "ankle": "far_leg",
    "shoulder": "near_arm",
    "elbow": "far_arm",
}


def parse(svg: str | bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own drawing, not outside input


def pose_with(joint: str, angle: int) -> dict[str, object]:
    """A lying pose with one joint (or the tilt) at ``angle``."""
    limb = LIMB_OF.get(joint)
    return {"posture": "back", **({limb: {joint: angle}} if limb else {joint: angle})}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def change(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# The schema: no body a person could not make --------------------------------------------------------


@pytest.mark.parametrize("joint", sorted(JOINT_RANGES))
def test_each_joint_takes_its_whole_range_and_refuses_a_degree_beyond(joint: str) -> None:
    low, high = JOINT_RANGES[joint]
    assert Pose.model_validate(pose_with(joint, low)) != Pose.model_validate(pose_with(joint, high))
    for beyond in (low - 1, high + 1):
        with pytest.raises(ValidationError) as refused:
            Pose.model_validate(pose_with(joint, beyond))
        assert f"more than the {joint} can move ({low} to {high})" in str(refused.value)


def test_the_ranges_are_human_ones() -> None:
    # A knee does not bend backward nor an elbow; a hip bends further forward than back.
    assert JOINT_RANGES["knee"][0] == 0 and JOINT_RANGES["elbow"][0] == 0
    assert JOINT_RANGES["hip"][1] > -JOINT_RANGES["hip"][0]
    assert all(low < 0 <= high or low == 0 < high for low, high in JOINT_RANGES.values())


def test_the_content_check_names_the_file_and_joint_of_an_impossible_pose(content: Path) -> None:
    change(content, "exercises/heel-slides.yaml", "{hip: 54, knee: 114, ankle: -6}", "{hip: 54, knee: 170}")
    for found in (check_exercises(content), check_content(content)):
        lines = [str(problem) for problem in found]
        assert any(
            line.startswith("exercises/heel-slides.yaml: figure.poses.bent.near_leg.knee:")
            and "170 degrees is more than the knee can move (0 to 135)" in line
            for line in lines
        ), lines


def test_it_refuses_a_figure_without_a_pose_for_every_step(content: Path) -> None:
    old, new = (
        "steps: [brace, lifted, lifted, rest, other_side]",
        "steps: [brace, lifted, lifted, other_side]",
    )
    change(content, "exercises/lift-off.yaml", old, new)
    lines = [str(problem) for problem in check_exercises(content)]
    assert lines == ["exercises/lift-off.yaml: figure.steps: 4 poses for 5 steps; give each step its pose"]


def test_it_refuses_a_start_pose_that_lies_otherwise_than_the_exercise(content: Path) -> None:
    path = content / "exercises" / "glute-activation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("posture: back", "posture: face_down"), encoding="utf-8")
    lines = [str(problem) for problem in check_exercises(content)]
    assert "exercises/glute-activation.yaml: figure.start: the start pose must have the posture back" in lines


def test_it_refuses_an_unknown_pose_a_loop_that_changes_props_and_a_prop_out_of_place() -> None:
    figure = LIBRARY["lift-off"].figure.model_dump(mode="json")
    figure["steps"][0] = "floating"
    with pytest.raises(ValidationError, match=r"steps\[0\]: there is no pose called 'floating'"):
        Figure.model_validate(figure)
    figure = LIBRARY["lift-off"].figure.model_dump(mode="json")
    figure["poses"]["lifted"]["props"] = ["mat"]
    with pytest.raises(ValidationError, match="a loop keeps one posture and the same props"):
        Figure.model_validate(figure)
    with pytest.raises(ValidationError, match="a ball cannot be drawn with the posture back"):
        Pose(posture=Posture.BACK, props=(Prop.BALL,))
    with pytest.raises(ValidationError, match="the ball is drawn on a chair's seat"):
        Pose(posture=Posture.SITTING, props=(Prop.BALL,))
    with pytest.raises(ValidationError, match="props: each at most once"):
        Pose(posture=Posture.SITTING, props=(Prop.CHAIR, Prop.CHAIR))


# Every exercise has its drawings --------------------------------------------------------------------


def test_every_exercise_has_a_pose_for_each_step_and_a_loop_that_moves() -> None:
    assert len(EXERCISES) == 7
    for exercise in EXERCISES:
        figure = exercise.figure
        assert len(figure.steps) == len(exercise.steps), exercise.id
        assert figure.poses[figure.start].posture == exercise.position.value, exercise.id
        assert figure.poses[figure.start] != figure.poses[figure.end], exercise.id
        with pytest.raises(IndexError):
            figure.step_pose(0)
        with pytest.raises(IndexError):
            figure.step_pose(len(exercise.steps) + 1)


def words(exercise: Exercise) -> str:
    return exercise.start_position.lower()


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_the_start_pose_has_the_props_its_words_name_and_no_others(exercise: Exercise) -> None:
    named = {
        Prop.MAT: "mat" in words(exercise),
        Prop.PILLOW: "pillow" in words(exercise),
        Prop.BALL: "ball" in words(exercise),
        Prop.CHAIR: "chair" in words(exercise),
        Prop.WALL: "wall" in words(exercise),
    }
    drawn = set(exercise.figure.poses[exercise.figure.start].props)
    assert drawn == {prop for prop, said in named.items() if said}


def test_the_poses_show_what_the_words_say() -> None:
    # A few the words make plain: the ball taken away to stand up; the leg lifted from the floor face down;
    # the hip bent to a right angle; the knee straightened on the ball; the heel slid in with a bent knee.
    hamstring = LIBRARY["hamstring-ball-release"].figure
    assert "take the ball away and stand up" in LIBRARY["hamstring-ball-release"].steps[4]
    assert hamstring.step_pose(5).posture is Posture.STANDING and not hamstring.step_pose(5).props
    assert hamstring.step_pose(3).near_leg.knee < hamstring.step_pose(1).near_leg.knee
    assert LIBRARY["lift-off"].figure.step_pose(2).near_leg.hip < 0  # taken back: lifted face down
    assert LIBRARY["lift-off"].figure.step_pose(2).near_leg.knee == 0  # "keeping the knee straight"
    assert LIBRARY["hip-flexor-activation"].figure.step_pose(3).near_leg.hip == 90
    assert LIBRARY["heel-slides"].figure.step_pose(3).near_leg.knee > 90
    assert LIBRARY["mckenzie-extension"].figure.step_pose(2).spine < 0  # arched back
    assert LIBRARY["glute-activation"].figure.step_pose(2).tilt < 0  # the bottom lifted a little


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_every_pose_rests_on_what_holds_it_and_never_sinks_into_the_floor(exercise: Exercise) -> None:
    for name, pose in exercise.figure.poses.items():
        placed = figure_body.layout(pose)
        bottom = placed.box[3]
        assert bottom <= figure_body.FLOOR + 0.01, (exercise.id, name)
        if pose.posture is Posture.SITTING and Prop.CHAIR in pose.props:
            hip_height = figure_body.FLOOR - placed.y
            assert hip_height == figure_body.SEAT + figure_body.SEAT_TO_HIP, (exercise.id, name)
        else:
            ground = figure_body.FLOOR - (figure_body.MAT if Prop.MAT in pose.props else 0)
            assert bottom == pytest.approx(ground), (exercise.id, name)


# The SVG --------------------------------------------------------------------------------------------


def drawings(exercise: Exercise) -> list[figures.Drawing]:
    steps = [figures.step_svg(exercise, number) for number in range(1, len(exercise.steps) + 1)]
    return [figures.loop_svg(exercise), figures.pair_svg(exercise), *steps]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_each_drawing_is_valid_svg_under_10_kb_with_its_words_as_title(exercise: Exercise) -> None:
    for drawing in drawings(exercise):
        assert len(drawing.svg.encode()) < 10 * 1024
        root = parse(drawing.svg)
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        title = root[0]
        assert title.tag == f"{SVG}title" and title.text == drawing.alt
        assert root.get("aria-labelledby") == title.get("id")
        assert (root.get("width"), root.get("height")) == (str(drawing.width), str(drawing.height))
        assert 0 < drawing.width <= 640 and 0 < drawing.height <= 200
        assert "<script" not in drawing.svg and "href" not in drawing.svg


def test_the_text_alternatives_are_the_steps_own_words() -> None:
    for exercise in EXERCISES:
        for number, step in enumerate(exercise.steps, start=1):
            alt = figures.step_alt(exercise, number)
            assert alt == f"Drawing of step {number} of {exercise.name}: {step}"
            assert figures.step_svg(exercise, number).alt == alt
        alt = figures.figure_alt(exercise)
        first = re.split(r"(?<=\.)\s", exercise.start_position)[0]
        end_step = exercise.steps[exercise.figure.steps.index(exercise.figure.end)]
        assert alt == f"Drawing of {exercise.name}. Start: {first} Then: {end_step}"
        assert figures.loop_svg(exercise).alt == figures.pair_svg(exercise).alt == alt
        with pytest.raises(IndexError):
            figures.step_alt(exercise, len(exercise.steps) + 1)


def test_the_alt_text_escapes_the_words_safely() -> None:
    exercise = LIBRARY["glute-activation"]
    odd = exercise.model_copy(update={"steps": ["Squeeze <b>& hold</b>", *exercise.steps[1:]]})
    drawing = figures.step_svg(odd, 1)
    assert parse(drawing.svg)[0].text == "Drawing of step 1 of Glute activation: Squeeze <b>& hold</b>"
    assert "<b>" not in drawing.svg


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_the_loop_moves_and_shows_the_still_pair_where_motion_is_unwelcome(exercise: Exercise) -> None:
    svg = figures.loop_svg(exercise).svg
    style = parse(svg).find(f"{SVG}style")
    assert style is not None and style.text is not None
    css = style.text
    assert "@media (prefers-reduced-motion:reduce),print{.a{display:none}.p{display:inline}}" in css
    assert ".p{display:none}" in css
    assert f"animation:{exercise.figure.seconds:g}s ease-in-out infinite" in css
    keyframes = re.findall(r"@keyframes [\w-]+\{(.*?\})\}", css)
    assert keyframes, "nothing moves"
    for frames in keyframes:
        assert frames.startswith("0%") and "100%{" in frames
    root = parse(svg)
    groups = {group.get("class"): group for group in root.iter(f"{SVG}g") if group.get("class") in {"a", "p"}}
    assert set(groups) == {"a", "p"}
    # The still pair: two heads, one for each pose, and an arrow between them; no animation classes.
    assert len([c for c in groups["p"].iter(f"{SVG}circle") if c.get("r") == str(figure_body.HEAD)]) == 2
    assert not [element for element in groups["p"].iter() if "m" in (element.get("class") or "").split()]


def test_the_pair_for_the_pdf_has_no_style_and_inline_has_no_namespace() -> None:
    for exercise in EXERCISES:
        pair = figures.pair_svg(exercise)
        assert "<style" not in pair.svg and "@keyframes" not in pair.svg and "class=" not in pair.svg
        inline = figures.pair_svg(exercise, inline=True).svg
        assert "http" not in inline and inline.startswith("<svg viewBox=")
    ids = {parse(figures.pair_svg(exercise).svg)[0].get("id") for exercise in EXERCISES}
    assert len(ids) == len(EXERCISES)  # several on one page: each title keeps its own id


def test_a_step_with_a_prop_draws_it_and_one_without_does_not() -> None:
    hamstring = LIBRARY["hamstring-ball-release"]
    assert figures.BALL_FILL in figures.step_svg(hamstring, 1).svg
    assert figures.BALL_FILL not in figures.step_svg(hamstring, 5).svg
    assert figures.WOOD not in figures.step_svg(hamstring, 5).svg
    lift_off = figures.step_svg(LIBRARY["lift-off"], 1).svg
    assert figures.PILLOW_FILL in lift_off and figures.MAT_FILL in lift_off
    assert figures.PILLOW_FILL not in figures.step_svg(LIBRARY["mckenzie-extension"], 1).svg


def test_the_renderer_imports_only_content_and_domain() -> None:
    package = Path(figures.__file__).parent
    for name in ("figures.py", "figure_body.py"):
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        modules = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        modules += [
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        ]
        ours = [module for module in modules if module.startswith("sciatrack")]
        assert ours and all(
            module.startswith(("sciatrack.content", "sciatrack.domain", "sciatrack.outputs.figure_body"))
            for module in ours
        ), ours
        assert "django" not in " ".join(modules)


def test_a_body_lying_on_its_side_is_drawn_seen_from_above_without_a_floor() -> None:
    exercise = LIBRARY["heel-slides"]
    on_side = {
        name: pose.model_copy(update={"posture": Posture.SIDE})
        for name, pose in exercise.figure.poses.items()
    }
    turned = exercise.model_copy(update={"figure": exercise.figure.model_copy(update={"poses": on_side})})
    on_back = figures.step_svg(exercise, 2).svg
    drawing = figures.step_svg(turned, 2).svg
    assert parse(drawing).get("role") == "img"
    assert f'stroke="{figures.LINE}" stroke-width="1.5"' in on_back
    assert f'stroke="{figures.LINE}" stroke-width="1.5"' not in drawing
