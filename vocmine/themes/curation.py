"""What analysts do with themes: look them up, name them, merge the ones that are the same.

Curation is recorded like everything else (a ``curation`` run and ``theme_events``) and
survives refits: a renamed theme keeps its label while it is matched, and a merged theme
keeps its own centroid, so whatever a later fit finds there is filed under the survivor.
"""

from __future__ import annotations

import duckdb

from vocmine.config.themes import ThemesConfig
from vocmine.store.runs import finish_run, start_run
from vocmine.store.tx import as_dicts, transaction
from vocmine.themes.emerging import flag_emerging
from vocmine.themes.store import merge, rename


def rename_theme(con: duckdb.DuckDBPyConnection, theme_id: int, label: str) -> None:
    """An analyst's name for a theme; later refits keep it while the theme is matched."""
    if not label.strip():
        raise ValueError("a theme label cannot be empty")
    _theme(con, theme_id, groups=True)
    run_id = start_run(con, "curation")
    with transaction(con):
        rename(con, run_id, theme_id, label.strip())
    finish_run(con, run_id, counts={"renamed": theme_id})


def merge_themes(con: duckdb.DuckDBPyConnection, into: int, others: list[int], config: ThemesConfig) -> int:
    """Fold ``others`` into theme ``into``: their segments, and whatever later fits find there.

    The emerging check is redone at once, so no flag points at a theme that no longer exists.
    Returns the merged theme's size.
    """
    others = sorted(set(others))
    if not others:
        raise ValueError("name at least one theme to merge")
    if into in others:
        raise ValueError(f"theme {into} cannot be merged into itself")
    target = _theme(con, into)
    for other in others:
        theme = _theme(con, other)
        if theme["model"] != target["model"]:
            raise ValueError(f"themes {other} and {into} come from different embedding models")
    run_id = start_run(con, "curation")
    with transaction(con):
        merge(con, run_id, into, others, target["model"])
    try:
        flag_emerging(con, target["model"], config, run_id)
    except BaseException as exc:
        finish_run(con, run_id, counts={"merged": others, "into": into}, error=repr(exc))
        raise
    finish_run(con, run_id, counts={"merged": others, "into": into})
    return con.execute("SELECT size FROM themes WHERE theme_id = ?", [into]).fetchall()[0][0]


def _theme(con: duckdb.DuckDBPyConnection, theme_id: int, groups: bool = False) -> dict[str, object]:
    """An active theme (or, where ``groups``, theme group) analysts can curate, or a clear error."""
    rows = as_dicts(con.execute("SELECT theme_id, level, status, model, merged_into FROM themes WHERE theme_id = ?",
                                [theme_id]))
    if not rows:
        raise KeyError(f"no theme {theme_id}")
    theme = rows[0]
    if theme["level"] != 2 and not groups:
        raise ValueError(f"{theme_id} is a theme group; name themes (see `vocmine themes list`)")
    if theme["status"] != "active":
        into = f" into {theme['merged_into']}" if theme["merged_into"] else ""
        raise ValueError(f"theme {theme_id} is {theme['status']}{into}, not active")
    return theme


def list_themes(con: duckdb.DuckDBPyConnection, include_groups: bool = False) -> list[dict[str, object]]:
    """Active themes, largest first, with whether the latest trend check flagged them."""
    return as_dicts(con.execute(
        "SELECT theme_id, level, parent_id, label, size, status, first_seen, last_seen, keywords, "
        "coalesce(theme_id IN (SELECT theme_id FROM emerging_themes), false) AS emerging "
        "FROM themes WHERE status = 'active' AND (level = 2 OR ?) ORDER BY size DESC, theme_id", [include_groups]))


def show_theme(con: duckdb.DuckDBPyConnection, theme_id: int, examples: int = 5,
               weeks: int = 12) -> dict[str, object]:
    """One theme in full: what it is, how it trends, where it came from, what customers say."""
    rows = as_dicts(con.execute(
        "SELECT t.*, g.label AS group_label FROM themes t LEFT JOIN themes g ON g.theme_id = t.parent_id "
        "WHERE t.theme_id = ?", [theme_id]))
    if not rows:
        raise KeyError(f"no theme {theme_id}")
    theme = rows[0]
    theme.pop("centroid")
    # a group has no trend, lineage or examples of its own: its themes do
    theme["members"] = as_dicts(con.execute(
        "SELECT theme_id, label, size FROM themes WHERE parent_id = ? AND status = 'active' AND level = 2 "
        "ORDER BY size DESC, theme_id", [theme_id])) if theme["level"] == 1 else []
    theme["merged_from"] = [r[0] for r in con.execute(
        "SELECT theme_id FROM themes WHERE merged_into = ? AND status = 'merged' ORDER BY theme_id",
        [theme_id]).fetchall()]
    theme["weekly"] = as_dicts(con.execute(
        "SELECT week, volume, share, avg_sentiment FROM theme_weekly WHERE theme_id = ? "
        "AND week > (SELECT max(week) FROM theme_weekly) - INTERVAL (7 * ?) DAY ORDER BY week", [theme_id, weeks]))
    trend = as_dicts(con.execute(
        "SELECT week, volume, share, baseline_share, z_score, is_new, emerging, reason FROM theme_trends "
        "WHERE theme_id = ? ORDER BY computed_at DESC LIMIT 1", [theme_id]))
    theme["trend"] = trend[0] if trend else None
    theme["events"] = as_dicts(con.execute(
        "SELECT happened_at, event, theme_id, other_id, detail FROM theme_events WHERE theme_id = ? OR other_id = ? "
        "ORDER BY happened_at, event", [theme_id, theme_id]))
    theme["examples"] = [r[0] for r in con.execute(
        "SELECT s.text FROM segment_themes st JOIN segments s USING (segment_id) WHERE st.theme_id = ? "
        "GROUP BY s.text ORDER BY max(st.similarity) DESC, s.text LIMIT ?", [theme_id, examples]).fetchall()]
    return theme


__all__ = ["list_themes", "merge_themes", "rename_theme", "show_theme"]
