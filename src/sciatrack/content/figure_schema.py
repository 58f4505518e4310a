"""The drawing of an exercise, as data: poses of a simple side-view body, a loop that moves between them,
and the props each pose uses.

A pose gives the body's posture (lying on the back, front or side, sitting or standing) and the angle of
each joint in degrees, 0 being the body standing straight with its arms by its sides:

- ``spine``: the trunk bent forward (+) or arched back (-) from the hips up;
- ``neck``: the head bent forward (+) or tipped back (-);
- ``hip``: the thigh brought forward (+) or taken back (-);
- ``knee``: bent (+); ``ankle``: toes pulled up (+) or pointed (-);
- ``shoulder``: the arm raised forward (+, 180 is overhead) or taken back (-); ``elbow``: bent (+);
  an arm ``out`` to the side is drawn shorter above the elbow, as it looks from the side;
- ``tilt``: not a joint, the whole body turned a little about the hips from its posture, toward its front
  (+) or its back (-): a small bridge is the body lying on its back tilted back.

``near_*`` limbs face the viewer, ``far_*`` limbs are behind the body. Each angle must lie within
:data:`JOINT_RANGES`, the one place a joint's human range is written, so a drawing can never show a body
that no one could make. The exercise that owns a figure checks that it has a pose for every step and
that its start pose lies as the exercise says (``Figure.check_fits``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated, Self

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from .rules_schema import StrictModel

# The normal active range of each joint in an adult, in degrees: (most back or straight, most forward or
# bent), as the usual clinical tables of normal joint motion give them (the AAOS values).
JOINT_RANGES: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "tilt": (-20, 20),  # not a joint: how far the whole body may be tipped, e.g. in a small bridge
        "spine": (-25, 80),
        "neck": (-45, 45),
        "shoulder": (-60, 180),
        "elbow": (0, 150),
        "hip": (-30, 120),
        "knee": (0, 135),
        "ankle": (-50, 20),
    }
)

PoseName = Annotated[str, StringConstraints(pattern=r"^[a-z]+(_[a-z]+)*$")]
LOOP_SECONDS_MAX = 20.0


def _within(joint: str) -> Callable[[int], int]:
    low, high = JOINT_RANGES[joint]

    def check(value: int) -> int:
        if not low <= value <= high:
            raise ValueError(f"{value} degrees is more than the {joint} can move ({low} to {high})")
        return value

    return check


Tilt = Annotated[int, AfterValidator(_within("tilt"))]
Spine = Annotated[int, AfterValidator(_within("spine"))]
Neck = Annotated[int, AfterValidator(_within("neck"))]
Shoulder = Annotated[int, AfterValidator(_within("shoulder"))]
Elbow = Annotated[int, AfterValidator(_within("elbow"))]
Hip = Annotated[int, AfterValidator(_within("hip"))]
Knee = Annotated[int, AfterValidator(_within("knee"))]
Ankle = Annotated[int, AfterValidator(_within("ankle"))]


class Posture(StrEnum):
    """How the body lies, sits or stands; the same words as an exercise's ``position``."""

    FACE_DOWN = "face_down"
    BACK = "back"
    SIDE = "side"
    SITTING = "sitting"
    STANDING = "standing"


LYING = frozenset({Posture.FACE_DOWN, Posture.BACK, Posture.SIDE})


class Prop(StrEnum):
    """Things drawn with the body: where each goes depends on the posture (see ``outputs/figures.py``)."""

    MAT = "mat"  # under a lying body
    PILLOW = "pillow"  # under the belly lying face down, else under the head
    BALL = "ball"  # under the near thigh, sitting on a chair
    CHAIR = "chair"  # the seat when sitting; held at its back by the near hand when standing
    WALL = "wall"  # behind the body


# Which postures each prop can be drawn with.
PROP_POSTURES: Mapping[Prop, frozenset[Posture]] = MappingProxyType(
    {
        Prop.MAT: LYING,
        Prop.PILLOW: LYING,
        Prop.BALL: frozenset({Posture.SITTING}),
        Prop.CHAIR: frozenset({Posture.SITTING, Posture.STANDING}),
        Prop.WALL: frozenset(Posture),
    }
)


class Focus(StrEnum):
    """Where the work is felt, marked on the drawing."""

    BUTTOCK = "buttock"
    BELLY = "belly"
    LOW_BACK = "low_back"
    BACK_OF_THIGH = "back_of_thigh"
    FRONT_OF_HIP = "front_of_hip"


class Leg(StrictModel):
    hip: Hip = 0
    knee: Knee = 0
    ankle: Ankle = 0


