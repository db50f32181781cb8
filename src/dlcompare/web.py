"""How an address is read over the network: one request at a time, bounded in time and size,
retried with backoff when the server asks for patience. Only `check` imports this module.

The standard library's `urllib` (no extra dependency, and nothing on the start-up path of the
other commands): it honours the proxy variables (`http_proxy`, `https_proxy`, `no_proxy`),
verifies certificates, and follows redirects (at most 10, a loop is an error). A thread pool
(`concurrent.futures`) runs requests side by side where a command needs many.

Every failure is a `WebError` with a `kind` a report can count (`timeout`, `dns`, `tls`,
`refused`, `http`, `too-large`, `redirect-loop`, `error`) and a short message; nothing here
prints, and no exception of urllib or the socket layer leaves this module.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urlsplit

from . import __version__

DEFAULT_TIMEOUT = 10.0
"""Seconds a request may take, connecting and reading together."""
MAX_BYTES = 8 * 1024 * 1024
"""The largest answer read whole (a package index answer for a big project is ~2 MB)."""
RETRIES = 3
"""How many times an answer of 429 or 503 is asked again."""
BACKOFF = 1.0
"""Seconds before the first retry; doubled each time, and never more than MAX_WAIT."""
MAX_WAIT = 30.0
"""The longest wait between two tries, whatever the server's Retry-After asks."""
RETRY_STATUSES = frozenset({429, 503})
CONNECTION_KINDS = frozenset({"dns", "refused", "unreachable", "timeout", "tls"})
"""Failures where no answer came at all: when every request fails so, the machine is offline."""
USER_AGENT = f"dlcompare/{__version__} (+https://github.com/zer0n/deepframeworks)"


class WebError(Exception):
    """A request that gave no usable answer."""

    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Answer:
    """What a server answered (a status below 400, after redirects)."""

    url: str
    """The address asked for."""
    final_url: str
    """Where the answer came from, after redirects."""
    status: int
    body: bytes
    seconds: float
    """From the first request to the end of the answer, retries included."""
    hops: tuple[str, ...] = ()
    """Each address a redirect led to, in order."""


@dataclass
class Client:
    """Reads addresses with the limits of one run. `sleep` waits between retries (tests pass
    one that does not wait); `opener` is urllib's, built once (with the proxies of the
    environment) unless given."""

    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = MAX_BYTES
    retries: int = RETRIES
    backoff: float = BACKOFF
    sleep: Callable[[float], None] = time.sleep
    opener: urllib.request.OpenerDirector | None = None
    _hops: dict[int, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.opener is None:
            self.opener = urllib.request.build_opener(_Redirects())

    def get(self, url: str, *, method: str = "GET", body_limit: int | None = None) -> Answer:
        """The answer to `method url`, or WebError. `body_limit`: read at most this many bytes
        and stop there (a link check needs no whole page); otherwise an answer larger than
        `max_bytes` is an error."""
        start = time.monotonic()
        for attempt in range(self.retries + 1):
            try:
                return self._once(url, method, body_limit, start)
            except _Retry as retry:
                if attempt == self.retries:
                    raise WebError(
                        "http",
                        f"HTTP {retry.status} after {self.retries + 1} tries",
                        retry.status,
                    ) from None
                self.sleep(min(retry.wait or self.backoff * 2**attempt, MAX_WAIT))
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, method: str, body_limit: int | None, start: float) -> Answer:
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
        )
        if urlsplit(url).scheme not in ("http", "https"):
            raise WebError("error", "not an http or https address")
        hops: list[str] = []
        request.dlcompare_hops = hops  # type: ignore[attr-defined]
        assert self.opener is not None
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status = response.status
                limit = self.max_bytes if body_limit is None else body_limit
                length = _content_length(response.headers)
                if body_limit is None and length is not None and length > limit:
                    raise WebError("too-large", f"answer of {length:,} bytes (limit {limit:,})")
                body = _read(response, limit, body_limit is None, start + self.timeout)
                return Answer(
                    url, response.geturl(), status, body, time.monotonic() - start, tuple(hops)
                )
        except urllib.error.HTTPError as error:
            with error:
                status = error.code
                if status in RETRY_STATUSES:
                    raise _Retry(status, _retry_after(error.headers)) from None
                if "redirect" in str(error.reason).lower() and 300 <= status < 400:
                    raise WebError(
                        "redirect-loop", "redirects in a loop (or too many)", status
                    ) from None
                raise WebError("http", f"HTTP {status}", status) from None
        except urllib.error.URLError as error:
            raise _classified(error.reason) from None
        except WebError:
            raise
        except (OSError, ValueError, http.client.HTTPException) as error:
            raise _classified(error) from None


class _Retry(Exception):
    def __init__(self, status: int, wait: float | None) -> None:
        super().__init__(status)
        self.status = status
        self.wait = wait


class _Redirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirects, each hop recorded on the request (so a report can say where a link
    moved to), and only to http(s) addresses."""

    def redirect_request(  # noqa: PLR0917 - urllib's signature
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise WebError("error", "redirected to an address that is not http or https", code)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]
        if new is not None:
            hops = getattr(req, "dlcompare_hops", [])
            hops.append(newurl)
            new.dlcompare_hops = hops  # type: ignore[attr-defined]
        return new


def _content_length(headers: Message) -> int | None:
    value = headers.get("Content-Length", "")
    return int(value) if value.isdigit() else None


def _retry_after(headers: Message | None) -> float | None:
    value = headers.get("Retry-After", "") if headers is not None else ""
    return float(value) if value.isdigit() else None


def _read(response: object, limit: int, whole: bool, deadline: float) -> bytes:
    """At most `limit` bytes of the body; more is an error when the body must be `whole`.
    A server that sends slowly is cut off at the deadline (the socket's timeout bounds each
    read, not their sum)."""
    chunks: list[bytes] = []
    size = 0
    read = response.read  # type: ignore[attr-defined]
    while True:
        if time.monotonic() > deadline:
            raise WebError("timeout", "the answer took longer than the timeout")
        chunk = read(min(64 * 1024, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            if whole:
                raise WebError("too-large", f"answer larger than {limit:,} bytes")
            break
    return b"".join(chunks)[:limit]


def _classified(reason: object) -> WebError:
    """A WebError for what urllib or the socket layer raised."""
    if isinstance(reason, WebError):
        return reason
    if isinstance(reason, socket.gaierror):
        return WebError("dns", "the host name does not resolve")
    if isinstance(reason, ssl.SSLCertVerificationError):
        return WebError("tls", "its certificate does not verify")
    if isinstance(reason, ssl.SSLError):
        return WebError("tls", "the secure connection failed")
    if isinstance(reason, TimeoutError | socket.timeout):
        return WebError("timeout", "no answer within the timeout")
    if isinstance(reason, ConnectionRefusedError):
        return WebError("refused", "the connection was refused")
    if isinstance(reason, OSError) and reason.errno in (101, 113):  # ENETUNREACH, EHOSTUNREACH
        return WebError("unreachable", "the network is unreachable")
    if isinstance(reason, ConnectionError):
        return WebError("error", "the connection broke off")
    # the server's own words (a bad status line) are never quoted: only what went wrong
    return WebError("error", f"the answer could not be read ({type(reason).__name__})")
