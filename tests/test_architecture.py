"""The import rules of .importlinter hold: commands wire steps, steps do not reach into each other,
the library never needs Prefect's flows (issue 22; docs/architecture.md draws the layers)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import duckdb

from vocmine.store.migrate import apply_migrations

ROOT = Path(__file__).resolve().parents[1]


def test_architecture_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# -- one owner per table -------------------------------------------------------------------------

# A statement that changes a table's rows or shape. COPY counts only when it loads a table
# (COPY t FROM ...), not when it exports one. Qualified names (publication."x") are other schemas.
_WRITE = re.compile(
    r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO|TRUNCATE(?:\s+TABLE)?"
    r"|CREATE\s+(?:OR\s+REPLACE\s+)?TABLE(?:\s+IF\s+NOT\s+EXISTS)?|ALTER\s+TABLE|DROP\s+TABLE(?:\s+IF\s+EXISTS)?"
    r"|COPY(?=\s+\"?\w+\"?\s+FROM\b))\s+(\"?\w+\"?(?:\.\"?\w+\"?)?)",
    re.IGNORECASE,
)
_OWNERS_HEADING = "## Who writes each table"


def _tables_written(sql: str) -> set[str]:
    """Unqualified table names a piece of SQL writes (comment lines left out)."""
    code = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return {name.strip('"').lower() for name in _WRITE.findall(code) if "." not in name}


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _python_strings(tree: ast.AST) -> list[str]:
    """Every string literal of a module but its docstrings (f-strings by their literal parts)."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def _sql_file_callers() -> dict[tuple[str, str], set[str]]:
    """(package, file name) of each ``.sql`` file a module runs -> the modules that run it: a call
    with the package's and the file's names as string arguments (``run_sql(con, "vocmine.nlp",
    "enrich_store.sql")``)."""
    callers: dict[tuple[str, str], set[str]] = {}
    for path in (ROOT / "vocmine").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            words = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            packages = [w for w in words if w.startswith("vocmine")]
            for name in (w for w in words if w.endswith(".sql")):
                for package in packages:
                    callers.setdefault((package, name), set()).add(_module_of(path))
    return callers


def table_writers() -> dict[str, set[str]]:
    """Each table the migrations make -> the modules whose SQL or Python strings write it. A
    ``.sql`` file counts for the modules that run it; one that no module runs is its own writer
    (so it shows up instead of hiding)."""
    con = duckdb.connect()
    apply_migrations(con)
    tables = {name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary").fetchall()}
    con.close()
    writers: dict[str, set[str]] = {table: set() for table in tables}
    callers = _sql_file_callers()
    for path in (ROOT / "vocmine").rglob("*.sql"):
        if "migrations" in path.parts:
            continue
        package = _module_of(path.parent.parent)
        modules = callers.get((package, path.name)) or {str(path.relative_to(ROOT))}
        for table in _tables_written(path.read_text(encoding="utf-8")) & tables:
            writers[table] |= modules
    for path in (ROOT / "vocmine").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for text in _python_strings(tree):
            for table in _tables_written(text) & tables:
                writers[table].add(_module_of(path))
    return writers


def documented_owners() -> dict[str, tuple[str, str]]:
    """docs/architecture.md's owner table: table -> (owner module, readers). The owner is the
    first name in backticks of the owner cell; what follows it says which step calls it for what."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split(_OWNERS_HEADING, 1)[1].split("\n## ", 1)[0]
    owners = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        owner = re.match(r"`([\w.]+)`", cells[1]) if len(cells) == 3 else None
        if owner and cells[0].startswith("`"):
            owners[cells[0].strip("`")] = (owner.group(1), cells[2])
    return owners


def test_architecture_each_table_has_one_writer():
    writers = table_writers()
    several = {table: sorted(modules) for table, modules in writers.items() if len(modules) > 1}
    assert not several, f"tables written from more than one module: {several}"
    unwritten = sorted(table for table, modules in writers.items() if not modules)
    assert not unwritten, f"tables no module writes: {unwritten}"


def test_architecture_owner_table_names_each_writer():
    writers = {table: next(iter(modules)) for table, modules in table_writers().items() if len(modules) == 1}
    documented = documented_owners()
    assert sorted(documented) == sorted(table_writers()), "docs/architecture.md lists other tables than the migrations"
    wrong = {table: (owner, writers.get(table)) for table, (owner, _) in documented.items()
             if owner != writers.get(table)}
    assert not wrong, f"documented owner differs from the module that writes (table: (documented, found)): {wrong}"
    assert all(readers for _, readers in documented.values()), "every table names who reads it"


def test_architecture_writer_scan_sees_python_and_sql():
    """The scan finds writes in every form the project uses, so the owner tests above can fail."""
    assert _tables_written("INSERT INTO quarantine (run_id) VALUES (?)") == {"quarantine"}
    assert _tables_written("  UPDATE themes\n SET size = 1") == {"themes"}
    assert _tables_written("DELETE FROM segment_themes WHERE true") == {"segment_themes"}
    assert _tables_written("CREATE OR REPLACE TABLE teams AS SELECT 1") == {"teams"}
    assert _tables_written("COPY feedback FROM 'x.csv'") == {"feedback"}
    assert _tables_written("COPY feedback TO 'x.parquet'") == set()
    assert _tables_written('CREATE TABLE publication."feedback" AS FROM main."feedback"') == set()
    assert _tables_written("-- DELETE FROM segments\nSELECT 1") == set()
    tree = ast.parse('"""UPDATE runs in the docstring"""\ncon.execute("DELETE FROM runs WHERE x")\n')
    assert [t for s in _python_strings(tree) for t in _tables_written(s)] == ["runs"]
