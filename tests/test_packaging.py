"""A pip-installed vocmine works like the checkout: everything it reads at run time (migrations,
analyst views, taxonomy, lexicons, the static embedding model, the report's stylesheet) is in
the wheel and found through the package, not through the checkout's folders."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter that sees only the unpacked wheel (and the installed dependencies).
USES_PACKAGE_DATA = """
import vocmine
from importlib import resources
from vocmine.analytics.views import create_views
from vocmine.config import NlpConfig
from vocmine.embed.backends import load_backend
from vocmine.journey.taxonomy import load_taxonomy
from vocmine.nlp.pipeline import build_pipeline
from vocmine.store.checks import declared_checks
from vocmine.store.db import connect

print(vocmine.__file__)
con = connect(":memory:")
print(len(create_views(con)), len(declared_checks()), len(load_taxonomy().stages))
doc = build_pipeline("en", NlpConfig())("Hi, this is Jane Smith, call me on 07700 900123. The bill was wrong.")
print(sorted(kind for *_, kind in doc._.pii))
print(load_backend("static").encode(["the bill was wrong"]).shape)
print(len((resources.files("vocmine.report") / "report.css").read_text(encoding="utf-8")) > 0,
      (resources.files("vocmine") / "templates" / "vocmine.toml").is_file())
"""


@pytest.mark.slow
def test_packaging_wheel_works_outside_the_checkout(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "--wheel-dir", str(tmp_path / "dist"), str(ROOT)], check=True, cwd=tmp_path,
                   capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("vocmine-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "vocmine/embed/models/static-minilm/model.safetensors" in names
    assert not [n for n in names if n.startswith(("models/", "tests/", "benchmarks/", "data/"))]
    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)  # what pip install puts in site-packages for a pure-Python wheel

    done = subprocess.run([sys.executable, "-c", USES_PACKAGE_DATA], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(site), "HF_HUB_OFFLINE": "1"}, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    where, counts, pii, shape, files = done.stdout.strip().split("\n")[-5:]
    assert Path(where).is_relative_to(site)
    views, checks, stages = map(int, counts.split())
    assert views > 10 and checks > 10 and stages > 3
    assert pii == "['PERSON', 'PHONE']" and shape == "(1, 256)" and files == "True True"
