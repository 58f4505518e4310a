"""Exercise drawings as small SVG, drawn from the poses in each exercise's content file.

A figure is a side view of a simple body of rounded limbs on a floor line, with the props its pose uses
(``content/figure_schema.py`` holds the poses and the joints' ranges). Three drawings per exercise:

- :func:`loop_svg`: the movement as a loop, moved by CSS ``@keyframes`` inside the SVG. Where motion is
  unwelcome (``prefers-reduced-motion: reduce``) and in print it shows the start and end poses side by
  side instead. It is meant for an ``<img>``: its ``<style>`` would reach the whole page if inlined.
- :func:`step_svg`: the still pose of one step.
- :func:`pair_svg`: the start and end poses side by side, still, for the PDF (WeasyPrint does not
  animate); it uses no ``<style>``, so it can be put inline in a page.

Each drawing is ``role="img"`` with a ``<title>`` built from the exercise's own words, the same text
:func:`figure_alt` and :func:`step_alt` give for an ``<img>``'s ``alt``. Pure Python: nothing here
decides anything about the exercise; the drawings only show what the content says.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape

from sciatrack.content.figure_schema import Focus, Pose, Posture, Prop
from sciatrack.content.schema import Exercise
from sciatrack.outputs.figure_body import (
    BALL,
    BODY,
    BODY_COLOUR,
    FLOOR,
    HEAD,
    MAT,
    NEAR,
    PILLOW,
    SEAT,
    SPOT,
    Box,
    Head,
    Layout,
    Part,
    Point,
    Seg,
    Shape,
    Spot,
    layout,
)

MARGIN = 6
PAIR_GAP = 26
MAX_WIDTH, MAX_HEIGHT = 320, 160  # the largest a drawing is shown, in CSS pixels
PAIR_MOST = (640, 200)  # the largest a pair is shown: two lying bodies side by side are long and low
LINE, MAT_FILL, PILLOW_FILL, BALL_FILL, BALL_LINE, WOOD = (
    "#6b7681",
    "#d4e4f4",
    "#ece3cf",
    "#d8e25a",
    "#5b6b00",
    "#8a5a2b",
)


# Drawing ------------------------------------------------------------------------------------------


def _n(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _shape(shape: Shape, shown: Sequence[Focus] | None) -> str:
    """One shape as SVG; a spot only when ``shown`` names its focus (None: every spot, to animate)."""
    if isinstance(shape, Seg):
        return (
            f'<line x1="{_n(shape.x1)}" y1="{_n(shape.y1)}" x2="{_n(shape.x2)}" y2="{_n(shape.y2)}" '
            f'stroke="{shape.colour}" stroke-width="{_n(shape.width)}"/>'
        )
    if isinstance(shape, Head):
        nose = f'<circle cx="{_n(shape.x + HEAD - 1)}" cy="{_n(shape.y + 1)}" r="3" fill="{NEAR}"/>'
        return f'<circle cx="{_n(shape.x)}" cy="{_n(shape.y)}" r="{HEAD}" fill="{BODY_COLOUR}"/>{nose}'
    if shown is not None and shape.focus not in shown:
        return ""
    spot = f'cx="{_n(shape.x)}" cy="{_n(shape.y)}" r="5.5" fill="{SPOT}" stroke="#fff" stroke-width="1.5"'
    return f'<circle class="m o{shape.focus.value}" {spot}/>' if shown is None else f"<circle {spot}/>"


def _transform(at: Point, degrees: float) -> str:
    moved = f"translate({_n(at[0])} {_n(at[1])})" if at != (0, 0) else ""
    turned = f"rotate({_n(degrees)})" if round(degrees, 1) else ""
    return " ".join(part for part in (moved, turned) if part)


def _moves(part: Part, poses: Sequence[Pose], roots: Sequence[Point] | None) -> list[tuple[Point, float]]:
    """Where the part sits and how far it turns in each pose (rounded as drawn)."""
    places = roots if roots is not None else [part.place(pose) for pose in poses]
    return [
        ((round(x, 1), round(y, 1)), round(part.turn(pose), 1))
        for (x, y), pose in zip(places, poses, strict=True)
    ]


def _part(part: Part, poses: Sequence[Pose], roots: Sequence[Point] | None = None) -> str:
    """The part in the first pose; one that moves between ``poses`` gets classes to animate it by."""
    moves = _moves(part, poses, roots)
    focus = None if len(poses) > 1 else poses[0].focus
    used = {spot for pose in poses for spot in pose.focus}
    inner = "".join(
        _shape(shape, focus) for shape in part.shapes if not isinstance(shape, Spot) or shape.focus in used
    )
    inner += "".join(_part(child, poses) for child in part.parts)
    place = _transform(*moves[0])
    if len(set(moves)) > 1:
        return f'<g class="m {part.key}" transform="{place}">{inner}</g>'
    return f'<g transform="{place}">{inner}</g>' if place else inner


def _props(placed: Layout, left: float, right: float) -> str:
    """The floor and the props of the pose but the ball, drawn before the body so it rests on them."""
    pose, out = placed.pose, []
    x0, y0, x1, _ = placed.box
    lying = pose.posture in {Posture.BACK, Posture.FACE_DOWN, Posture.SIDE}
    if Prop.WALL in pose.props:
        out.append(f'<path d="M{_n(x0 - 3)} {_n(FLOOR)}V{_n(y0 - 20)}" stroke="{WOOD}" stroke-width="4"/>')
    if Prop.MAT in pose.props and lying:
        out.append(
            f'<rect x="{_n(x0 - 4)}" y="{_n(FLOOR - MAT)}" width="{_n(x1 - x0 + 8)}" height="{MAT}" rx="1.5" '
            f'fill="{MAT_FILL}" stroke="{LINE}"/>'
        )
    if Prop.PILLOW in pose.props and lying:
        top = FLOOR - (MAT if Prop.MAT in pose.props else 0)
        width, height = 30.0, 8.0
        if pose.posture is Posture.FACE_DOWN:  # under the belly, a third of the way up the trunk
            (hip_x, _, _), (shoulder_x, _, _) = placed.points("trunk")
            cx, height = hip_x + (shoulder_x - hip_x) * 0.35, PILLOW + 4
        else:  # under the head
            cx = placed.points("head")[0][0]
        out.append(
            f'<rect x="{_n(cx - width / 2)}" y="{_n(top - height)}" width="{_n(width)}" '
            f'height="{_n(height)}" rx="4" fill="{PILLOW_FILL}" stroke="{LINE}"/>'
        )
    if Prop.CHAIR in pose.props:
        out.append(_chair(placed))
    floor = f'<path d="M{_n(left)} {_n(FLOOR)}H{_n(right)}" stroke="{LINE}" stroke-width="1.5"/>'
    return ("" if pose.posture is Posture.SIDE else floor) + "".join(out)


def _ball(placed: Layout) -> str:
    """The ball under the near thigh, drawn after the body: it sits between the thigh and the seat."""
    if Prop.BALL not in placed.pose.props:
        return ""
    thigh = placed.points("thighn")
    cx, cy = (thigh[0][0] + thigh[1][0]) / 2, FLOOR - SEAT - BALL
    return f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{BALL}" fill="{BALL_FILL}" stroke="{BALL_LINE}"/>'


def _chair(placed: Layout) -> str:
    """A chair seen from the side: its seat under a sitting body, or its back under a standing hand."""
    seat = FLOOR - SEAT
    if placed.pose.posture is Posture.SITTING:
        back = placed.x - 12
        d = f"M{_n(back)} {_n(seat - 44)}V{_n(FLOOR)}M{_n(back)} {_n(seat)}h36V{_n(FLOOR)}"
    else:
        hand = placed.points("handn")[1]
        back = hand[0] + 4
        d = f"M{_n(back)} {_n(hand[1] + 4)}V{_n(FLOOR)}M{_n(back)} {_n(seat)}h36V{_n(FLOOR)}"
    return f'<path d="{d}" fill="none" stroke="{WOOD}" stroke-width="4" stroke-linejoin="round"/>'


@dataclass(frozen=True)
class Drawing:
    """An SVG drawing with the size it is best shown at and its text alternative."""

    svg: str
    width: int
    height: int
    alt: str


def _box(boxes: Sequence[Box]) -> Box:
    x0 = min(box[0] for box in boxes) - MARGIN
    y0 = min(box[1] for box in boxes) - MARGIN
    x1 = max(box[2] for box in boxes) + MARGIN
    return (math.floor(x0), math.floor(y0), math.ceil(x1), FLOOR + 3)


def _extent(placed: Layout) -> Box:
    x0, y0, x1, y1 = placed.box
    if Prop.CHAIR in placed.pose.props:
        if placed.pose.posture is Posture.SITTING:
            x0, y0 = min(x0, placed.x - 14), min(y0, FLOOR - SEAT - 46)
        else:
            x1 = max(x1, placed.points("handn")[1][0] + 42)
    return (x0, y0, x1, y1)


SVG_NAMESPACE = ' xmlns="http://www.w3.org/2000/svg"'


def _svg(
    box: Box,
    ident: str,
    label: str,
    body: str,
    style: str = "",
    namespace: str = SVG_NAMESPACE,
    most: tuple[int, int] = (MAX_WIDTH, MAX_HEIGHT),
) -> Drawing:
    """The SVG document, ``most`` pixels wide and high at the largest: ``ident`` is its title's id,
    unique on a page that puts several inline; an SVG inline in HTML needs no ``namespace``."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    scale = min(most[0] / width, most[1] / height)
    size = (round(width * scale), round(height * scale))
    svg = (
        f'<svg{namespace} viewBox="{_n(x0)} {_n(y0)} {_n(width)} {_n(height)}" '
        f'width="{size[0]}" height="{size[1]}" role="img" aria-labelledby="{ident}">'
        f'<title id="{ident}">{escape(label, quote=False)}</title>{style}'
        f'<g fill="none" stroke-linecap="round">{body}</g></svg>'
    )
    return Drawing(svg, size[0], size[1], label)


