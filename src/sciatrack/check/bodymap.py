"""The body map of the "where does it hurt" step, as data: three small drawings and their regions.

The front and back views show the whole body, head to feet: the middle of the back is a region of its own
(seen from the back, and from the front as a band around the chest and upper belly, the "band of pain
around the chest" of the contract), everything else lives from the waist down. A close-up of the foot
gives the toes, heel and sole shapes large enough to tap. Each region has
exactly one keyboard-focusable shape; where a region also shows in another view (the outer side of the
leg is seen from the front and from the back), the extra shape is a pointer-only duplicate hidden from
assistive technology, so a keyboard or screen-reader user meets every region once.

Shapes are drawn for the leg on the viewer's left and mirrored for the other leg.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Point = tuple[float, float]

WIDTH = 200


@dataclass(frozen=True)
class Shape:
    region: str
    points: tuple[Point, ...]
    mirrored: bool = True  # also drawn for the other leg
    duplicate: bool = False  # pointer-only copy of a region focusable elsewhere
    ellipse: tuple[float, float, float, float] | None = None  # cx, cy, rx, ry instead of points


@dataclass(frozen=True)
class View:
    slug: str
    title: str
    view_box: str
    outline: tuple[str, ...]  # SVG path data of the silhouette, drawn under the regions
    shapes: tuple[Shape, ...] = field(default=())


def mirror(points: tuple[Point, ...]) -> tuple[Point, ...]:
    return tuple((WIDTH - x, y) for x, y in points)


def polygon(points: tuple[Point, ...]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in points)


SOLE_SHIFT = 170


def shifted(points: tuple[Point, ...], dx: float) -> tuple[Point, ...]:
    return tuple((x + dx, y) for x, y in points)


def path(points: tuple[Point, ...]) -> str:
    return "M" + " L".join(f"{x:g},{y:g}" for x, y in points) + " Z"


def toe(cx: float, cy: float, rx: float, ry: float) -> str:
    return f"M{cx - rx:g},{cy:g} a{rx:g},{ry:g} 0 1,0 {2 * rx:g},0 a{rx:g},{ry:g} 0 1,0 {-2 * rx:g},0 Z"


LEG_OUTLINE: tuple[Point, ...] = (
    (44, 14), (156, 14), (164, 96), (162, 120), (148, 232), (150, 252), (140, 390),
    (146, 432), (104, 432), (114, 390), (106, 252), (108, 232), (101, 140), (99, 140),
    (92, 232), (94, 252), (86, 390), (96, 432), (54, 432), (60, 390), (50, 252), (52, 232),
    (38, 120), (36, 96),
)  # fmt: skip
KNEES = "M52,232 L92,232 L94,252 L50,252 Z M108,232 L148,232 L150,252 L106,252 Z"
# Above the waist (y 14): the trunk to the shoulders, drawn for the viewer's left and mirrored.
TRUNK_SIDE: tuple[Point, ...] = ((44, 14), (42, -30), (38, -70), (34, -96), (44, -106), (86, -112))
TRUNK_OUTLINE = TRUNK_SIDE + tuple(reversed(mirror(TRUNK_SIDE)))
ARM: tuple[Point, ...] = ((34, -96), (22, -88), (14, -40), (8, 8), (18, 12), (26, -34), (38, -70))
NECK: tuple[Point, ...] = ((88, -112), (88, -124), (112, -124), (112, -112))
HEAD = toe(100, -139, 15, 18)
UPPER_BODY = (path(TRUNK_OUTLINE), path(ARM), path(mirror(ARM)), path(NECK), HEAD)
BODY_VIEW_BOX = "0 -160 200 600"
# The middle and upper back: from below the shoulders to the waist, behind the ribs.
MID_BACK: tuple[Point, ...] = (
    (36, -90), (164, -90), (162, -70), (158, -30), (156, 14), (44, 14), (42, -30), (38, -70),
)  # fmt: skip
CHEST_BAND: tuple[Point, ...] = ((38, -72), (162, -72), (158, -28), (42, -28))

FRONT = View(
    slug="front",
    title="Front",
    view_box=BODY_VIEW_BOX,
    outline=(*UPPER_BODY, path(LEG_OUTLINE), KNEES),
    shapes=(
        Shape("mid_back", CHEST_BAND, mirrored=False, duplicate=True),  # a band of pain around the chest
        Shape("groin", ((58, 96), (99, 108), (99, 136), (58, 120))),
        Shape("side_of_thigh", ((36, 96), (58, 96), (58, 120), (64, 232), (52, 232), (38, 120))),
        Shape("front_of_thigh", ((58, 120), (99, 136), (92, 232), (64, 232))),
        Shape("side_of_calf", ((50, 252), (66, 252), (72, 390), (60, 390))),
        Shape("front_of_shin", ((66, 252), (94, 252), (86, 390), (72, 390))),
        Shape("top_of_foot", ((60, 392), (86, 392), (96, 430), (54, 430)), duplicate=True),
    ),
)

BACK = View(
    slug="back",
    title="Back",
    view_box=BODY_VIEW_BOX,
    outline=(*UPPER_BODY, path(LEG_OUTLINE), KNEES),
    shapes=(
        Shape("mid_back", MID_BACK, mirrored=False),
        Shape("low_back", ((44, 14), (156, 14), (160, 52), (40, 52)), mirrored=False),
        Shape("buttock", ((40, 52), (100, 52), (100, 128), (60, 126), (36, 98))),
        Shape("side_of_thigh", ((36, 98), (60, 126), (64, 232), (52, 232), (38, 120)), duplicate=True),
        Shape("back_of_thigh", ((60, 126), (100, 128), (92, 232), (64, 232))),
        Shape("side_of_calf", ((50, 252), (66, 252), (72, 390), (60, 390)), duplicate=True),
        Shape("back_of_calf", ((66, 252), (94, 252), (86, 390), (72, 390))),
        Shape("heel", ((60, 392), (86, 392), (84, 428), (62, 428)), duplicate=True),
    ),
)

FOOT_POINTS: tuple[Point, ...] = (
    (40, 70), (36, 100), (40, 130), (48, 160), (58, 196), (112, 196), (120, 160), (128, 120),
    (134, 90), (128, 72), (112, 60), (92, 56), (70, 58), (52, 62),
)  # fmt: skip
SMALL_TOES = (toe(76, 40, 9, 11), toe(96, 44, 8, 10), toe(114, 50, 7, 9))
SOLE_TOES = (
    toe(50 + SOLE_SHIFT, 36, 17, 22),
    *(toe(x + SOLE_SHIFT, y, rx, ry) for x, y, rx, ry in ((76, 40, 9, 11), (96, 44, 8, 10), (114, 50, 7, 9))),
    toe(130 + SOLE_SHIFT, 58, 11, 13),
)

FOOT = View(
    slug="foot",
    title="Foot, close up: top (left) and sole (right)",
    view_box="0 0 340 200",
    outline=(path(FOOT_POINTS), *SMALL_TOES, path(shifted(FOOT_POINTS, SOLE_SHIFT)), *SOLE_TOES),
    shapes=(
        Shape("big_toe", (), mirrored=False, ellipse=(50, 36, 17, 22)),
        Shape("little_toe", (), mirrored=False, ellipse=(130, 58, 11, 13)),
        Shape("top_of_foot", FOOT_POINTS, mirrored=False),
        Shape(
            "sole",
            shifted(
                (
                    (40, 70),
                    (36, 100),
                    (39, 135),
                    (129, 135),
                    (134, 90),
                    (128, 72),
                    (112, 60),
                    (92, 56),
                    (70, 58),
                    (52, 62),
                ),
                SOLE_SHIFT,
            ),
            mirrored=False,
        ),
        Shape(
            "heel",
            shifted(((39, 135), (48, 160), (58, 196), (112, 196), (120, 160), (129, 135)), SOLE_SHIFT),
            mirrored=False,
        ),
    ),
)

VIEWS: tuple[View, ...] = (FRONT, BACK, FOOT)


@dataclass(frozen=True)
class DrawnShape:
    region: str
    label: str
    duplicate: bool
    polygons: tuple[str, ...]
    ellipse: tuple[float, float, float, float] | None


def drawn_shapes(view: View, labels: dict[str, str]) -> list[DrawnShape]:
    """The view's regions ready for the template: both legs' polygons in one group per region."""
    drawn = []
    for shape in view.shapes:
        polygons = [polygon(shape.points)] if shape.points else []
        if shape.mirrored and shape.points:
            polygons.append(polygon(mirror(shape.points)))
        drawn.append(
            DrawnShape(shape.region, labels[shape.region], shape.duplicate, tuple(polygons), shape.ellipse)
        )
    return drawn


def focusable_regions() -> list[str]:
    """Every region that has a focusable (non-duplicate) shape, in keyboard order."""
    return [shape.region for view in VIEWS for shape in view.shapes if not shape.duplicate]
