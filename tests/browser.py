"""Open an HTML file in headless Chromium and report what a reader would get: script errors,
console errors, anything the page tried to fetch from the network, whether each chart rendered,
and a full-page screenshot.

Why the DevTools Protocol over a plain websocket rather than Selenium or Playwright: Debian's
``chromium`` is all the machine needs (Playwright downloads its own browser, which CI cannot), and
the ``websockets`` package is already installed with Prefect.

    report = open_page(tmp_path / "report.html", tmp_path / "report.png")
    assert report.problems == [], report.problems
    assert {c["chart"] for c in report.charts} >= {"bar", "line", "heatmap"}
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

INSTALL_HINT = "headless Chromium not found: install Debian chromium: apt-get install -y chromium"
# --disable-background-networking and friends: without them Chromium dials update and sync services,
# which a closed network refuses; --disable-dev-shm-usage: containers have a small /dev/shm.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "--no-default-browser-check")
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
# Every network fetch is blocked (and so recorded): a report must not depend on a CDN, and a test
# must not reach the internet even on a machine that has it.
BLOCKED = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]

CHARTS_JS = """
Array.from(document.querySelectorAll('svg.chart')).map(svg => {
  const box = svg.getBoundingClientRect();
  const marks = Array.from(svg.querySelectorAll('.mark'));
  const drawn = marks.filter(m => { const b = m.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
  return {chart: svg.getAttribute('data-chart'), title: svg.getAttribute('aria-label'),
          width: box.width, height: box.height, marks: marks.length, rendered_marks: drawn.length};
})
"""
# Elements that stick out of their card (a report <section>): a table or chart wider than the
# card, or pushed past its right edge. 1 px of rounding is allowed.
OVERFLOW_JS = """
Array.from(document.querySelectorAll('section')).flatMap(card => {
  const c = card.getBoundingClientRect();
  return Array.from(card.querySelectorAll('*')).filter(el => {
    const b = el.getBoundingClientRect();
    return b.width > 0 && (b.width > c.width + 1 || b.right > c.right + 1 || b.left < c.left - 1);
  }).map(el => ({card: (card.querySelector('h2') || {}).textContent, tag: el.tagName,
                 class: el.getAttribute('class'), width: Math.round(el.getBoundingClientRect().width),
                 card_width: Math.round(c.width)}));
})
"""
SETTLE_JS = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


@dataclass
class PageReport:
    """What one page load showed. ``charts`` has one dict per ``svg.chart``: chart (its data-chart),
    title, width, height (px), marks and rendered_marks (marks with a non-empty bounding box)."""

    js_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    screenshot: Path | None = None
    overflow: list[dict] = field(default_factory=list)   # elements wider than their card (OVERFLOW_JS)

    @property
    def problems(self) -> list[str]:
        """Everything a test of a self-contained report should find empty, worded for the failure message."""
        out = [f"JavaScript error: {e}" for e in self.js_errors]
        out += [f"console error: {e}" for e in self.console_errors]
        out += [f"network request (must load nothing): {u}" for u in self.external_requests]
        for c in self.charts:
            if c["width"] <= 0 or c["height"] <= 0 or c["rendered_marks"] < c["marks"]:
                out.append(f"chart not rendered: {c}")
        return out


def find_chromium() -> str:
    """The Chromium executable; failing loudly, not skipping: CI installs it (scripts/install-chromium.sh)."""
    exe = shutil.which("chromium") or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)
    if exe is None:
        raise RuntimeError(INSTALL_HINT)
    return exe


def open_page(html_path: Path, screenshot: Path, *, width: int = 1280, height: int = 2000,
              timeout: float = 60.0) -> PageReport:
    """Load ``html_path`` in a fresh headless Chromium, collect errors, network requests and chart
    sizes, and write a full-page PNG to ``screenshot``. Chromium and its profile are always removed."""
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise FileNotFoundError(f"open_page: {html_path} does not exist")
    name = html_path.name
    deadline = time.monotonic() + timeout
    with _chromium(name, deadline) as (ws_url, log_path), connect(ws_url, max_size=None, open_timeout=timeout) as ws:
        cdp = _Cdp(ws, deadline, name, timeout, log_path)
        try:
            _open_tab(cdp, width, height)
            _load(cdp, html_path)
            charts = cdp.evaluate(CHARTS_JS)
            overflow = cdp.evaluate(OVERFLOW_JS)
            _write_screenshot(cdp, Path(screenshot))
        finally:
            cdp.close_browser()
    report = _from_events(cdp.events)
    report.charts, report.screenshot, report.overflow = charts, Path(screenshot), overflow
    return report


class _Cdp:
    """Request and reply over one websocket, in flat session mode; events that arrive while a
    reply is awaited are kept in order, none is lost."""

    def __init__(self, ws: ClientConnection, deadline: float, page: str, timeout: float, log_path: Path) -> None:
        self.ws, self.deadline, self.page, self.timeout, self.log_path = ws, deadline, page, timeout, log_path
        self.session_id: str | None = None
        self.events: list[dict] = []
        self._last_id = 0

    def send(self, method: str, *, session: bool = True, **params) -> int:
        self._last_id += 1
        msg = {"id": self._last_id, "method": method, "params": params}
        if session and self.session_id:
            msg["sessionId"] = self.session_id
        self.ws.send(json.dumps(msg))
        return self._last_id

    def call(self, method: str, *, session: bool = True, **params) -> dict:
        msg_id = self.send(method, session=session, **params)
        while True:
            msg = self._receive(f"waiting for the reply to {method}")
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"headless chromium, {self.page}: {method} failed: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, event: str, since: int) -> dict:
        """The first ``event`` at or after position ``since`` of the event log."""
        i = since
        while True:
            for msg in self.events[i:]:
                if msg["method"] == event:
                    return msg
            i = len(self.events)
            msg = self._receive(f"waiting for {event}")
            if "method" in msg:
                self.events.append(msg)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"headless chromium, {self.page}: evaluating failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close_browser(self) -> None:
        """Ask Chromium to quit cleanly; a dead connection must not hide the error that killed it."""
        with suppress(ConnectionClosed, OSError):  # the process group is killed next anyway
            self.send("Browser.close", session=False)

    def _receive(self, doing: str) -> dict:
        remaining = self.deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise TimeoutError
            return json.loads(self.ws.recv(timeout=remaining))
        except TimeoutError:
            raise TimeoutError(f"headless chromium: {self.page} timed out after {self.timeout:.0f} s, "
                               f"{doing}") from None
        except ConnectionClosed as e:
            raise RuntimeError(f"headless chromium closed the connection while {doing} for {self.page} ({e}); "
                               f"its stderr ends:\n{_tail(self.log_path)}") from e


def _open_tab(cdp: _Cdp, width: int, height: int) -> None:
    target = cdp.call("Target.createTarget", session=False, url="about:blank")
    attached = cdp.call("Target.attachToTarget", session=False, targetId=target["targetId"], flatten=True)
    cdp.session_id = attached["sessionId"]
    for domain in ("Runtime", "Log", "Page", "Network"):
        cdp.call(f"{domain}.enable")
    cdp.call("Network.setBlockedURLs", urls=BLOCKED)
    cdp.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)


def _load(cdp: _Cdp, html_path: Path) -> None:
    since = len(cdp.events)
    nav = cdp.call("Page.navigate", url=html_path.as_uri())
    if nav.get("errorText"):
        raise RuntimeError(f"headless chromium could not open {html_path}: {nav['errorText']}")
    cdp.wait_for("Page.loadEventFired", since)
    cdp.evaluate(SETTLE_JS)  # two animation frames: layout and paint are done, late console calls are in


def _write_screenshot(cdp: _Cdp, path: Path) -> None:
    metrics = cdp.call("Page.getLayoutMetrics")
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    shot = cdp.call("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def _from_events(events: list[dict]) -> PageReport:
    report = PageReport()
    for msg in events:
        method, p = msg["method"], msg.get("params", {})
        if method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            text = (d.get("exception") or {}).get("description") or d.get("text", "")
            report.js_errors.append(f"{text} ({d.get('url', '')}:{d.get('lineNumber', 0) + 1})")
        elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            args = [str(a.get("value", a.get("description", ""))) for a in p.get("args", [])]
            report.console_errors.append(" ".join(args))
        elif method == "Log.entryAdded" and p["entry"].get("level") == "error":
            e = p["entry"]
            report.console_errors.append(f"{e.get('text', '')} {e.get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            url = p["request"]["url"]
            if not url.startswith(LOCAL_SCHEMES) and url not in report.external_requests:
                report.external_requests.append(url)
    return report


@contextmanager
def _chromium(page: str, deadline: float) -> Iterator[tuple[str, Path]]:
    """A headless Chromium with a fresh profile; yields its DevTools websocket URL and the file its
    stderr goes to. On the way out the
    whole process group is ended and the profile removed, whatever happened."""
    exe = find_chromium()
    tmp = Path(tempfile.mkdtemp(prefix="vocmine-chromium-"))
    profile, log_path = tmp / "profile", tmp / "stderr.log"
    with open(log_path, "wb") as log:  # a file, not a pipe: an unread pipe could fill and stall Chromium
        proc = subprocess.Popen([exe, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
                                 "about:blank"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=log, start_new_session=True)
        try:
            yield _devtools_url(proc, profile / "DevToolsActivePort", log_path, page, deadline), log_path
        finally:
            _stop(proc)
            shutil.rmtree(tmp, ignore_errors=True)


def _devtools_url(proc: subprocess.Popen, port_file: Path, log_path: Path, page: str, deadline: float) -> str:
    """Chromium writes the port it picked and the browser's path to DevToolsActivePort once it listens."""
    while time.monotonic() < deadline:
        lines = port_file.read_text().split() if port_file.exists() else []
        if len(lines) >= 2:
            return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        if proc.poll() is not None:
            raise RuntimeError(f"headless chromium exited with {proc.returncode} before opening {page}; "
                               f"its stderr ends:\n{_tail(log_path)}")
        time.sleep(0.05)
    raise TimeoutError(f"headless chromium: {page} timed out waiting for DevTools to listen")


def _tail(log_path: Path) -> str:
    """The end of Chromium's stderr, without the D-Bus noise it always prints in a container."""
    lines = [s for s in log_path.read_text(errors="replace").splitlines() if "dbus" not in s.lower()]
    return "\n".join(lines[-20:])


def _stop(proc: subprocess.Popen) -> None:
    """Give Chromium a moment to close after Browser.close (it reaps its own helpers), then end its
    process group: renderer and GPU helpers must not outlive the test."""
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
