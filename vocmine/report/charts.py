"""Inline SVG charts for team reports: bars, lines, a heatmap and sparklines.

Why hand-made SVG strings rather than a JavaScript charting library: a report must open offline,
from a mail attachment or a shared drive, with nothing fetched from a CDN and no script to run.
Each chart is one ``<svg>`` element that carries its own text and colours as presentation
attributes (no ``<style>``, no ids), so several charts can share a page and survive mail clients
that strip stylesheets.

Every data mark (bar, line point, heatmap cell) has ``class="mark"``, ``data-value`` with the raw
number and a ``<title>`` tooltip with the formatted one, so tests and the browser check can count
what was drawn. A missing value (None or NaN) draws no mark: a gap in a line, a grey cell.

This module lays the charts out; the pieces they are drawn with (elements, text widths, palette,
scales) live in ``vocmine.report.svg``.

    >>> chart = bar_chart(["Billing errors", "App crashes"], [0.031, -0.012],
    ...                   title="Share change", value_format=percent(1, signed=True, suffix=" pp"))
    >>> chart.count('class="mark"')
    2
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from vocmine.report import svg

Format = Callable[[float], str]
Value = float | int | None


# ---------------------------------------------------------------- numbers and formats
def auto_format(v: float) -> str:
    """A readable default: thousands separated, about three significant digits for small values."""
    a = abs(v)
    if a >= 100 or float(v).is_integer():
        return f"{v:,.0f}"
    return f"{v:.1f}" if a >= 10 else f"{v:.2f}"


def percent(decimals: int = 0, *, signed: bool = False, suffix: str = "%") -> Format:
    """A formatter for shares (0.25 -> "25%"); ``signed`` for changes, ``suffix=" pp"`` for points."""
    sign = "+" if signed else ""

    def fmt(v: float) -> str:
        x = round(v * 100, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0: no "-0%"
        return f"{x:{sign}.{decimals}f}{suffix}"
    return fmt


def nice_ticks(lo: float, hi: float, max_ticks: int = 5) -> list[float]:
    """Round axis ticks (1, 2, 2.5 or 5 times a power of ten) covering [lo, hi], 3 to ``max_ticks``
    of them, so an axis reads 0, 25, 50 rather than 0, 23.7, 47.4."""
    if max_ticks < 3:
        raise ValueError(f"nice_ticks: max_ticks must be at least 3, got {max_ticks}")
    lo, hi = min(lo, hi), max(lo, hi)
    if hi == lo:
        hi = lo + (abs(lo) or 1.0)
    magnitude = 10 ** math.floor(math.log10((hi - lo) / (max_ticks - 1)))
    for m in (1, 2, 2.5, 5, 10, 20):
        step = m * magnitude
        start = math.floor(lo / step + 1e-9) * step
        count = round((math.ceil(hi / step - 1e-9) * step - start) / step) + 1
        if count <= max_ticks:
            digits = max(0, 2 - math.floor(math.log10(step)))
            return [round(start + i * step, digits) + 0.0 for i in range(count)]
    raise AssertionError("unreachable: a step of 20 x magnitude always fits")


def _clean(v: Value) -> float | None:
    """None and NaN both mean "no data" (DuckDB gives None, pandas gives NaN)."""
    if v is None:
        return None
    f = float(v)
    return None if math.isnan(f) else f


def _cleaned(values: Sequence[Value], expected: int, what: str) -> list[float | None]:
    if len(values) != expected:
        raise ValueError(f"{what}: expected {expected} values, got {len(values)}")
    return [_clean(v) for v in values]


def _cleaned_rows(rows: Sequence[Sequence], expected: int, what: str) -> list[Sequence]:
    if len(rows) != expected:
        raise ValueError(f"{what}: expected {expected} rows, one per row label, got {len(rows)}")
    return list(rows)


# ---------------------------------------------------------------- bar chart
@dataclass(frozen=True)
class _Bars:
    label_w: float
    x: Callable[[float], float]
    top: float
    bottom: float
    row_h: float = 26
    bar_h: float = 16


def bar_chart(labels: Sequence[str], values: Sequence[Value], *, title: str, value_format: Format = auto_format,
              target: float | None = None, width: int = 640) -> str:
    """Horizontal bars, one row per label: long theme names read better beside a bar than under a
    column, and a zero axis lets a share change go either way (decreases extend left)."""
    vals = _cleaned(values, len(labels), f"bar_chart {title!r}")
    if not any(v is not None for v in vals):
        return svg.empty("bar", title, width, 110)
    texts = [value_format(v) if v is not None else "no data" for v in vals]
    bars = _bar_layout(labels, vals, texts, target, width)
    body = [svg.heading(title, width)]
    for i, (label, v, text) in enumerate(zip(labels, vals, texts, strict=True)):
        body += _bar_row(bars, i, str(label), v, text)
    body.append(svg.line(bars.x(0), bars.top - 4, bars.x(0), bars.bottom + 4, stroke=svg.INK))
    if target is not None:
        body += _target_line(bars, target, value_format(target), width)
    return svg.chart("bar", title, width, bars.bottom + 8, body)


def _bar_layout(labels: Sequence[str], vals: list[float | None], texts: list[str], target: float | None,
                width: int) -> _Bars:
    nums = [v for v in vals if v is not None] + ([target] if target is not None else [])
    lo, hi = min(0.0, *nums), max(0.0, *nums)
    if lo == hi:
        hi = 1.0
    label_w = min(max(svg.text_width(str(s)) for s in labels) + 16, width * 0.38)
    neg_pad = max([svg.text_width(t) + 8 for v, t in zip(vals, texts) if v is not None and v < 0], default=0)
    pos_pad = max([svg.text_width(t) + 8 for v, t in zip(vals, texts) if v is None or v >= 0], default=0)
    top = 34 + (16 if target is not None else 0)
    x = svg.scale(lo, hi, label_w + neg_pad, width - pos_pad - 6)
    return _Bars(label_w=label_w, x=x, top=top, bottom=top + len(vals) * _Bars.row_h)


def _bar_row(bars: _Bars, i: int, label: str, v: float | None, text: str) -> list[str]:
    y = bars.top + i * bars.row_h
    mid = y + bars.row_h / 2 + 4
    out = [svg.text(bars.label_w - 8, mid, svg.fit(label, bars.label_w - 12), anchor="end")]
    if v is None:
        return out + [svg.text(bars.x(0) + 6, mid, text, fill=svg.MUTED, extra=' font-style="italic"')]
    x0, x1 = sorted((bars.x(0), bars.x(v)))
    w = max(x1 - x0, 1.0)  # a zero still shows as a hairline at the axis
    by = y + (bars.row_h - bars.bar_h) / 2
    fill = svg.NEGATIVE if v < 0 else svg.POSITIVE
    out.append(svg.mark("rect", f'x="{x0:.1f}" y="{by:.1f}" width="{w:.1f}" height="{bars.bar_h}" fill="{fill}" rx="2"',
                        v, f"{label}: {text}"))
    if v < 0:
        return out + [svg.text(x0 - 5, mid, text, anchor="end", extra=svg.HALO)]
    return out + [svg.text(x0 + w + 5, mid, text, extra=svg.HALO)]


def _target_line(bars: _Bars, target: float, text: str, width: int) -> list[str]:
    tx = bars.x(target)
    label = f"Target {text}"
    half = svg.text_width(label, 11) / 2
    lx = min(max(tx, half + 2), width - half - 2)
    dashed = ' stroke-dasharray="4 3" stroke-width="1.5"'
    return [svg.line(tx, bars.top - 6, tx, bars.bottom + 4, stroke=svg.INK, extra=dashed),
            svg.text(lx, bars.top - 9, label, anchor="middle", size=11, fill=svg.INK, extra=svg.HALO)]


# ---------------------------------------------------------------- line chart
def line_chart(x_labels: Sequence[str], series: Mapping[str, Sequence[Value]], *, title: str,
               y_format: Format = auto_format, width: int = 640, height: int = 300) -> str:
    """One line per theme over the weeks, with a point per value so a single week still shows and
    a missing week leaves a gap instead of a misleading straight line."""
    lines = {str(name): _cleaned(vals, len(x_labels), f"line_chart {title!r} series {name!r}")
             for name, vals in series.items()}
    nums = [v for vals in lines.values() for v in vals if v is not None]
    if not x_labels or not nums:
        return svg.empty("line", title, width, height)
    legend, legend_h = _legend(list(lines), width)
    lo = 0.0 if min(nums) >= 0 else min(nums)
    ticks = nice_ticks(lo, max(nums))
    left = max(svg.text_width(y_format(t), 11) for t in ticks) + 12
    top, bottom = 34 + legend_h, height - 26
    xs = svg.spread(len(x_labels), left + 12, width - 16)
    y = svg.scale(ticks[0], ticks[-1], bottom, top)
    body = [svg.heading(title, width), *legend, *_y_axis(ticks, y, left, width - 6, y_format)]
    body += _x_axis([str(s) for s in x_labels], xs, bottom, width)
    for i, (name, vals) in enumerate(lines.items()):
        colour = svg.SERIES_COLOURS[i % len(svg.SERIES_COLOURS)]
        body += _series(name, vals, x_labels, xs, y, colour, y_format)
    return svg.chart("line", title, width, height, body)


def _legend(names: list[str], width: int) -> tuple[list[str], float]:
    """Legend items in rows under the title, wrapping when they do not fit the width."""
    out, x, row = [], 4.0, 0
    for i, name in enumerate(names):
        label = svg.fit(name, 200, 11)
        item_w = 24 + svg.text_width(label, 11) + 16
        if x > 4 and x + item_w > width:
            x, row = 4.0, row + 1
        y = 36 + row * 18
        colour = svg.SERIES_COLOURS[i % len(svg.SERIES_COLOURS)]
        out.append(svg.line(x, y - 4, x + 18, y - 4, stroke=colour, extra=' stroke-width="2.5"'))
        out.append(f'<circle cx="{x + 9:.1f}" cy="{y - 4:.1f}" r="3" fill="{colour}"/>')
        out.append(svg.text(x + 24, y, label, size=11, fill=svg.INK))
        x += item_w
    return out, (row + 1) * 18 + 4 if names else 0


def _y_axis(ticks: list[float], y: Callable[[float], float], left: float, right: float, fmt: Format) -> list[str]:
    out = []
    for t in ticks:
        stroke = svg.INK if t == 0 else svg.GRID
        out.append(svg.line(left, y(t), right, y(t), stroke=stroke))
        out.append(svg.text(left - 6, y(t) + 4, fmt(t), anchor="end", size=11, fill=svg.MUTED))
    return out


def _x_axis(labels: list[str], xs: list[float], bottom: float, width: int) -> list[str]:
    """Week labels, thinned when crowded; the latest week is always labelled, it matters most."""
    n = len(labels)
    slot = max(svg.text_width(s, 11) for s in labels) + 10
    fits = max(1, int((xs[-1] - xs[0] + slot) // slot)) if n > 1 else 1
    step = math.ceil(n / fits)
    out = []
    for i in range(n - 1, -1, -step):
        half = svg.text_width(labels[i], 11) / 2
        anchor, x = ("end", width - 2.0) if xs[i] + half > width - 2 else ("middle", xs[i])
        out.append(svg.line(xs[i], bottom, xs[i], bottom + 4, stroke=svg.MUTED))
        out.append(svg.text(x, bottom + 17, labels[i], anchor=anchor, size=11, fill=svg.MUTED))
    return out


def _series(name: str, vals: list[float | None], x_labels: Sequence[str], xs: list[float],
            y: Callable[[float], float], colour: str, fmt: Format) -> list[str]:
    points = [(xs[i], y(v)) if v is not None else None for i, v in enumerate(vals)]
    d = svg.path(points)
    line = (f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2" stroke-linejoin="round" '
            'stroke-linecap="round"/>')
    out = [line] if d else []
    for i, v in enumerate(vals):
        if v is not None:
            attrs = f'cx="{xs[i]:.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}" stroke="#fff" stroke-width="1"'
            out.append(svg.mark("circle", attrs, v, f"{name}, {x_labels[i]}: {fmt(v)}"))
    return out


# ---------------------------------------------------------------- heatmap
@dataclass(frozen=True)
class _Grid:
    label_w: float
    top: float
    cell_w: float
    cell_h: float


def heatmap(row_labels: Sequence[str], col_labels: Sequence[str], values: Sequence[Sequence[Value]], *,
            title: str, value_format: Format = auto_format, counts: Sequence[Sequence[int | None]] | None = None,
            vmin: float | None = None, vmax: float | None = None, cell_width: int = 62,
            min_count: int = 0) -> str:
    """Stage x touchpoint cells shaded by value, darker = higher, each with its number written in
    (colour alone is hard to read exactly); column labels slant so a dozen touchpoints fit.
    A cell of fewer than ``min_count`` segments (``counts``) is left unshaded and marked "few":
    one negative segment of one is 100%, and a dark cell draws the eye to it."""
    what = f"heatmap {title!r}"
    rows = [_cleaned(r, len(col_labels), f"{what} row {label!r}")
            for label, r in zip(row_labels, _cleaned_rows(values, len(row_labels), what), strict=True)]
    ns = (_cleaned_rows(counts, len(row_labels), f"{what} counts") if counts is not None
          else [[None] * len(col_labels)] * len(rows))
    if any(len(r) != len(col_labels) for r in ns):
        raise ValueError(f"{what}: every row of counts needs {len(col_labels)} values, one per column")
    nums = [v for r in rows for v in r if v is not None]
    if not nums:
        return svg.empty("heatmap", title, 480, 140)
    lo = vmin if vmin is not None else min(0.0, *nums)
    hi = vmax if vmax is not None else max(nums)
    grid, width = _grid_layout(row_labels, col_labels, cell_width, counts is not None)
    missing = any(v is None for r in rows for v in r)
    any_few = any(n is not None and n < min_count for r in ns for n in r)
    width = max(width, grid.label_w + len(svg.HEAT_STOPS) * 22 + 90 * missing + 250 * any_few + 10)  # the legend
    body = [svg.heading(title, width), *_column_labels(col_labels, grid)]
    for i, label in enumerate(row_labels):
        y = grid.top + i * grid.cell_h
        body.append(svg.text(grid.label_w - 8, y + grid.cell_h / 2 + 4, svg.fit(str(label), grid.label_w - 12),
                             anchor="end"))
        for j, col in enumerate(col_labels):
            cell = (grid.label_w + j * grid.cell_w, y, grid.cell_w - 2, grid.cell_h - 2)
            few = ns[i][j] is not None and ns[i][j] < min_count
            body += (_few_cell if few else _cell)(cell, rows[i][j], ns[i][j], (lo, hi), value_format,
                                                  f"{label} × {col}")
    bottom = grid.top + len(rows) * grid.cell_h
    body += _heat_legend(grid.label_w, bottom + 14, (lo, hi), value_format, missing, few=min_count if any_few else 0)
    return svg.chart("heatmap", title, width, bottom + 44, body)


_SLANT = math.sqrt(0.5)  # column labels are rotated 45 degrees


def _grid_layout(row_labels: Sequence[str], col_labels: Sequence[str], cell_w: float,
                 with_counts: bool) -> tuple[_Grid, float]:
    label_w = min(max([svg.text_width(str(s)) for s in row_labels], default=0) + 16, 200)
    col_w = min(max([svg.text_width(str(s), 11) for s in col_labels], default=0), 150)
    top = 34 + col_w * _SLANT + 8
    grid = _Grid(label_w=label_w, top=top, cell_w=cell_w, cell_h=42 if with_counts else 32)
    last_x = label_w + (len(col_labels) - 0.5) * cell_w
    width = max(label_w + len(col_labels) * cell_w, last_x + col_w * _SLANT) + 10
    return grid, max(width, 360)


def _column_labels(col_labels: Sequence[str], grid: _Grid) -> list[str]:
    out = []
    for j, col in enumerate(col_labels):
        x, y = grid.label_w + (j + 0.5) * grid.cell_w - 4, grid.top - 8
        out.append(svg.text(x, y, svg.fit(str(col), 150, 11), size=11,
                            extra=f' transform="rotate(-45 {x:.1f} {y:.1f})"'))
    return out


def _cell(box: tuple[float, float, float, float], v: float | None, n: int | None, domain: tuple[float, float],
          fmt: Format, tip: str) -> list[str]:
    x, y, w, h = box
    rect = f'x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"'
    cx, cy = x + w / 2, y + h / 2
    if v is None:  # grey with a diagonal stroke: "no data", never mistaken for a light value
        return [f'<rect {rect} fill="{svg.NO_DATA}"><title>{escape(tip)}: no data</title></rect>',
                svg.line(x + 4, y + h - 4, x + w - 4, y + 4, stroke="#c4cbd2")]
    fill = svg.heat_colour(v, *domain)
    ink = svg.contrast_text(fill)
    count = f" (n={n:,})" if n is not None else ""
    out = [svg.mark("rect", f'{rect} fill="{fill}"', v, f"{tip}: {fmt(v)}{count}")]
    out.append(svg.text(cx, cy + (0 if n is not None else 4), fmt(v), anchor="middle", fill=ink, weight="600"))
    if n is not None:
        out.append(svg.text(cx, cy + 13, f"n={n:,}", anchor="middle", size=10, fill=ink))
    return out


def _few_cell(box: tuple[float, float, float, float], v: float | None, n: int | None,
              domain: tuple[float, float], fmt: Format, tip: str) -> list[str]:
    """Too few segments to compare: no shade, the value in grey, and the count with "few"."""
    x, y, w, h = box
    rect = f'x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"'
    if v is None:
        return _cell(box, v, n, domain, fmt, tip)
    out = [svg.mark("rect", f'{rect} fill="{FEW_FILL}"', v, f"{tip}: {fmt(v)} (n={n:,}, too few to compare)"),
           svg.text(x + w / 2, y + h / 2, fmt(v), anchor="middle", fill=svg.MUTED),
           svg.text(x + w / 2, y + h / 2 + 13, f"n={n:,} few", anchor="middle", size=10, fill=svg.MUTED)]
    return out


FEW_FILL = "#f3f4f6"


def _heat_legend(x: float, y: float, domain: tuple[float, float], fmt: Format, has_missing: bool,
                 few: int = 0) -> list[str]:
    lo, hi = domain
    out = [f'<rect x="{x + k * 22:.1f}" y="{y:.1f}" width="22" height="10" fill="{c}"/>'
           for k, c in enumerate(svg.HEAT_STOPS)]
    end = x + len(svg.HEAT_STOPS) * 22
    out += [svg.text(x, y + 23, fmt(lo), size=10, fill=svg.MUTED),
            svg.text(end, y + 23, fmt(hi), anchor="end", size=10, fill=svg.MUTED)]
    if has_missing:
        out += [f'<rect x="{end + 16:.1f}" y="{y:.1f}" width="22" height="10" fill="{svg.NO_DATA}"/>',
                svg.text(end + 42, y + 9, "no data", size=10, fill=svg.MUTED)]
        end += 90
    if few:
        out += [f'<rect x="{end + 16:.1f}" y="{y:.1f}" width="22" height="10" fill="{FEW_FILL}" stroke="{svg.GRID}"/>',
                svg.text(end + 42, y + 9, f"few: under {few:,} segments, not shaded", size=10, fill=svg.MUTED)]
    return out


# ---------------------------------------------------------------- sparkline
def sparkline(values: Sequence[Value], *, width: int = 120, height: int = 28, title: str = "",
              value_format: Format = auto_format) -> str:
    """A word-sized trend for a KPI tile: shape only, no axes; the latest point is emphasised
    because the tile's number beside it is that point."""
    vals = [_clean(v) for v in values]
    label = title or "Trend"
    nums = [v for v in vals if v is not None]
    if not nums:
        return svg.empty("sparkline", label, width, height)
    lo, hi = min(nums), max(nums)
    y = svg.scale(lo, hi, height - 4, 4) if hi > lo else (lambda _: height / 2)
    xs = svg.spread(len(vals), 4, width - 4)
    last = max(i for i, v in enumerate(vals) if v is not None)
    d = svg.path([(xs[i], y(v)) if v is not None else None for i, v in enumerate(vals)])
    body = [f'<path d="{d}" fill="none" stroke="{svg.POSITIVE}" stroke-width="1.5" stroke-linejoin="round"/>']
    for i, v in enumerate(vals):
        if v is not None:
            r, fill = (2.6, svg.INK) if i == last else (1.6, svg.POSITIVE)
            body.append(svg.mark("circle", f'cx="{xs[i]:.1f}" cy="{y(v):.1f}" r="{r}" fill="{fill}"', v,
                                 value_format(v)))
    return svg.chart("sparkline", label, width, height, body)


__all__ = ["Format", "Value", "auto_format", "bar_chart", "heatmap", "line_chart", "nice_ticks", "percent", "sparkline"]
