"""Figures whose words can be read: no text on text, no text on the data.

Each explorer is drawn at the corners of its parameter range (every numeric control at its
minimum and maximum, every choice at each option), at the resolution of the live view
(LIVE_DPI, JupyterLab) and of the book's frames (BOOK_DPI), and each text box (titles, axis labels,
tick labels, annotations, legends) is measured with matplotlib's own extents. A test fails
when two text boxes overlap or when a line, a marker or a bar runs through a legend or an
annotation.
"""

import itertools

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.legend import Legend
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text

from coursekit import explorers
from coursekit.explorers.base import BOOK_COLORS, BOOK_DPI, LIVE_DPI
from coursekit.explorers.narrow_view import NarrowFrames

MAX_CORNERS = 25  # every combination of the estimators explorer's 5 × 5 choices
SHRINK = 1.0  # px: boxes that only touch do not collide


def corners(params: dict) -> list[dict]:
    grids = {
        name: list(spec["options"]) if "options" in spec else [spec["min"], spec["max"]]
        for name, spec in params.items()
    }
    combos = [
        dict(zip(grids, values, strict=True)) for values in itertools.product(*grids.values())
    ]
    return combos[:MAX_CORNERS]


def _box(artist, renderer):
    box = artist.get_window_extent(renderer)
    return box.expanded(1, 1).padded(-SHRINK)


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def text_boxes(figure, renderer) -> list[tuple[str, object]]:
    """(label, box) of every visible, non-empty text; a legend counts as one box."""
    boxes = []
    legends = [a for ax in figure.axes for a in ax.get_children() if isinstance(a, Legend)]
    legends += [a for a in figure.get_children() if isinstance(a, Legend)]
    inside_legends = {id(t) for legend in legends for t in legend.get_texts()}
    inside_legends |= {id(legend.get_title()) for legend in legends}
    for legend in legends:
        if legend.get_visible():
            boxes.append(("legend", _box(legend, renderer)))
    hidden = hidden_tick_labels(figure)
    for text in figure.findobj(Text):
        if (
            id(text) in inside_legends
            or id(text) in hidden
            or not text.get_visible()
            or not text.get_text().strip()
        ):
            continue
        boxes.append((repr(text.get_text()), _box(text, renderer)))
    return boxes


def hidden_tick_labels(figure) -> set[int]:
    """Tick labels matplotlib keeps but does not draw: their tick lies outside the view."""
    hidden = set()
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                location = tick.get_loc()
                if location is None or not low - 1e-9 * abs(
                    high - low
                ) <= location <= high + 1e-9 * abs(high - low):
                    hidden |= {id(tick.label1), id(tick.label2)}
    return hidden


#: Largest gap (display px) between the points taken along a drawn line: a text at least this
#: tall cannot slip between two of them (a vertical line's 8 points left 25 px gaps).
STEP_PX = 2.0


def along(xy: np.ndarray) -> np.ndarray:
    """The display points ``xy`` (n × 2) and points along the straight segments between
    them, at most STEP_PX apart (a segment passes through that space too); a vertex that is
    not finite breaks the line, as it does on screen."""
    finite = np.isfinite(xy).all(axis=1)
    joined = finite[:-1] & finite[1:]
    start, end = xy[:-1][joined], xy[1:][joined]
    counts = np.ceil(np.hypot(*(end - start).T) / STEP_PX).astype(int) + 1
    first = np.repeat(np.cumsum(counts) - counts, counts)
    t = (np.arange(counts.sum()) - first) / np.repeat(np.maximum(counts - 1, 1), counts)
    segment = np.repeat(np.arange(len(start)), counts)
    return np.concatenate([xy[finite], start[segment] + t[:, None] * (end - start)[segment]])


def data_points(axes) -> np.ndarray:
    """Display coordinates of the drawn data of one axes: lines (vertices, and the segments
    between them when the line style draws them), segments of line collections, markers
    and bar tops."""
    points = []
    for line in axes.get_lines():
        if not line.get_visible() or not len(line.get_xydata()):
            continue
        xy = line.get_transform().transform(line.get_xydata())
        if line.get_linestyle() not in ("None", "none", ""):
            xy = along(xy)
        points.append(xy)
    for collection in axes.collections:
        if isinstance(collection, PathCollection) and collection.get_visible():
            offsets = collection.get_offsets()
            if len(offsets):
                points.append(collection.get_offset_transform().transform(offsets))
        if isinstance(collection, LineCollection) and collection.get_visible():
            # hlines, vlines and the like: each segment as a line
            for segment in collection.get_segments():
                if len(segment) > 1:
                    points.append(along(collection.get_transform().transform(segment)))
    for patch in axes.patches:
        if isinstance(patch, Rectangle) and patch.get_visible() and patch.get_height():
            x0, y0, x1, y1 = patch.get_window_extent().extents
            points.append(np.array([[x, y1] for x in np.linspace(x0, x1, 5)]))
    if not points:
        return np.empty((0, 2))
    return np.concatenate([np.asarray(p, dtype=float).reshape(-1, 2) for p in points])


def collisions(figure) -> list[str]:
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    boxes = text_boxes(figure, renderer)
    found = [
        f"{a} overlaps {b}"
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
        if _overlap(box_a, box_b)
    ]
    for axes in figure.axes:
        points = data_points(axes)
        inside = axes.bbox
        keep = (
            (
                (points[:, 0] >= inside.x0)
                & (points[:, 0] <= inside.x1)
                & (points[:, 1] >= inside.y0)
                & (points[:, 1] <= inside.y1)
            )
            if len(points)
            else np.zeros(0, bool)
        )
        points = points[keep]
        covering = [a for a in axes.get_children() if isinstance(a, Legend | Annotation)]
        covering += [t for t in axes.texts if not isinstance(t, Annotation)]
        for artist in covering:
            if not artist.get_visible():
                continue
            if isinstance(artist, Text) and not artist.get_text().strip():
                continue
            box = _box(artist, renderer)
            hit = (
                (points[:, 0] > box.x0)
                & (points[:, 0] < box.x1)
                & (points[:, 1] > box.y0)
                & (points[:, 1] < box.y1)
            )
            if hit.any():
                name = "legend" if isinstance(artist, Legend) else repr(artist.get_text())
                found.append(f"the data run through {name} in {axes.get_title()!r} or its axes")
    return found


EXPLORERS = explorers.available()


@pytest.mark.parametrize("name", EXPLORERS)
def test_no_text_collides_at_the_corners_of_the_parameter_range(name):
    explorer = EXPLORERS[name]()
    problems = []
    for values in corners(explorer.params):
        explorer.update(**values)
        for dpi in (LIVE_DPI, BOOK_DPI):
            explorer.render(dpi, full=True)
            problems += [f"{values} at {dpi} dpi: {p}" for p in collisions(explorer.figure)]
    assert not problems, f"{name}:\n" + "\n".join(problems[:30])


@pytest.mark.parametrize("name", EXPLORERS)
def test_no_text_collides_in_the_phone_frames_at_the_book_resolution(name):
    """The book's frames for phones (narrow_view.NarrowFrames) at BOOK_DPI, the resolution the
    book renders them at."""
    explorer = EXPLORERS[name]()
    frames = NarrowFrames(explorer, BOOK_DPI, BOOK_COLORS)
    problems = []
    for values in corners(explorer.params):
        frames.frame(values, explorer.compute(**{**explorer.values, **values}))
        problems += [f"{values}: {p}" for p in collisions(frames.figure)]
    assert not problems, f"{name}:\n" + "\n".join(problems[:30])
