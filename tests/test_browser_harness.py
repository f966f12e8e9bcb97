"""The headless Chromium harness itself: it sees rendered charts, script errors and network fetches.

Chromium missing is a failure, not a skip: CI installs it (scripts/install-chromium.sh).
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from browser import open_page

from vocmine.report.charts import bar_chart, line_chart, percent

pytestmark = pytest.mark.slow


def write_page(tmp_path: Path, body: str) -> Path:
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Test page</title></head>"
                    f"<body style='font-family:sans-serif;margin:24px'>{body}</body></html>", encoding="utf-8")
    return page


def png_distinct_bytes(path: Path) -> int:
    """Distinct byte values in the PNG's decompressed pixel rows: a blank page has about five
    (white plus row filter types), one with charts and text has dozens."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    idat, pos = b"", 8
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        if data[pos + 4:pos + 8] == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return len(set(zlib.decompress(idat)))


def test_browser_harness_renders_charts_without_errors(tmp_path):
    bars = bar_chart(["Billing errors", "App crashes", "Slow refunds"], [0.031, -0.012, 0.004],
                     title="Top movers", value_format=percent(1, signed=True, suffix=" pp"))
    lines = line_chart(["W1", "W2", "W3", "W4"], {"Billing": [0.2, 0.25, None, 0.3], "App": [0.1, 0.12, 0.11, 0.09]},
                       title="Theme trends", y_format=percent())
    page = write_page(tmp_path, f"<h1>Report</h1>{bars}{lines}")

    report = open_page(page, tmp_path / "shot.png")

    assert report.problems == []
    assert [c["chart"] for c in report.charts] == ["bar", "line"]
    assert [c["rendered_marks"] for c in report.charts] == [3, 7]
    assert all(c["width"] > 300 and c["height"] > 100 for c in report.charts)
    assert report.screenshot.stat().st_size > 5_000
    assert png_distinct_bytes(report.screenshot) > 30


def test_browser_harness_reports_script_and_console_errors(tmp_path):
    page = write_page(tmp_path, '<script>console.error("x")</script><script>throw new Error("boom")</script>')

    report = open_page(page, tmp_path / "shot.png")

    assert any("boom" in e for e in report.js_errors), report.js_errors
    assert any(e == "x" for e in report.console_errors), report.console_errors
    assert report.external_requests == []
    assert len(report.problems) >= 2


def test_browser_harness_reports_network_requests(tmp_path):
    page = write_page(tmp_path, '<p>offline?</p><script src="https://cdn.example.com/x.js"></script>')

    report = open_page(page, tmp_path / "shot.png")

    assert report.external_requests == ["https://cdn.example.com/x.js"]
    assert report.js_errors == []
    assert any("cdn.example.com" in p for p in report.problems)


def test_browser_harness_names_a_missing_page(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.html"):
        open_page(tmp_path / "nope.html", tmp_path / "shot.png")