class Arm(StrictModel):
    shoulder: Shoulder = 0
    elbow: Elbow = 0
    # The arm turned out to the side (elbows out, as with the hands under the forehead): seen from the
    # side, the upper arm looks about half as long.
    out: bool = False


class Pose(StrictModel):
    """One position of the body; every angle left out is 0 (standing straight)."""

    posture: Posture
    tilt: Tilt = 0
    spine: Spine = 0
    neck: Neck = 0
    near_leg: Leg = Leg()
    far_leg: Leg = Leg()
    near_arm: Arm = Arm()
    far_arm: Arm = Arm()
    props: tuple[Prop, ...] = ()
    focus: tuple[Focus, ...] = ()

    @model_validator(mode="after")
    def _props_fit(self) -> Self:
        for name, items in (("props", self.props), ("focus", self.focus)):
            if len(set(items)) != len(items):
                raise ValueError(f"{name}: each at most once")
        for prop in self.props:
            if self.posture not in PROP_POSTURES[prop]:
                raise ValueError(f"props: a {prop} cannot be drawn with the posture {self.posture}")
        if Prop.BALL in self.props and Prop.CHAIR not in self.props:
            raise ValueError("props: the ball is drawn on a chair's seat, under the thigh; add the chair")
        return self


class Keyframe(StrictModel):
    """A pose the loop reaches: ``move`` seconds to get there from the one before, then ``hold`` seconds
    there. The first keyframe's ``move`` is the way back to it from the last."""

    pose: PoseName
    move: float = Field(ge=0.2, le=10)
    hold: float = Field(default=0, ge=0, le=10)


class Figure(StrictModel):
    """An exercise's drawing: its named poses, which pose shows each step, and the moving loop.

    ``start`` is the start position's pose and the loop's first keyframe; ``end`` is the pose drawn
    beside it where the drawing cannot move (in print, in the PDF, for people who ask for less motion).
    """

    poses: dict[PoseName, Pose] = Field(min_length=2)
    start: PoseName
    end: PoseName
    steps: list[PoseName] = Field(min_length=1)
    loop: list[Keyframe] = Field(min_length=2)

    @model_validator(mode="after")
    def _names_and_loop(self) -> Self:
        named = [("start", self.start), ("end", self.end)]
        named += [(f"steps[{index}]", name) for index, name in enumerate(self.steps)]
        named += [(f"loop[{index}].pose", frame.pose) for index, frame in enumerate(self.loop)]
        for where, name in named:
            if name not in self.poses:
                raise ValueError(f"{where}: there is no pose called {name!r}")
        used = {name for _, name in named}
        for name in self.poses:
            if name not in used:
                raise ValueError(f"poses.{name}: no step or loop uses it")
        if self.loop[0].pose != self.start:
            raise ValueError("loop[0].pose: the loop begins at the start pose")
        if self.end == self.start or self.end not in {frame.pose for frame in self.loop}:
            raise ValueError("end: must be a pose of the loop other than the start")
        if self.end not in self.steps:
            raise ValueError("end: no step shows it, so no step's words can describe it")
        first = self.poses[self.start]
        for index, frame in enumerate(self.loop):
            pose = self.poses[frame.pose]
            if (pose.posture, pose.props) != (first.posture, first.props):
                raise ValueError(f"loop[{index}].pose: a loop keeps one posture and the same props")
        if self.seconds > LOOP_SECONDS_MAX:
            raise ValueError(
                f"loop: {self.seconds:g} seconds is too long for one loop ({LOOP_SECONDS_MAX:g})"
            )
        return self

    @property
    def seconds(self) -> float:
        """How long one round of the loop takes."""
        return sum(frame.move + frame.hold for frame in self.loop)

    def step_pose(self, number: int) -> Pose:
        """The pose of step ``number`` (1-based); IndexError for a step there is not."""
        if not 1 <= number <= len(self.steps):
            raise IndexError(f"there is no step {number}")
        return self.poses[self.steps[number - 1]]

    def end_step(self) -> int:
        """The number (1-based) of the first step that shows the end pose."""
        return self.steps.index(self.end) + 1

    def check_fits(self, step_count: int, position: str) -> None:
        """Raise ValueError unless there is one pose per step and the start pose has the ``position``."""
        if len(self.steps) != step_count:
            raise ValueError(
                f"figure.steps: {len(self.steps)} poses for {step_count} steps; give each step its pose"
            )
        if self.poses[self.start].posture != position:
            raise ValueError(f"figure.start: the start pose must have the posture {position}")
