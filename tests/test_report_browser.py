"""The HTML report opened in headless Chromium: it renders the claims and its status filter works.

Two ways in: ``--dump-dom`` of ``report.html#status=...`` (the filter driven by the address), and
the DevTools protocol over ``--remote-debugging-pipe`` (stdlib only) to click a checkbox like a
person would, watch what is shown, and see that the page fetches nothing.
Chromium is required: Debian's ``chromium`` package (the README's test command installs it).
Without it these tests fail, they do not skip.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import html5lib
import pytest

CHROMIUM = os.environ.get("CLAIMTRACK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--mute-audio",
]
#: Safety net against a hung browser, not a performance expectation.
DEADLINE = 60.0


def require_chromium() -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"headless Chromium not found at {CHROMIUM}: install Debian's `chromium` package "
            "(apt-get install chromium; the README's test command does) or set CLAIMTRACK_CHROMIUM",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture
def page(run, claims_dir, tmp_path, monkeypatch) -> Path:
    """The HTML report of the shipped claims, written where a browser can open it."""
    monkeypatch.chdir(claims_dir.parent)
    target = tmp_path / "report.html"
    result = run(["--dir", "claims", "report", "-f", "html", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    return target


def dump_dom(url: str, profile: Path) -> str:
    exe = require_chromium()
    done = subprocess.run(
        [exe, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _statuses(dom: str) -> dict[str, list[bool]]:
    """status -> for each claim of that status, whether it is shown (no hidden ancestor)."""
    doc = html5lib.parse(dom, namespaceHTMLElements=False)
    shown: dict[str, list[bool]] = {}
    for section in doc.iter("section"):
        status = section.get("data-status")
        if status is None:
            continue
        for article in section.iter("article"):
            visible = section.get("hidden") is None and article.get("hidden") is None
            shown.setdefault(article.get("data-status"), []).append(visible)
    return shown


def test_page_renders_every_claim(page, tmp_path):
    dom = dump_dom(page.as_uri(), tmp_path / "profile")
    shown = _statuses(dom)
    assert {status: len(flags) for status, flags in shown.items()} == {
        "contested": 4,
        "unsourced": 32,
        "sourced": 4,
    }
    assert all(all(flags) for flags in shown.values())
    assert 'id="filters" hidden' not in dom  # the script ran and revealed the filter
    assert '<span id="shown">40</span>' in dom


def test_status_filter_follows_the_address(page, tmp_path):
    dom = dump_dom(page.as_uri() + "#status=contested,sourced", tmp_path / "profile")
    shown = _statuses(dom)
    assert shown["contested"] == [True] * 4 and shown["sourced"] == [True] * 4
    assert shown["unsourced"] == [False] * 32
    assert '<span id="shown">8</span>' in dom


class DevTools:
    """A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``."""

    def __init__(self, exe: str, profile: Path, url: str) -> None:
        to_chrome_r, self._write = os.pipe()
        self._read, from_chrome_w = os.pipe()

        def wire() -> None:  # runs in the child: the protocol pipe is fds 3 (in) and 4 (out)
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [exe, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            close_fds=False,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def _message(self) -> dict[str, Any]:
        end = time.monotonic() + DEADLINE
        while b"\0" not in self._buffer:
            left = end - time.monotonic()
            ready, _, _ = select.select([self._read], [], [], max(left, 0))
            if not ready:
                raise TimeoutError("Chromium did not answer over the DevTools pipe")
            chunk = os.read(self._read, 65536)
            if not chunk:
                raise EOFError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)  # type: ignore[no-any-return]

    def send(self, method: str, params: dict[str, Any] | None = None, session: bool = True) -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._message()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def evaluate(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def attach(self) -> None:
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        target = next(t for t in targets if t["type"] == "page")
        self.session = self.send(
            "Target.attachToTarget",
            {"targetId": target["targetId"], "flatten": True},
            session=False,
        )["sessionId"]

    def close(self) -> None:
        with contextlib.suppress(OSError, EOFError, TimeoutError, RuntimeError):
            self.send("Browser.close", session=False)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._read)
        os.close(self._write)


VISIBLE = (
    "Array.from(document.querySelectorAll('article.claim'))"
    ".filter(a => a.getClientRects().length > 0).map(a => a.dataset.status)"
)


def test_clicking_a_status_checkbox_hides_those_claims(page, tmp_path):
    browser = DevTools(require_chromium(), tmp_path / "profile", "about:blank")
    try:
        browser.attach()
        browser.send("Network.enable")
        browser.send("Page.enable")
        browser.send("Page.navigate", {"url": page.as_uri()})
        browser.evaluate(
            "new Promise(r => document.readyState === 'complete' ? r() :"
            " addEventListener('load', () => r()))"
        )
        before = browser.evaluate(VISIBLE)
        assert len(before) == 40 and before[:4] == ["contested"] * 4
        assert "Oil-for-Security" in browser.evaluate("document.body.innerText")
        # The inline style applied despite the strict CSP: the contested border is drawn.
        border = browser.evaluate(
            "getComputedStyle(document.querySelector('article.claim')).borderLeftWidth"
        )
        assert border == "4px"
        # A real mouse click in the middle of the "unsourced" checkbox.
        box = browser.evaluate(
            "(() => { const r = document.querySelector('input[value=unsourced]')"
            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            browser.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1},
            )
        after = browser.evaluate(VISIBLE)
        assert sorted(set(after)) == ["contested", "sourced"] and len(after) == 8
        assert browser.evaluate("location.hash") == "#status=contested,refuted,sourced"
        assert browser.evaluate("document.getElementById('shown').textContent") == "8"
        requests = [
            e["params"]["request"]["url"]
            for e in browser.events
            if e.get("method") == "Network.requestWillBeSent"
        ]
        assert requests and all(url.startswith("file://") for url in requests), requests
    finally:
        browser.close()
