"""`source show`, `source set` and `source archive` (files, and pages from a local HTTP server)."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from tests.conftest import claim_yaml

PAGE = (
    "<html><head><title>Wire</title></head><body><nav>Home | News</nav><article>"
    "<h1>The bridge</h1><p>The bridge is 12 km long, the ministry said on Monday, and it "
    "will open to traffic next spring after years of delays.</p></article>"
    "<footer>Subscribe now</footer></body></html>"
)
ARTICLE = (  # the page's title, then the article; the navigation and footer are left out
    "Wire\n\nThe bridge\n\nThe bridge is 12 km long, the ministry said on Monday, and it will "
    "open to traffic next spring after years of delays.\n"
)


@pytest.fixture
def folder(make_claims) -> Path:
    return make_claims(
        {
            "bridge": claim_yaml("bridge"),
            "other": claim_yaml("other", appears_in="wire", evidence="[]", quote=None),
        }
    )


def _sources(folder: Path) -> dict[str, dict]:
    data = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))
    return {s["id"]: s for s in data["sources"]}


def test_show_names_the_claims_citing_it(run, folder):
    result = run(["--dir", str(folder), "source", "show", "wire"])
    assert result.exit_code == 0, result.stderr
    assert "  url: https://example.org/wire" in result.stdout
    assert "  reliability: B (usually reliable)" in result.stdout
    assert "cited by 2 claims:\n  bridge (supports)\n  other (appears in)\n" in result.stdout
    data = json.loads(run(["--dir", str(folder), "source", "show", "wire", "-f", "json"]).stdout)
    assert data["cited_by"] == [
        {"claim": "bridge", "how": "supports"},
        {"claim": "other", "how": "appears in"},
    ]
    assert data["archive"] == "none"
    missing = run(["--dir", str(folder), "source", "show", "nope"])
    assert missing.exit_code == 2 and missing.stderr == "error: no source with id 'nope'\n"


def test_set_changes_one_field_and_keeps_the_rest(run, folder):
    path = folder / "sources.yaml"
    path.write_text("# the registry\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run(["--dir", str(folder), "source", "set", "article", "reliability", "b"])
    assert result.exit_code == 0, result.stderr
    assert _sources(folder)["article"]["reliability"] == "B"
    assert path.read_text(encoding="utf-8").startswith("# the registry\n")
    run(["--dir", str(folder), "source", "set", "rebuttal", "language", "pt-BR"])
    assert _sources(folder)["rebuttal"]["language"] == "pt-BR"
    run(["--dir", str(folder), "source", "set", "wire", "publisher", ""])
    assert "publisher" not in _sources(folder)["wire"]
    # status follows: the article now weighs
    shown = run(["--dir", str(folder), "show", "other"])
    assert shown.exit_code == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reliability", "Z", "reliability"),
        ("url", "javascript:alert(1)", "http(s)"),
        ("text_sha256", "abc", "text_sha256"),
        ("derived_from", "nowhere", "nowhere"),
        ("id", "x", "cannot set 'id'"),
        ("title", "", "needs a title"),
    ],
)
def test_set_refuses_what_would_not_validate(run, folder, field, value, message):
    before = (folder / "sources.yaml").read_bytes()
    result = run(["--dir", str(folder), "source", "set", "wire", field, value])
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert (folder / "sources.yaml").read_bytes() == before


def test_archive_a_file_registers_its_hash(run, folder, tmp_path):
    page = tmp_path / "wire.html"
    page.write_text(PAGE, encoding="utf-8")
    result = run(
        ["--dir", str(folder), "source", "archive", "wire", str(page)],
        env={"SOURCE_DATE_EPOCH": "1767225600"},
    )
    assert result.exit_code == 0, result.stderr
    archived = (folder / "sources" / "wire.txt").read_bytes()
    assert archived.decode("utf-8") == ARTICLE  # the article's text, furniture left out
    wire = _sources(folder)["wire"]
    assert wire["text_sha256"] == hashlib.sha256(archived).hexdigest()
    assert str(wire["retrieved"]) == "2026-01-01"
    assert run(["--dir", str(folder), "validate"]).exit_code == 0
    show = run(["--dir", str(folder), "source", "show", "wire"]).stdout
    assert "(matches text_sha256)" in show


def test_a_changed_archive_is_not_replaced_without_force(run, folder, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("The first text.\n", encoding="utf-8")
    second.write_text("Another text.\n", encoding="utf-8")
    assert run(["--dir", str(folder), "source", "archive", "wire", str(first)]).exit_code == 0
    again = run(["--dir", str(folder), "source", "archive", "wire", str(first)])
    assert again.exit_code == 0  # the same text: nothing to refuse
    refused = run(["--dir", str(folder), "source", "archive", "wire", str(second)])
    assert refused.exit_code == 2
    assert "holds a different text; pass --force" in refused.stderr
    assert (folder / "sources" / "wire.txt").read_text(encoding="utf-8") == "The first text.\n"
    forced = run(["--dir", str(folder), "source", "archive", "wire", str(second), "--force"])
    assert forced.exit_code == 0
    assert _sources(folder)["wire"]["text_sha256"] == hashlib.sha256(b"Another text.\n").hexdigest()


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/page":
            body = PAGE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/hop/"):
            n = int(self.path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", "/page" if n == 0 else f"/hop/{n - 1}")
            self.end_headers()
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"x" * 4096)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_archive_a_url(run, folder, server):
    result = run(["--dir", str(folder), "source", "archive", "wire", f"{server}/hop/3"])
    assert result.exit_code == 0, result.stderr
    assert (folder / "sources" / "wire.txt").read_text(encoding="utf-8") == ARTICLE


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/hop/9", "more than 5 redirects"),
        ("/to-file", "only http(s) URLs are fetched"),
        ("/missing", "HTTP 404"),
    ],
)
def test_archive_refuses_bad_fetches(run, folder, server, path, message):
    result = run(["--dir", str(folder), "source", "archive", "wire", server + path])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (folder / "sources" / "wire.txt").exists()


def test_archive_limits_size_and_schemes(run, folder, server, monkeypatch):
    from claimtrack.io import fetch

    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)
    result = run(["--dir", str(folder), "source", "archive", "wire", f"{server}/big"])
    assert result.exit_code == 2 and "over the 1000-byte limit" in result.stderr
    for url in ("ftp://127.0.0.1/x", "file:///etc/passwd"):
        result = run(["--dir", str(folder), "source", "archive", "wire", url])
        assert result.exit_code == 2 and "only http(s) URLs are fetched" in result.stderr


def test_archive_times_out(run, folder, monkeypatch):
    import socket

    from claimtrack.io import fetch

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    monkeypatch.setattr(fetch, "TIMEOUT", 0.2)
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/slow"
        result = run(["--dir", str(folder), "source", "archive", "wire", url])
    finally:
        listener.close()
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
