"""`vocmine themes ...`: discover, place, list, show and curate themes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.table import Table

from vocmine.cli_common import ConfigOption, DbOption, console, err, open_with_views, settings_for, show
from vocmine.config import Settings
from vocmine.store import open_read_only

themes_app = typer.Typer(help="Discover, list and curate themes.", no_args_is_help=True)


@themes_app.command("refit")
def themes_refit(config: ConfigOption = None, db: DbOption = None) -> None:
    """Discover themes on all embedded segments; known themes keep their IDs, labels and merges."""
    from vocmine.themes.cases import refresh_feedback_themes
    from vocmine.themes.emerging import flag_emerging
    from vocmine.themes.registry import refit_themes

    settings = settings_for(config, db)
    model = _embedding_model(settings)
    con = open_with_views(settings)
    with err.status("fitting themes (the first fit in a new environment compiles UMAP: ~1 min)"), _theme_errors():
        result = refit_themes(con, model, settings.themes, settings.resolve(settings.themes.fits_dir),
                              _lazy_encoder(settings))
        emerging = flag_emerging(con, model, settings.themes, result.run_id)
        cases = refresh_feedback_themes(con, model, settings.themes, result.run_id, refit=True)
    con.close()
    console.print(f"{result.themes} themes in {result.groups} groups: {result.kept} kept, {result.created} new, "
                  f"{result.retired} retired; {result.outlier_share:.1%} of segments fit no theme; "
                  f"{len(emerging)} emerging; {_cases(cases)}")


@themes_app.command("update")
def themes_update(config: ConfigOption = None, db: DbOption = None) -> None:
    """The nightly step: place new segments in known themes, propose themes for what fits none,
    refit when due (`themes.refit_every_days`), and flag emerging themes."""
    from vocmine.themes.assign import refresh_themes
    from vocmine.themes.cases import refresh_feedback_themes

    settings = settings_for(config, db)
    con = open_with_views(settings)
    with err.status("updating themes"), _theme_errors():
        result = refresh_themes(con, _embedding_model(settings), settings.themes,
                                settings.resolve(settings.themes.fits_dir), encode=_lazy_encoder(settings))
        run_id = result.refit.run_id if result.refit else result.assigned.run_id
        cases = refresh_feedback_themes(con, _embedding_model(settings), settings.themes, run_id,
                                        refit=result.refit is not None)
    con.close()
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
    con = open_read_only(settings.db_path)
    table = Table("id", "group", "label", "segments", "first seen", "last seen", "keywords")
    for theme in list_themes(con, include_groups=groups):
        table.add_row(str(theme["theme_id"]), show(theme["parent_id"]),
                      theme["label"] + (" [bold red]*[/bold red]" if theme["emerging"] else ""), show(theme["size"]),
                      show(theme["first_seen"])[:10], show(theme["last_seen"])[:10],
                      ", ".join(theme["keywords"][:5]))
    console.print(table)


@themes_app.command("show")
def themes_show(
    theme_id: Annotated[int, typer.Argument(help="Theme id, from `vocmine themes list`.")],
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """One theme in full: keywords, group, weekly trend, emerging check, lineage, examples."""
    from vocmine.themes.curation import show_theme

    settings = settings_for(config, db)
    con = open_read_only(settings.db_path)
    with _theme_errors():
        t = show_theme(con, theme_id)
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
    con = open_with_views(settings)
    with _theme_errors():
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
    con = open_with_views(settings)
    with _theme_errors():
        size = merge_themes(con, into, others, settings.themes)
    console.print(f"Merged {', '.join(map(str, others))} into theme {into} ({size} segments)")


def _cases(result) -> str:
    kinds = "" if result.kinds_of_case is None else f" ({result.kinds_of_case} kinds of case fitted)"
    return (f"themes per feedback rewritten for {result.refreshed} feedback, {result.by_case} placed by their "
            f"kind of case{kinds}")


def _lazy_encoder(settings: Settings):
    """The configured backend's ``encode``, loading the model on first use (labels need it only
    when themes are labelled)."""
    loaded = []

    def encode(texts: list[str]):
        if not loaded:
            from vocmine.embed import load_backend

            loaded.append(load_backend(settings.embedding.backend, threads=settings.embedding.threads))
        return loaded[0].encode(texts)

    return encode


def _embedding_model(settings: Settings) -> str:
    from vocmine.embed.backends import backend_key

    return backend_key(settings.embedding.backend)


@contextmanager
def _theme_errors() -> Iterator[None]:
    """A curation or theme step that cannot proceed says why and exits 1, without a traceback."""
    try:
        yield
    except (KeyError, ValueError) as exc:
        err.print(f"[red]{exc.args[0]}[/red]")
        raise typer.Exit(1) from exc
