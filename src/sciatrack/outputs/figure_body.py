"""The body the exercise drawings show: its parts and measures, and where a pose puts it.

The body is a tree of parts, each turning about its joint by the pose's angle (content/figure_schema.py),
seen from the side as the standing body facing right, then turned by its posture. ``layout`` works out
where every point of a pose's body lies and rests it on the floor, mat, pillow or seat; ``figures.py``
draws it with the same parts, so the picture and the sums agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from sciatrack.content.figure_schema import Arm, Focus, Leg, Pose, Posture, Prop

# Body measures in drawing units (about a centimetre each) and the width of each rounded limb.
TRUNK, NECK, HEAD = 50, 14, 9
THIGH, SHANK, FOOT = 42, 42, 15
UPPER_ARM, FOREARM = 29, 29
SEAT, SEAT_TO_HIP = 40, 8  # a chair's seat height, and the hip joint above it
MAT, PILLOW, BALL = 3, 6, 4.5  # thickness; the ball's radius
FLOOR = 0.0  # the floor's height (y grows downward, as in SVG)

NEAR, BODY_COLOUR, FAR, SPOT = "#12345c", "#3d74b3", "#9bb5d6", "#e07b00"
# How each posture turns the standing body (degrees, clockwise on screen): lying on the back puts the
# head to the left and the face up; face down puts the head to the right and the face down.
POSTURE_TURN = {
    Posture.STANDING: 0,
    Posture.SITTING: 0,
    Posture.BACK: -90,
    Posture.SIDE: -90,
    Posture.FACE_DOWN: 90,
}


@dataclass(frozen=True)
class Seg:
    """A rounded limb from (x1, y1) to (x2, y2) in its part's frame; ``tag`` names it for props."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    colour: str
    tag: str = ""


@dataclass(frozen=True)
class Head:
    x: float
    y: float


@dataclass(frozen=True)
class Spot:
    """Where the work is felt, drawn when the pose names its ``focus``."""

    focus: Focus
    x: float
    y: float


Shape = Seg | Head | Spot


Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class Part:
    """A piece of the body that turns about its joint, placed in its parent's frame where ``place`` says."""

    key: str
    place: Callable[[Pose], Point]
    turn: Callable[[Pose], float]
    shapes: tuple[Shape, ...]
    parts: tuple[Part, ...] = ()


def _at(x: float, y: float) -> Callable[[Pose], Point]:
    return lambda pose: (x, y)


def _leg(near: bool) -> Part:
    side, colour = ("n", NEAR) if near else ("f", FAR)

    def leg(pose: Pose) -> Leg:
        return pose.near_leg if near else pose.far_leg

    foot = Part(
        f"a{side}", _at(0, SHANK), lambda p: -leg(p).ankle, (Seg(-3, 3, FOOT, 3, 6, colour, f"foot{side}"),)
    )
    shank = Seg(0, 0, 0, SHANK, 11, colour, f"shank{side}")
    knee = Part(f"k{side}", _at(0, THIGH), lambda p: leg(p).knee, (shank,), (foot,))
    thigh = Seg(0, 0, 0, THIGH, 15, colour, f"thigh{side}")
    spots: tuple[Shape, ...] = (Spot(Focus.BACK_OF_THIGH, -5, THIGH * 0.55),) if near else ()
    return Part(f"h{side}", _at(0, 0), lambda p: -leg(p).hip, (thigh, *spots), (knee,))


def _arm(near: bool) -> Part:
    """An arm; one turned out to the side looks from the side half as long above the elbow, so the upper
    arm is drawn as two halves, one from the shoulder and one from the elbow, that overlap as it shortens."""
    side, colour = ("n", NEAR) if near else ("f", FAR)

    def arm(pose: Pose) -> Arm:
        return pose.near_arm if near else pose.far_arm

    forearm = Part(
        f"e{side}", _at(0, 0), lambda p: -arm(p).elbow, (Seg(0, 0, 0, FOREARM, 7, colour, f"hand{side}"),)
    )
    half = UPPER_ARM / 2
    elbow = Part(
        f"l{side}",
        lambda p: (0, half if arm(p).out else UPPER_ARM),
        lambda p: 0,
        (Seg(0, 0, 0, -half, 8, colour),),
        (forearm,),
    )
    return Part(
        f"s{side}", _at(0, -TRUNK), lambda p: -arm(p).shoulder, (Seg(0, 0, 0, half, 8, colour),), (elbow,)
    )


