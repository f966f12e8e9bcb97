"""Progress lines for logs: what a person reading `vocmine run > run.log` sees."""

from __future__ import annotations

import io
import re
import threading

from rich.console import Console

from vocmine.cli.progress import console_lines, progress_bars
from vocmine.pipeline.progress import seconds_text


def _log() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=100), out


def test_cli_progress_lines_say_done_total_rate_and_time_left():
    console, out = _log()
    with console_lines(console, every=0) as lines:   # every=0: a line for every update
        lines.start("enrich")
        lines.update("enrich", 0, 2_986)
        lines.update("enrich", 1_000, 2_986)
        lines.update("enrich", 2_986, 2_986)
        lines.finish("enrich", "feedback 2,986")
    text = out.getvalue().splitlines()
    assert text[0] == "enrich: started"
    assert re.fullmatch(r"enrich: 0/2,986 feedback · first batch under way · \d+ s so far", text[1]), text[1]
    assert re.fullmatch(r"enrich: 1,000/2,986 feedback · [\d,]+/s · about .+ left", text[2]), text[2]
    assert re.fullmatch(r"enrich: 2,986/2,986 feedback · [\d,]+/s · finishing", text[3]), text[3]
    assert re.fullmatch(r"enrich: feedback 2,986 \(\d+ s\)", text[4]), text[4]


def test_cli_progress_lines_name_each_phase_of_a_step_counted_in_phases():
    console, out = _log()
    with console_lines(console, every=3600) as lines:  # only a new phase prints before the hour is up
        lines.start("themes")
        lines.update("themes", 1, 5, "fitting themes on 8,247 segments")
        lines.update("themes", 1, 5, "fitting themes on 8,247 segments")
        lines.update("themes", 2, 5, "labelling 39 themes")
        lines.finish("themes", "themes 39")
    text = out.getvalue().splitlines()
    assert text[1].startswith("themes: phase 2/5 · fitting themes on 8,247 segments · ")
    assert text[2].startswith("themes: phase 3/5 · labelling 39 themes · ")
    assert len(text) == 4


def test_cli_progress_lines_give_the_first_count_at_once():
    console, out = _log()
    with console_lines(console, every=3600) as lines:
        lines.start("embed")
        lines.update("embed", 256, 2_664)
        lines.update("embed", 512, 2_664)   # within the interval: no line
        lines.finish("embed", "new texts 2,664")
    text = out.getvalue().splitlines()
    assert text[1].startswith("embed: 256/2,664 texts · ") and len(text) == 3


def test_cli_progress_lines_speak_while_a_step_is_inside_one_long_call():
    heard = threading.Event()

    class Watch(io.StringIO):
        def write(self, s: str) -> int:
            if "so far" in s:
                heard.set()
            return super().write(s)

    console = Console(file=Watch(), width=100)
    with console_lines(console, every=0.05) as lines:
        lines.start("embed")
        assert heard.wait(timeout=30), "no line while the step said nothing"
        lines.finish("embed", "new texts 0")
    assert "embed: working · 0 s so far" in console.file.getvalue()


def test_cli_progress_bar_shows_no_unknown_total():
    out = io.StringIO()
    bars = progress_bars(Console(file=out, width=100, force_terminal=True))
    with bars:
        task = bars.add_task("embed", total=None, unit="texts")
        bars.refresh()
        bars.update(task, completed=512, total=2_664)
        bars.refresh()
    shown = out.getvalue()
    assert "/?" not in shown and "512/2,664 texts" in shown


def test_cli_progress_seconds_read_as_a_person_says_them():
    assert [seconds_text(s) for s in (4.4, 65, 3_725)] == ["4 s", "1 min 05 s", "1 h 02 min"]
