"""Nothing identifying leaves the working database: a night of the demo plus a source whose letters
hold postal addresses, whose customer ids are e-mail addresses and whose metadata holds phone numbers
and home addresses, run end to end; then no planted value (nor the demo's planted full names) is in
the published copy, its Parquet, the reports, the theme labels and keywords, or the saved fit files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from support.paths import DEMO
from support.projects import PipelineProject

# Fictional addresses with street names no other feedback holds, in the formats issue 20 names.
ADDRESSES = [
    "742 Evergreen Terrace, Springfield", "12 Quillfeather Lane", "Flat 4, 88 Bramblewick Road, Leeds LS6 2QT",
    "193 W 237th St, Bronx, NY 10463", "Zaunkönigstraße 14, 10115 Berlin", "ul. Jaskółcza 10/12, 00-950 Warszawa",
    "51 Thistledown Avenue", "7 Marrowgate Close", "300 Wrenfield Drive", "Fennimore Str. 9a",
]
STREET_WORDS = ["evergreen", "quillfeather", "bramblewick", "zaunkönig", "jaskółcza", "thistledown", "marrowgate",
                "wrenfield", "fennimore", "ls6 2qt", "ny 10463", "00-950 warszawa"]
TEMPLATES = [
    "I was double charged on my bill again this month. Send the refund letter to {address}, not the old flat.",
    "The bill shows a charge I never agreed to. I live at {address} and nobody answers my letters.",
    "Billing error for the third time: the paper bill went to {address} although I asked for e-bills.",
    "Please correct the address on my bill to {address}; the late payment fee is your mistake.",
]
EMAIL = "resident{n}@example.org"
PHONE = "07700 9{n:05d}"


def _letters() -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["letter_id", "sent", "customer_email", "body", "phone", "home_address", "plan"])
    for n in range(80):
        address = ADDRESSES[n % len(ADDRESSES)]
        writer.writerow([f"L{n}", f"2026-09-{1 + n % 28:02d}", EMAIL.format(n=n % 30),
                         TEMPLATES[n % len(TEMPLATES)].format(address=address), PHONE.format(n=n), address,
                         ["Max 5G", "Flex"][n % 2]])
    return out.getvalue().encode("utf-8")


LETTERS = """
[sources.letters]
kind = "complaint"
inbox = ["inbox/letters*.csv"]
[sources.letters.columns]
id = "letter_id"
text = "body"
received_at = "sent"
customer_id = "customer_email"
[sources.letters.metadata]
columns = ["phone"]
restricted = ["home_address"]
public = ["plan"]
"""


def _planted() -> list[str]:
    """Street words, e-mail addresses and phones of the letters, and the demo's planted full names (a lone
    given name such as "Mei" turns up by chance in binary fit files)."""
    with (DEMO / "planted_pii.csv").open(encoding="utf-8", newline="") as f:
        names = {r["value"] for r in csv.DictReader(f) if r["pii_type"] == "PERSON" and " " in r["value"]}
    return [*STREET_WORDS, *(EMAIL.format(n=n) for n in range(30)), *(PHONE.format(n=n) for n in range(80)),
            "07700 9", *sorted(names)]


def _leaks_in(con: duckdb.DuckDBPyConnection, relation: str, planted: list[str]) -> list[str]:
    """Planted values anywhere in ``relation``: every column as text, read once."""
    columns = [d[0] for d in con.execute(f"SELECT * FROM {relation} LIMIT 0").description]
    text = ", ".join(f"coalesce(\"{c}\"::VARCHAR, '')" for c in columns)
    rows = con.execute(f"SELECT lower(concat_ws(' ', {text})) FROM {relation}").fetchall()
    everything = "\n".join(r[0] for r in rows)
    return [f"{relation}: {value}" for value in planted if value.lower() in everything]


def _file_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        book = load_workbook(path)
        return " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
    if path.suffix == ".parquet":
        with duckdb.connect() as con:
            return " ".join(map(str, con.execute("FROM read_parquet(?)", [str(path)]).fetchall()))
    return path.read_bytes().decode("utf-8", errors="replace")


@pytest.mark.slow
def test_privacy_nothing_identifying_reaches_the_published_copy_reports_labels_or_fits(tmp_path):
    project = PipelineProject.create(tmp_path / "p")
    config = project.config.read_text(encoding="utf-8")
    config = config.replace('report_formats = ["md", "csv"]', 'report_formats = ["md", "csv", "xlsx", "html"]')
    project.config.write_text(config + LETTERS, encoding="utf-8")
    project.add_night(1)
    (project.folder / "inbox" / "letters_1.csv").write_bytes(_letters())
    result = project.run()
    assert result.returncode == 0, result.stdout + result.stderr
    planted = _planted()
    leaks: list[str] = []

    with duckdb.connect(str(project.published), read_only=True) as con:
        relations = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() UNION ALL "
                                               "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
        for relation in relations:
            leaks += _leaks_in(con, f'"{relation}"', planted)
        letters = con.execute("SELECT count(*), count(DISTINCT customer_id), any_value(metadata) FROM feedback "
                              "WHERE source = 'letters'").fetchone()
        assert letters[:2] == (80, 30) and letters[2] in ('{"plan":"Max 5G"}', '{"plan":"Flex"}')
        addresses = con.execute("SELECT count(*) FROM feedback WHERE source = 'letters' AND text LIKE '%[ADDRESS]%'")
        assert addresses.fetchone()[0] == 80
    parquet = sorted((project.folder / "published" / "parquet").glob("*.parquet"))
    assert parquet
    with duckdb.connect() as con:
        for path in parquet:
            leaks += _leaks_in(con, f"read_parquet('{path}')", planted)

    with duckdb.connect(str(project.db), read_only=True) as con:  # labels, keywords and quotes in the working store
        for relation in ("themes", "segments", "theme_events"):
            leaks += _leaks_in(con, relation, planted)
        leaks += _leaks_in(con, "(SELECT text FROM feedback)", planted)

    files = [p for folder in ("reports", "fits") for p in (project.folder / folder).rglob("*") if p.is_file()]
    assert any(p.suffix == ".xlsx" for p in files) and any(p.parent.parent.name == "fits" or "fits" in p.parts
                                                           for p in files)
    for path in files:
        text = _file_text(path).lower()
        leaks += [f"{path.relative_to(project.folder)}: {value}" for value in planted if value.lower() in text]
    assert leaks == []