def _still(placed: Layout, box: Box, shift: float = 0) -> str:
    pose = placed.pose
    body = _props(placed, box[0] - shift, box[2] - shift) + _part(BODY, [pose], [(placed.x, placed.y)])
    body += _ball(placed)
    return f'<g transform="translate({_n(shift)} 0)">{body}</g>' if shift else body


def _pair_body(exercise: Exercise) -> tuple[str, Box]:
    figure = exercise.figure
    first, last = layout(figure.poses[figure.start]), layout(figure.poses[figure.end])
    a, b = _extent(first), _extent(last)
    shift = a[2] - b[0] + PAIR_GAP
    box = _box([a, (b[0] + shift, b[1], b[2] + shift, b[3])])
    mid_x, mid_y = a[2] + PAIR_GAP / 2, min(a[1], b[1]) / 2
    arrow = (
        f'<path d="M{_n(mid_x - 8)} {_n(mid_y)}h14m-5 -5l5 5l-5 5" stroke="{LINE}" stroke-width="2.5" '
        'stroke-linejoin="round"/>'
    )
    return _still(first, box) + arrow + _still(last, box, shift), box


def pair_svg(exercise: Exercise, inline: bool = False) -> Drawing:
    """The start and end poses side by side, still: for the PDF and anywhere it is put inline (``inline``:
    in an HTML page, without the XML namespace a file of its own needs)."""
    body, box = _pair_body(exercise)
    namespace = "" if inline else SVG_NAMESPACE
    return _svg(
        box, f"figure-{exercise.id}-pair", figure_alt(exercise), body, namespace=namespace, most=PAIR_MOST
    )