def _body() -> Part:
    head = Part("nk", _at(0, -TRUNK), lambda p: p.neck, (Head(0, -NECK),))
    # The far arm goes behind the trunk, the near arm in front of it.
    chest = Part(
        "ch",
        _at(0, 0),
        lambda p: 0,
        (
            Seg(0, 0, 0, -TRUNK, 18, BODY_COLOUR, "trunk"),
            Spot(Focus.BELLY, 6, -20),
            Spot(Focus.LOW_BACK, -6, -12),
        ),
    )
    trunk = Part("sp", _at(0, 0), lambda p: p.spine, (), (_arm(False), chest, head, _arm(True)))
    hips = Part("hp", _at(0, 0), lambda p: 0, (Spot(Focus.BUTTOCK, -5, 4), Spot(Focus.FRONT_OF_HIP, 7, -3)))
    return Part(
        "r", _at(0, 0), lambda p: POSTURE_TURN[p.posture] + p.tilt, (), (_leg(False), trunk, _leg(True), hips)
    )


BODY = _body()


# Where each pose puts the body -------------------------------------------------------------------

Matrix = tuple[float, float, float, float, float, float]


def _times(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + c * q, b * p + d * q, a * r + c * s, b * r + d * s, a * t + c * u + e, b * t + d * u + f)


def _place(at: tuple[float, float], degrees: float) -> Matrix:
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (cos, sin, -sin, cos, at[0], at[1])


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


@dataclass
class Layout:
    """A pose's body on the floor: the root's place, and every point it reaches, with each point's radius."""

    pose: Pose
    x: float = 0.0
    y: float = 0.0
    reach: list[tuple[float, float, float, str]] = field(default_factory=list)

    def points(self, tag: str = "") -> list[tuple[float, float, float]]:
        return [(x + self.x, y + self.y, r) for x, y, r, t in self.reach if not tag or t == tag]

    @property
    def box(self) -> Box:
        points = self.points()
        return (
            min(x - r for x, _, r in points),
            min(y - r for _, y, r in points),
            max(x + r for x, _, r in points),
            max(y + r for _, y, r in points),
        )


def _reach(part: Part, pose: Pose, m: Matrix, out: list[tuple[float, float, float, str]]) -> None:
    m = _times(m, _place(part.place(pose), part.turn(pose)))
    for shape in part.shapes:
        if isinstance(shape, Seg):
            for x, y in ((shape.x1, shape.y1), (shape.x2, shape.y2)):
                out.append((*_apply(m, x, y), shape.width / 2, shape.tag))
        elif isinstance(shape, Head):
            out.append((*_apply(m, shape.x, shape.y), HEAD, "head"))
    for child in part.parts:
        _reach(child, pose, m, out)


def layout(pose: Pose) -> Layout:
    """Where ``pose`` puts the body: resting on the floor, the mat, the pillow or the seat it uses."""
    placed = Layout(pose)
    _reach(BODY, pose, (1, 0, 0, 1, 0, 0), placed.reach)
    ground = FLOOR - (MAT if Prop.MAT in pose.props else 0)
    placed.y = ground - max(y + r for _, y, r in placed.points())
    if pose.posture is Posture.FACE_DOWN and Prop.PILLOW in pose.props:
        trunk = max(y + r for _, y, r, tag in placed.reach if tag == "trunk")
        placed.y = min(placed.y, ground - PILLOW - trunk)
    if pose.posture is Posture.SITTING and Prop.CHAIR in pose.props:
        placed.y = min(placed.y, FLOOR - SEAT - SEAT_TO_HIP)
    return placed
