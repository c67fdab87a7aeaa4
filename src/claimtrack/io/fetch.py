"""A source's page fetched for archiving: http(s) only, with a timeout, a size limit and a bounded
number of redirects, each of which must stay http(s)."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from claimtrack.core.errors import EnvironmentProblem, UsageError

#: Seconds to wait for a connection and for each read.
TIMEOUT = 20.0
#: A page larger than this is refused (an article, not a download).
MAX_BYTES = 8 * 1024 * 1024
#: Redirects followed before giving up.
MAX_REDIRECTS = 5
SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Page:
    """What a URL gave: its final URL, the body's bytes, its media type and charset."""

    url: str
    data: bytes
    media_type: str
    charset: str | None

    @property
    def is_html(self) -> bool:
        return self.media_type in ("text/html", "application/xhtml+xml")


def check_url(url: str) -> str:
    """``url`` when it is http(s) with a host; a usage error otherwise."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise UsageError(f"{url!r}: only http(s) URLs are fetched")
    return url


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most ``MAX_REDIRECTS`` redirects, and only to http(s)."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
    ) -> Any:
        target = headers.get("location") or headers.get("uri")
        if target:
            try:
                check_url(urljoin(req.full_url, target))
            except UsageError:
                fp.close()
                raise
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    # No FileHandler, FTPHandler or DataHandler: only http(s) can be opened at all.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _Redirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(url: str, timeout: float | None = None, max_bytes: int | None = None) -> Page:
    """The page at ``url``; an environment problem (one line) when it cannot be had.

    ``timeout`` and ``max_bytes`` default to ``TIMEOUT`` and ``MAX_BYTES`` as they are then."""
    from claimtrack.core.version import __version__

    timeout = TIMEOUT if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": f"claimtrack/{__version__}"})
    try:
        response: Any = _opener().open(request, timeout=timeout)
        with response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise EnvironmentProblem(f"{url}: {length} bytes, over the {max_bytes}-byte limit")
            data = response.read(max_bytes + 1)
            final = response.geturl()
            media_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code in (301, 302, 303, 307, 308):
            raise EnvironmentProblem(f"{url}: more than {MAX_REDIRECTS} redirects") from None
        raise EnvironmentProblem(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise EnvironmentProblem(f"{url}: cannot fetch: {exc.reason}") from None
    except TimeoutError:
        raise EnvironmentProblem(f"{url}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise EnvironmentProblem(f"{url}: cannot fetch: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise EnvironmentProblem(f"{url}: over the {max_bytes}-byte limit")
    return Page(final, data, media_type, charset)
