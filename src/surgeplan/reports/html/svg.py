"""Inline SVG primitives (chart, rect, text), coordinates, axis steps and the site colours."""

from __future__ import annotations

import math
from collections.abc import Iterable

from surgeplan.reports.html.format import e

# Paul Tol's "muted" qualitative scheme (colour-blind safe) plus his pale grey.
SITE_PALETTE = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
    "#DDCC77", "#CC6677", "#882255", "#AA4499", "#DDDDDD",
)  # fmt: skip


def f(value: float) -> str:
    """A compact SVG coordinate."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #RRGGBB."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ink(colour: str) -> str:
    """White or near-black text, whichever contrasts more with `colour`."""
    lum = _luminance(colour)
    return "#ffffff" if (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.0625) else "#111827"


def nice_step(top: float, ticks: int = 5) -> float:
    """A 1-2-5 step giving about `ticks` gridlines up to `top`."""
    raw = top / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def svg(width: float, height: float, label: str, body: Iterable[str], cls: str = "") -> str:
    """An accessible inline SVG: role=img, aria-label and <title> from `label` (escaped)."""
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<svg role="img" aria-label="{e(label)}"'
        f' viewBox="0 0 {f(width)} {f(height)}" width="{f(width)}"'
        f' height="{f(height)}"{klass}><title>{e(label)}</title>' + "".join(body) + "</svg>"
    )


def rect(
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    cls: str = "",
    fill: str = "",
    tip: str = "",
) -> str:
    """A rect with optional class, fill and tooltip (the tooltip text is escaped here)."""
    attrs = f'x="{f(x)}" y="{f(y)}" width="{f(max(w, 0))}" height="{f(max(h, 0))}"'
    if cls:
        attrs += f' class="{cls}"'
    if fill:
        attrs += f' fill="{fill}"'
    if tip:
        return f"<rect {attrs}><title>{e(tip)}</title></rect>"
    return f"<rect {attrs}/>"


def text(x: float, y: float, text: str, *, cls: str = "", anchor: str = "", fill: str = "") -> str:
    """A text element; `text` is escaped here."""
    attrs = f'x="{f(x)}" y="{f(y)}"'
    if cls:
        attrs += f' class="{cls}"'
    if anchor:
        attrs += f' text-anchor="{anchor}"'
    if fill:
        attrs += f' fill="{fill}"'
    return f"<text {attrs}>{e(text)}</text>"