def step_svg(exercise: Exercise, number: int) -> Drawing:
    """The still pose of step ``number`` (1-based); IndexError for a step the exercise does not have."""
    placed = layout(exercise.figure.step_pose(number))
    box = _box([_extent(placed)])
    return _svg(box, f"figure-{exercise.id}-{number}", step_alt(exercise, number), _still(placed, box))


def _stops(exercise: Exercise) -> Iterator[tuple[float, int]]:
    """(percent of the loop, keyframe index) at each moment the loop reaches or leaves a pose."""
    loop = exercise.figure.loop
    total, now = exercise.figure.seconds, 0.0
    for index, frame in enumerate(loop):
        if index:
            now += frame.move
        yield (100 * now / total, index)
        now += frame.hold
        yield (100 * now / total, index)
    yield (100.0, 0)


def _keyframes(name: str, values: Sequence[str], stops: Sequence[tuple[float, int]]) -> str:
    rules: list[tuple[list[str], str]] = []
    for percent, index in stops:
        text = f"{_n(percent)}%"
        if rules and rules[-1][1] == values[index]:
            if rules[-1][0][-1] != text:
                rules[-1][0].append(text)
        else:
            rules.append(([text], values[index]))
    return f"@keyframes {name}{{" + "".join(f"{','.join(at)}{{{value}}}" for at, value in rules) + "}"


