"""Whether a figure's translated labels still fit where the English ones were drawn.

Measured in Chromium on the SVG as its own document (as a learner's browser shows it): each label
must stay inside the smallest shape (box, circle, roof) that holds the English label, and two
labels side by side must not run into each other.
"""

from __future__ import annotations

import base64
from typing import Any

Box = tuple[float, float, float, float]  # x, y, width, height

_MEASURE = """() => {
  const box = (e) => { const b = e.getBBox(); return [b.x, b.y, b.width, b.height]; };
  return {
    texts: [...document.querySelectorAll('text')].map(box),
    shapes: [...document.querySelectorAll('rect, circle, polygon')].map(box),
    // for each label, the polygons (a roof, an arrow) holding all four corners of its box
    inPolygons: [...document.querySelectorAll('text')].map((t) => {
      const b = t.getBBox(), m = b.height / 4;
      const corners = [[b.x + 1, b.y + m], [b.x + b.width - 1, b.y + m],
                       [b.x + 1, b.y + b.height - m], [b.x + b.width - 1, b.y + b.height - m]];
      return [...document.querySelectorAll('polygon')].map((p, n) => [n, p])
        .filter(([n, p]) => corners.every(([x, y]) => p.isPointInFill(new DOMPoint(x, y))))
        .map(([n]) => n);
    }),
  };
}"""
SIDE = 1.5  # px a label may pass a side of its shape (antialiasing, rounding)
MARGIN = 3.0  # px of room kept between a label and the sides of its shape
HEIGHT = 5.0  # px above or below: Arabic and Chinese glyphs are taller than Latin ones


def open_svg(page: Any, svg: bytes) -> None:
    page.goto("data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"))


def measure(page: Any, svg: bytes) -> dict[str, list[Box]]:
    open_svg(page, svg)
    return page.evaluate(_MEASURE)


def _inside(inner: Box, outer: Box, side: float, height: float) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return (
        x >= ox - side
        and x + w <= ox + ow + side
        and y >= oy - height
        and y + h <= oy + oh + height
    )


def _area(box: Box) -> float:
    return box[2] * box[3]


def _overlap(a: Box, b: Box) -> bool:
    return (
        a[0] < b[0] + b[2] - SIDE
        and b[0] < a[0] + a[2] - SIDE
        and a[1] < b[1] + b[3] - SIDE
        and b[1] < a[1] + a[3] - SIDE
    )


def misfits(page: Any, english: bytes, translated: bytes) -> list[str]:
    """What does not fit, one line each (label index and why); [] when all is well."""
    source, target = measure(page, english), measure(page, translated)
    problems: list[str] = []
    for n, (before, after) in enumerate(zip(source["texts"], target["texts"], strict=True)):
        if after[2] == 0:
            continue
        holders = [s for s in source["shapes"] if _inside(before, s, SIDE, HEIGHT)]
        if holders:
            holder = min(holders, key=_area)
            # as much room on each side as the English label had, up to MARGIN
            left = min(MARGIN, before[0] - holder[0])
            right = min(MARGIN, holder[0] + holder[2] - before[0] - before[2])
            room = (holder[0] + left, holder[1], holder[2] - left - right, holder[3])
            if not _inside(after, room, SIDE, HEIGHT):
                problems.append(
                    f"label {n}: {after[2]:.0f} px wide at x={after[0]:.0f}, its shape spans "
                    f"x={holder[0]:.0f}..{holder[0] + holder[2]:.0f}"
                )
        for polygon in source["inPolygons"][n]:
            if polygon not in target["inPolygons"][n]:
                problems.append(f"label {n} leaves the polygon it is drawn in")
        for shape in source["shapes"]:
            if _overlap(after, shape) and not _overlap(before, shape) and shape not in holders:
                problems.append(f"label {n} runs into a shape at x={shape[0]:.0f}")
                break
    texts = source["texts"]
    for i, a in enumerate(target["texts"]):
        for j in range(i + 1, len(texts)):
            if _overlap(a, target["texts"][j]) and not _overlap(texts[i], texts[j]):
                problems.append(f"labels {i} and {j} run into each other")
    return problems
