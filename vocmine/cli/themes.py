"""`vocmine themes ...`: discover, place, list, show and curate themes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from vocmine.cli.common import HELP_MARKUP, ConfigOption, DbOption, console, err, settings_for, show, tell_choice
from vocmine.pipeline import StepContext, working_store
from vocmine.pipeline import steps as step
from vocmine.store import store_session

themes_app = typer.Typer(help="Discover, list and curate themes.", no_args_is_help=True, rich_markup_mode=HELP_MARKUP)


@themes_app.command("refit")
def themes_refit(config: ConfigOption = None, db: DbOption = None) -> None:
    """Discover themes on all embedded segments; known themes keep their IDs, labels and merges."""
    result, cases = _theme_step(config, db, "fitting themes (the first fit in a new environment compiles UMAP: ~1 min)",
                                refit=True)
    r = result.refit
    console.print(f"{r.themes} themes in {r.groups} groups: {r.kept} kept, {r.created} new, "
                  f"{r.retired} retired; {r.outlier_share:.1%} of segments fit no theme; "
                  f"{len(result.emerging)} emerging; {_cases(cases)}")


@themes_app.command("update")
def themes_update(config: ConfigOption = None, db: DbOption = None) -> None:
    """The nightly step: place new segments in known themes, propose themes for what fits none,
    refit when due (`themes.refit_every_days`), and flag emerging themes."""
    result, cases = _theme_step(config, db, "updating themes")
    if result.refit:
        r = result.refit
        console.print(f"Refit: {r.themes} themes, {r.kept} kept, {r.created} new, {r.retired} retired; "
                      f"{r.outlier_share:.1%} of segments fit no theme")
    if result.assigned:
        a = result.assigned
        console.print(f"{a.new_segments} new segments: {a.assigned} placed in known themes, {a.unassigned} fit none "
                      f"({a.pool} unassigned in all); {len(a.proposed)} new themes proposed")
    console.print(f"{len(result.emerging)} emerging themes"
                  + (f": {', '.join(map(str, result.emerging))}" if result.emerging else ""))
    console.print(_cases(cases))


def _theme_step(config, db, doing: str, *, refit: bool = False):
    """The pipeline's themes step under a status line that names its phase (and, when auto has
    just switched models before a refit, how far the re-embedding is)."""
    settings = settings_for(config, db)
    with working_store(settings) as con, err.status(doing) as status, _theme_errors():
        ctx = StepContext(con, settings)
        ctx.on_phase = lambda done, total, what: status.update(f"{doing}: {what}")
        ctx.on_progress = lambda done, total: status.update(f"embedding every segment for the refit: {done:,}/{total:,}")
        outcome = step.themes(ctx, refit=refit)
    tell_choice(ctx.models.get("choice"))
    return outcome.detail


@themes_app.command("list")
def themes_list(
    groups: Annotated[bool, typer.Option("--groups", help="Also list theme groups.")] = False,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """List active themes, largest first: label (a phrase customers use), group, size and keywords
    (* = emerging)."""
    from vocmine.themes.curation import list_themes

    settings = settings_for(config, db)
    with store_session(settings.db_path, read_only=True) as con:
        themes = list_themes(con, include_groups=groups)
    if groups:
        for group in [t for t in themes if t["level"] == 1]:
            members = [t for t in themes if t["parent_id"] == group["theme_id"]]
            console.print(_themes_table(members, title=f"Group {group['theme_id']}: {group['label']} "
                                                      f"({show(group['size'])} segments, {len(members)} themes)"))
        loose = [t for t in themes if t["level"] != 1 and t["parent_id"] not in {g["theme_id"] for g in themes}]
        if loose:
            console.print(_themes_table(loose, title="In no group"))
    else:
        console.print(_themes_table(themes))


def _themes_table(themes: list[dict], title: str | None = None) -> Table:
    """One line per theme, keywords cut to what fits: the table stays within 100 columns."""
    table = Table("id", "group", title=title, title_justify="left")
    table.add_column("label", min_width=28, max_width=40)
    table.add_column("segments", justify="right")
    table.add_column("first seen")
    table.add_column("last seen")
    table.add_column("keywords", no_wrap=True, overflow="ellipsis", max_width=24)
    for theme in themes:
        table.add_row(str(theme["theme_id"]), show(theme["parent_id"]),
                      escape(theme["label"]) + (" [bold red]*[/bold red]" if theme["emerging"] else ""),
                      show(theme["size"]), show(theme["first_seen"])[:10], show(theme["last_seen"])[:10],
                      escape(", ".join(theme["keywords"][:5])))
    return table


@themes_app.command("show")
def themes_show(
    theme_id: Annotated[int, typer.Argument(help="Theme id, from `vocmine themes list`.")],
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """One theme in full: keywords, group, weekly trend, emerging check, lineage, examples."""
    from vocmine.themes.curation import show_theme

    settings = settings_for(config, db)
    with store_session(settings.db_path, read_only=True) as con, _theme_errors():
        t = show_theme(con, theme_id)
    if t["level"] == 1:
        _show_group(t)
        return
    console.print(f"[bold]Theme {t['theme_id']}: {t['label']}[/bold] ({t['status']}"
                  + (f" into {t['merged_into']}" if t["merged_into"] else "") + ")")
    console.print(f"group {show(t['parent_id'])} ({show(t['group_label'])}); {t['size']} segments, "
                  f"first seen {show(t['first_seen'])[:10]}, last seen {show(t['last_seen'])[:10]}")
    console.print("keywords: " + ", ".join(t["keywords"]))
    if t["merged_from"]:
        console.print("merged from: " + ", ".join(map(str, t["merged_from"])))
    if t["trend"]:
        flag = "[bold red]EMERGING[/bold red]: " if t["trend"]["emerging"] else ""
        console.print(f"{flag}{t['trend']['reason']}")
    weekly = Table("week", "segments", "share", "sentiment", title="weekly")
    for w in t["weekly"]:
        weekly.add_row(str(w["week"]), str(w["volume"]), f"{w['share']:.1%}", show(
            None if w["avg_sentiment"] is None else round(w["avg_sentiment"], 2)))
    console.print(weekly)
    events = Table("when", "event", "other theme", "detail", title="lineage")
    for e in t["events"]:
        event = e["event"] if e["theme_id"] == theme_id else f"{e['event']} (theme {e['theme_id']})"
        other = e["other_id"] if e["other_id"] != theme_id else None
        events.add_row(str(e["happened_at"])[:16], event, show(other), show(e["detail"]))
    console.print(events)
    console.print("examples:")
    for text in t["examples"]:
        console.print(f"  - {text}")


def _show_group(group: dict) -> None:
    """A theme group: its themes, and where the detail is (trends and examples are per theme)."""
    members = group["members"]
    console.print(f"[bold]Theme group {group['theme_id']}: {escape(group['label'])}[/bold] ({group['status']}); "
                  f"{show(sum(m['size'] or 0 for m in members))} segments in {len(members)} themes")
    console.print("keywords: " + escape(", ".join(group["keywords"])))
    table = Table("id", "label", "segments", title="themes in this group", title_justify="left")
    for m in members:
        table.add_row(str(m["theme_id"]), escape(m["label"]), show(m["size"]))
    console.print(table)
    console.print("A group has no weekly trend, lineage or examples of its own: `vocmine themes show ID` "
                  "shows them for one of its themes.")


@themes_app.command("rename")
def themes_rename(
    theme_id: Annotated[int, typer.Argument(help="Theme id, from `vocmine themes list`.")],
    label: Annotated[str, typer.Argument(help="The name analysts will see.")],
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Give a theme a name; later refits keep it as long as the theme is matched."""
    from vocmine.themes.curation import rename_theme

    settings = settings_for(config, db)
    with working_store(settings) as con, _theme_errors():
        rename_theme(con, theme_id, label)
    console.print(f"Theme {theme_id} is now {label!r}")


@themes_app.command("merge")
def themes_merge(
    into: Annotated[int, typer.Argument(help="The theme that stays.")],
    others: Annotated[list[int], typer.Argument(help="Themes folded into it.")],
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Merge themes that are the same for your business; later refits keep them merged."""
    from vocmine.themes.curation import merge_themes

    settings = settings_for(config, db)
    with working_store(settings) as con, _theme_errors():
        size = merge_themes(con, into, others, settings.themes)
    console.print(f"Merged {', '.join(map(str, others))} into theme {into} ({size} segments)")


def _cases(result) -> str:
    kinds = "" if result.kinds_of_case is None else f" ({result.kinds_of_case} kinds of case fitted)"
    return (f"themes per feedback rewritten for {result.refreshed} feedback, {result.by_case} placed by their "
            f"kind of case{kinds}")


@contextmanager
def _theme_errors() -> Iterator[None]:
    """A curation or theme step that cannot proceed says why and exits 1, without a traceback."""
    try:
        yield
    except (KeyError, ValueError) as exc:
        err.print(f"[red]{exc.args[0]}[/red]")
        raise typer.Exit(1) from exc


def register(app: typer.Typer) -> None:
    app.add_typer(themes_app, name="themes")
