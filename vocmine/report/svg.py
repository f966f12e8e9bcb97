"""The SVG building blocks the report charts are drawn with: palette, text measuring, elements, scales.

Why a module of its own: ``charts.py`` decides layout (where a bar, an axis or a legend goes) and
this module decides how one piece is written as SVG text. Keeping the pieces here means every
chart escapes text, rounds coordinates, marks data and picks colours the same way, and
``charts.py`` stays a readable set of chart layouts. Nothing here knows about feedback or themes.

The rules every piece keeps: presentation attributes only (no ``<style>``, no ids), coordinates
written with one decimal, all text escaped, and each data mark carries ``class="mark"``, a raw
``data-value`` and a ``<title>`` tooltip.

    >>> text(4, 18, "Billing <late>", fill=MUTED)
    '<text x="4.0" y="18.0" text-anchor="start" font-size="12" fill="#57606a">Billing &lt;late&gt;</text>'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK, MUTED, GRID, NO_DATA = "#1f2328", "#57606a", "#d8dee4", "#eceff2"
# Okabe-Ito: distinguishable with every common colour-vision deficiency; yellow last, it is faint on white.
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
POSITIVE, NEGATIVE = "#0072B2", "#D55E00"
# ColorBrewer "Reds" without its near-white first step, so the lowest cell still shows on white.
HEAT_STOPS = ("#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#a50f15", "#67000d")
# A white outline painted under the glyphs: a gridline or target line crossing a label stays readable.
HALO = ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'


# ---------------------------------------------------------------- text measuring
# Advance widths in em of DejaVu Sans, Debian's default sans and wider than Segoe UI, Helvetica or
# Roboto, so a layout sized by it fits on every platform.
_EM = {**dict.fromkeys("ijl.,:;'|! ", 0.31), **dict.fromkeys("frtI()[]{}/-", 0.42),
       **dict.fromkeys("0123456789", 0.64), **dict.fromkeys("mwMW@%", 0.98), **dict.fromkeys("+=<>~^", 0.84)}


def text_width(s: str, size: float = 12) -> float:
    """Estimated width in px of ``s``: the layout is decided without a browser to measure text."""
    return size * sum(_EM.get(c, 0.72 if c.isupper() else 0.61) for c in s)


def fit(s: str, max_px: float, size: float = 12) -> str:
    """Shorten ``s`` with an ellipsis so it fits ``max_px``; the full text stays in the tooltip."""
    if text_width(s, size) <= max_px:
        return s
    while s and text_width(s + "…", size) > max_px:
        s = s[:-1]
    return s.rstrip() + "…"


# ---------------------------------------------------------------- elements
def text(x: float, y: float, s: str, *, anchor: str = "start", size: float = 12, fill: str = INK,
         weight: str = "", extra: str = "") -> str:
    w = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}"{w}{extra}>'
            f"{escape(s)}</text>")


def _raw(v: float) -> str:
    """data-value text that float() reads back exactly."""
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def mark(tag: str, attrs: str, value: float, tip: str) -> str:
    """A data mark: ``class="mark"``, the raw value for tests and scripts, the formatted one as tooltip."""
    return f'<{tag} class="mark" data-value="{_raw(value)}" {attrs}><title>{escape(tip)}</title></{tag}>'


def line(x1: float, y1: float, x2: float, y2: float, stroke: str = GRID, extra: str = "") -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}"{extra}/>'


def path(points: Sequence[tuple[float, float] | None]) -> str:
    """An SVG path through the points, lifting the pen at each None so a gap stays a gap."""
    parts, pen_down = [], False
    for p in points:
        if p is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{p[0]:.1f},{p[1]:.1f}")
        pen_down = True
    return " ".join(parts)


def heading(title: str, width: float) -> str:
    return text(4, 18, fit(title, width - 8, 15.4), size=14, weight="600")  # 15.4: bold runs ~10% wider


def chart(kind: str, title: str, width: float, height: float, body: Sequence[str]) -> str:
    """The outer ``<svg>`` of one chart: its kind, an accessible title and sizes that scale down."""
    t = escape(title)
    w, h = round(width), round(height)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{kind}" role="img" '
            f'aria-label="{t}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="{escape(FONT)}" '
            f'font-size="12" fill="{INK}" style="max-width:100%;height:auto"><title>{t}</title>'
            + "".join(body) + "</svg>")


def empty(kind: str, title: str, width: float, height: float) -> str:
    """A chart with nothing to show still takes its place and says so, rather than vanishing."""
    if kind == "sparkline":
        note = text(width / 2, height / 2 + 4, "no data", anchor="middle", size=10, fill=MUTED)
        return chart(kind, title, width, height, [note])
    no_data = text(width / 2, height / 2 + 12, "No data", anchor="middle", size=13, fill=MUTED)
    return chart(kind, title, width, height, [heading(title, width), no_data])


# ---------------------------------------------------------------- scales
def scale(d0: float, d1: float, r0: float, r1: float) -> Callable[[float], float]:
    """Linear map of the domain [d0, d1] onto the range [r0, r1]; a zero-width domain maps to r0."""
    k = (r1 - r0) / (d1 - d0) if d1 != d0 else 0.0
    return lambda v: r0 + (v - d0) * k


def spread(n: int, left: float, right: float) -> list[float]:
    """``n`` evenly spaced positions from ``left`` to ``right``; a single one sits in the middle."""
    if n == 1:
        return [(left + right) / 2]
    return [left + i * (right - left) / (n - 1) for i in range(n)]


# ---------------------------------------------------------------- colours
def heat_colour(v: float, lo: float, hi: float) -> str:
    """Colour of ``v`` on the sequential scale from ``lo`` (light) to ``hi`` (dark), clamped."""
    t = 0.0 if hi <= lo else min(max((v - lo) / (hi - lo), 0.0), 1.0)
    pos = t * (len(HEAT_STOPS) - 1)
    k = min(int(pos), len(HEAT_STOPS) - 2)
    pairs = zip(_rgb(HEAT_STOPS[k]), _rgb(HEAT_STOPS[k + 1]), strict=True)
    return "#" + "".join(f"{round(p + (q - p) * (pos - k)):02x}" for p, q in pairs)


def _rgb(hex_colour: str) -> tuple[int, ...]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def _luminance(colour: str) -> float:
    """WCAG relative luminance, for choosing a readable text colour."""
    return sum(w * ((c / 255) / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4)
               for w, c in zip((0.2126, 0.7152, 0.0722), _rgb(colour)))


_INK_LUMINANCE = _luminance(INK)


def contrast_text(fill: str) -> str:
    """White or ink, whichever has the higher WCAG contrast ratio with ``fill``."""
    lum = _luminance(fill)
    return "#ffffff" if 1.05 / (lum + 0.05) > (lum + 0.05) / (_INK_LUMINANCE + 0.05) else INK


__all__ = ["FONT", "GRID", "HALO", "HEAT_STOPS", "INK", "MUTED", "NEGATIVE", "NO_DATA", "POSITIVE", "SERIES_COLOURS",
           "chart", "contrast_text", "empty", "fit", "heading", "heat_colour", "line", "mark", "path", "scale",
           "spread", "text", "text_width"]
