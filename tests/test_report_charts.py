"""Inline SVG charts: valid XML, one mark per value, raw values kept, text escaped, gaps left as gaps."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET

import pytest

from vocmine.report.charts import (
    bar_chart,
    heatmap,
    line_chart,
    nice_ticks,
    percent,
    sparkline,
)
from vocmine.report.svg import heat_colour

SVG = "{http://www.w3.org/2000/svg}"
NASTY = 'Refunds <late> & "lost"'


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("class") == "chart"
    assert root.find(f"{SVG}title") is not None
    return root


def marks(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if e.get("class") == "mark"]


def mark_values(root: ET.Element) -> list[float]:
    return [float(e.get("data-value")) for e in marks(root)]


def texts(root: ET.Element) -> list[str]:
    return [e.text or "" for e in root.iter(f"{SVG}text")]


def each_chart_with(labels: list[str]) -> dict[str, str]:
    """One chart of every kind whose labels and title include ``labels``."""
    return {
        "bar": bar_chart(labels, [1.0] * len(labels), title=labels[0]),
        "line": line_chart(["W1", "W2"], {s: [1, 2] for s in labels}, title=labels[0]),
        "heatmap": heatmap(labels, labels, [[0.5] * len(labels) for _ in labels], title=labels[0]),
        "sparkline": sparkline([1, 2, 3], title=labels[0]),
    }


@pytest.mark.parametrize("kind", ["bar", "line", "heatmap", "sparkline"])
def test_charts_parse_as_svg_with_kind(kind):
    root = parse(each_chart_with(["Billing", "App"])[kind])
    assert root.get("data-chart") == kind
    assert root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 ")
    assert all(m.find(f"{SVG}title") is not None for m in marks(root))


@pytest.mark.parametrize("kind", ["bar", "line", "heatmap", "sparkline"])
def test_charts_escape_labels(kind):
    svg = each_chart_with([NASTY, "Other"])[kind]
    root = parse(svg)  # would raise on a bare < or &
    assert root.get("aria-label") == NASTY
    assert "<late>" not in svg
    if kind != "sparkline":
        assert any(NASTY in t or t.startswith("Refunds") for t in texts(root))


def test_charts_bar_marks_and_values_round_trip():
    values = [0.1, 0.30000000000000004, 7, 1234.5678, 1e-9]
    root = parse(bar_chart(list("abcde"), values, title="Priorities"))
    assert mark_values(root) == values


def test_charts_bar_negative_values_extend_left_of_zero():
    root = parse(bar_chart(["up", "down"], [0.02, -0.03], title="Top movers", value_format=percent(1, signed=True)))
    up, down = marks(root)
    assert float(down.get("x")) + float(down.get("width")) == pytest.approx(float(up.get("x")), abs=0.2)
    assert float(down.get("width")) > float(up.get("width"))
    assert down.get("fill") != up.get("fill")
    assert "-3.0%" in texts(root) and "+2.0%" in texts(root)


def test_charts_bar_none_and_nan_draw_no_mark():
    root = parse(bar_chart(["a", "b", "c"], [1, None, math.nan], title="t"))
    assert mark_values(root) == [1]
    assert texts(root).count("no data") == 2


def test_charts_bar_target_line_is_dashed_and_labelled():
    root = parse(bar_chart(["a", "b"], [0.2, 0.4], title="t", target=0.3, value_format=percent()))
    dashed = [e for e in root.iter(f"{SVG}line") if e.get("stroke-dasharray")]
    assert len(dashed) == 1
    assert "Target 30%" in texts(root)


def test_charts_bar_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="expected 2 values, got 1"):
        bar_chart(["a", "b"], [1], title="t")


def test_charts_line_marks_skip_none_gaps():
    series = {"Billing": [1, None, 3, 4], "App": [math.nan, 2, 2, None]}
    root = parse(line_chart(["W1", "W2", "W3", "W4"], series, title="Trends"))
    assert mark_values(root) == [1, 3, 4, 2, 2]
    billing_path = root.findall(f"{SVG}path")[0].get("d")
    assert billing_path.count("M") == 2  # the pen lifts over the missing week


def test_charts_line_axis_starts_at_zero_for_non_negative_data():
    root = parse(line_chart(["W1", "W2"], {"a": [0.31, 0.37]}, title="t", y_format=percent()))
    axis_labels = [t for t in texts(root) if t.endswith("%")]
    assert axis_labels[0] == "0%"
    assert 3 <= len(axis_labels) <= 5


def test_charts_line_thins_crowded_week_labels_but_keeps_the_latest():
    weeks = [f"2024-W{w:02d}" for w in range(1, 53)]
    root = parse(line_chart(weeks, {"a": list(range(52))}, title="t", width=480))
    shown = [t for t in texts(root) if t.startswith("2024-W")]
    assert 3 <= len(shown) < 20
    assert "2024-W52" in shown
    assert len(marks(root)) == 52


def test_charts_line_legend_names_every_series():
    series = {f"Theme {i}": [i, i + 1] for i in range(8)}
    root = parse(line_chart(["W1", "W2"], series, title="t"))
    assert all(name in texts(root) for name in series)
    assert len({m.get("fill") for m in marks(root)}) == 8


def test_charts_heatmap_one_mark_per_known_cell():
    values = [[0.1, None, 0.3], [0.4, 0.5, math.nan]]
    counts = [[10, 0, 30], [40, 1234, None]]
    root = parse(heatmap(["Onboarding", "Billing"], ["App", "Shop", "Bill"], values, title="Negative share",
                         counts=counts, value_format=percent()))
    assert mark_values(root) == [0.1, 0.3, 0.4, 0.5]
    assert "n=1,234" in texts(root)
    assert "no data" in texts(root)


def test_charts_heatmap_darker_means_higher_and_text_stays_readable():
    assert heat_colour(0.0, 0, 1) != heat_colour(1.0, 0, 1)
    lum = [sum(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (heat_colour(v / 4, 0, 1) for v in range(5))]
    assert lum == sorted(lum, reverse=True)
    root = parse(heatmap(["r"], ["low", "high"], [[0.0, 1.0]], title="t", value_format=percent()))
    low_text, high_text = [e for e in root.iter(f"{SVG}text") if e.get("font-weight") and e.text.endswith("%")]
    assert (low_text.text, high_text.text) == ("0%", "100%")
    assert low_text.get("fill") != high_text.get("fill")


def test_charts_heatmap_fits_eleven_touchpoints():
    cols = [f"Touchpoint number {i}" for i in range(11)]
    root = parse(heatmap(["a", "b"], cols, [[i / 10 for i in range(11)]] * 2, title="t"))
    assert len(marks(root)) == 22
    assert all(c in texts(root) for c in cols)
    assert float(root.get("width")) < 1000


@pytest.mark.parametrize("values, counts, message", [
    ([[1]], None, "expected 2 values, got 1"),
    ([[1, 2], [3, 4]], None, "expected 1 rows, one per row label, got 2"),
    ([[1, 2]], [[1]], "every row of counts needs 2 values"),
])
def test_charts_heatmap_rejects_ragged_input(values, counts, message):
    with pytest.raises(ValueError, match=message):
        heatmap(["a"], ["x", "y"], values, title="t", counts=counts)


@pytest.mark.parametrize("values", [[1, None, 2, 3], [5, 5, 5], [None, 4]])
def test_charts_sparkline_marks_each_known_point(values):
    root = parse(sparkline(values, title="NPS"))
    assert mark_values(root) == [v for v in values if v is not None]


@pytest.mark.parametrize("svg", [
    bar_chart([], [], title="empty"),
    bar_chart(["a"], [None], title="all missing"),
    line_chart([], {}, title="empty"),
    line_chart(["W1"], {"a": [None]}, title="all missing"),
    heatmap([], [], [], title="empty"),
    heatmap(["a"], ["b"], [[None]], title="all missing"),
    sparkline([]),
], ids=["bar", "bar-none", "line", "line-none", "heatmap", "heatmap-none", "sparkline"])
def test_charts_empty_input_says_no_data(svg):
    root = parse(svg)
    assert marks(root) == []
    assert any(t.lower() == "no data" for t in texts(root))


@pytest.mark.parametrize("lo, hi", [(0, 1), (0, 0.37), (0, 1234), (-3, 7), (0, 0), (0.02, 0.021), (-0.5, -0.1)])
def test_charts_nice_ticks_cover_the_range_with_round_steps(lo, hi):
    ticks = nice_ticks(lo, hi)
    assert 3 <= len(ticks) <= 5
    assert ticks[0] <= lo and ticks[-1] >= hi
    steps = {round(b - a, 12) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    mantissa = steps.pop() / 10 ** math.floor(math.log10(ticks[1] - ticks[0]))
    assert round(mantissa, 9) in (1, 2, 2.5, 5)


def test_charts_percent_formats_changes_without_negative_zero():
    assert percent(1, signed=True, suffix=" pp")(-0.0001) == "+0.0 pp"
    assert percent()(0.256) == "26%"