def _animation(exercise: Exercise, layouts: Sequence[Layout]) -> str:
    poses = [placed.pose for placed in layouts]
    stops = list(_stops(exercise))
    rules = [
        f".m{{animation:{_n(exercise.figure.seconds)}s ease-in-out infinite}}",
        ".p{display:none}",
        "@media (prefers-reduced-motion:reduce),print{.a{display:none}.p{display:inline}}",
    ]

    def walk(part: Part, roots: Sequence[Point] | None = None) -> None:
        moves = _moves(part, poses, roots)
        if len(set(moves)) > 1:
            shifted = any(at != (0, 0) for at, _ in moves)
            values = [
                "transform:"
                + (f"translate({_n(x)}px,{_n(y)}px) " if shifted else "")
                + f"rotate({_n(turn)}deg)"
                for (x, y), turn in moves
            ]
            rules.append(f".{part.key}{{animation-name:{part.key}}}" + _keyframes(part.key, values, stops))
        for child in part.parts:
            walk(child)

    walk(BODY, [(placed.x, placed.y) for placed in layouts])
    for focus in sorted({spot for pose in poses for spot in pose.focus}):
        name = f"o{focus.value}"
        values = [f"opacity:{int(focus in pose.focus)}" for pose in poses]
        rules.append(f".{name}{{animation-name:{name};{values[0]}}}" + _keyframes(name, values, stops))
    return "<style>" + "".join(rules) + "</style>"


def loop_svg(exercise: Exercise) -> Drawing:
    """The movement as a loop; the start and end poses side by side where motion is not wanted."""
    figure = exercise.figure
    layouts = [layout(figure.poses[frame.pose]) for frame in figure.loop]
    box = _box([_extent(placed) for placed in layouts])
    # Every frame of the loop keeps the hips where the start pose has them, left to right.
    roots = [(placed.x, placed.y) for placed in layouts]
    pair, pair_box = _pair_body(exercise)
    pair_width, pair_height = pair_box[2] - pair_box[0], pair_box[3] - pair_box[1]
    # Wide enough for the pair to be read, as far as the drawing's shape on the page allows.
    height = box[3] - box[1]
    widen = max(0.0, min(0.75 * pair_width, height * MAX_WIDTH / MAX_HEIGHT) - (box[2] - box[0])) / 2
    box = (math.floor(box[0] - widen), box[1], math.ceil(box[2] + widen), box[3])
    width = box[2] - box[0]
    scale = min(1.0, width / pair_width, height / pair_height)
    dx = box[0] + (width - pair_width * scale) / 2 - pair_box[0] * scale
    dy = box[3] - pair_box[3] * scale
    still = f'<g class="p" transform="translate({_n(dx)} {_n(dy)}) scale({scale:.3f})">{pair}</g>'
    body = _props(layouts[0], box[0], box[2]) + _part(BODY, [placed.pose for placed in layouts], roots)
    body += _ball(layouts[0])
    return _svg(
        box,
        f"figure-{exercise.id}",
        figure_alt(exercise),
        f'<g class="a">{body}</g>{still}',
        _animation(exercise, layouts),
    )


# Text alternatives --------------------------------------------------------------------------------


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


def figure_alt(exercise: Exercise) -> str:
    """The text alternative of the loop and of the start and end pair, from the exercise's own words."""
    figure = exercise.figure
    then = exercise.steps[figure.end_step() - 1]
    return f"Drawing of {exercise.name}. Start: {_first_sentence(exercise.start_position)} Then: {then}"


def step_alt(exercise: Exercise, number: int) -> str:
    """The text alternative of step ``number``'s drawing: that step's own words."""
    exercise.figure.step_pose(number)  # IndexError for a step there is not
    return f"Drawing of step {number} of {exercise.name}: {exercise.steps[number - 1]}"
