"""Regenerate the README's report screenshot (docs/report-billing.png) from the demo.

The picture must show what the demo produces today, so it is made, never edited: after
`scripts/demo.sh` (which writes the team reports to reports/), this opens the newest weekly
report of the team in headless Chromium (Debian's `chromium`, as the browser tests use) and
saves the whole page as a PNG.

    scripts/demo.sh
    .venv/bin/python scripts/report_screenshot.py            # billing, 1280 px wide
    .venv/bin/python scripts/report_screenshot.py --team digital --out /tmp/digital.png
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the browser harness the report tests use

from browser import open_page


def newest_report(folder: Path, team: str, period: str = "week") -> Path:
    """The team's latest report of ``period`` in ``folder`` (file names end in the period's start)."""
    found = sorted(folder.glob(f"{team}-{period}-*.html"))
    if not found:
        raise SystemExit(f"no {period} report of team {team!r} in {folder}: run scripts/demo.sh first")
    return found[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--team", default="billing")
    parser.add_argument("--reports", type=Path, default=ROOT / "reports", help="folder of the demo's reports")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report-billing.png")
    parser.add_argument("--width", type=int, default=1280, help="browser window width in px")
    args = parser.parse_args()
    page_path = newest_report(args.reports, args.team)
    page = open_page(page_path, args.out, width=args.width)
    if page.problems or page.overflow:
        raise SystemExit(f"{page_path.name} does not render cleanly: {page.problems + page.overflow}")
    print(f"{args.out}: {page_path.name} at {args.width} px")


if __name__ == "__main__":
    main()
