"""Where the checkout, the demo data and the real shared data sets are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
# ../shared/data beside the checkout: real data sets read at test time, never copied into the project
SHARED_DATA = ROOT.parent / "shared" / "data"
