"""Whether the data's source addresses still answer: each asked once, side by side.

A link is asked with HEAD first (no page is downloaded); a server that refuses HEAD or
answers it with an error is asked again with GET, of which at most PEEK_BYTES are read. The
outcome: `broken` (an error status, or no answer: DNS, TLS, refused, timeout), `moved`
(redirected to another host; `www.` does not count), `slow` (answered after more than half
the timeout), else `ok`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from .results.check import LinkCheck, LinkOutcome
from .web import Answer, Client, WebError

WORKERS = 8
"""Connections open at once."""
PEEK_BYTES = 64 * 1024
"""The most of a page a GET reads: the status is what counts."""
NO_ANSWER = frozenset({"dns", "tls", "timeout", "refused", "unreachable", "redirect-loop"})
"""Failures that asking again with GET would only repeat."""


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def check_link(client: Client, url: str) -> LinkCheck:
    """The outcome of one address (its `cited_by` is left for the report to fill)."""
    try:
        try:
            answer = client.get(url, method="HEAD", body_limit=0)
        except WebError as error:
            if error.kind in NO_ANSWER:
                raise
            answer = client.get(url, body_limit=PEEK_BYTES)
    except WebError as error:
        return LinkCheck(
            url=url,
            outcome=LinkOutcome.BROKEN,
            status=error.status,
            final_url=None,
            seconds=None,
            message=error.message if error.kind == "http" else f"{error.kind}: {error.message}",
            cited_by=(),
        )
    return _answered(url, answer, client.timeout)


def _answered(url: str, answer: Answer, timeout: float) -> LinkCheck:
    moved = answer.final_url != url
    outcome, message = LinkOutcome.OK, f"HTTP {answer.status}"
    if moved and _host(answer.final_url) != _host(url):
        outcome, message = LinkOutcome.MOVED, f"redirected to {_host(answer.final_url)}"
    elif answer.seconds > timeout / 2:
        outcome, message = LinkOutcome.SLOW, f"answered after {answer.seconds:.1f} s"
    return LinkCheck(
        url=url,
        outcome=outcome,
        status=answer.status,
        final_url=answer.final_url if moved else None,
        seconds=round(answer.seconds, 3),
        message=message,
        cited_by=(),
    )


def check_links(
    client: Client,
    urls: Iterable[str],
    *,
    workers: int = WORKERS,
    advance: Callable[[], None] = lambda: None,
) -> dict[str, LinkCheck]:
    """Each address's outcome, at most `workers` asked at once."""

    def one(url: str) -> LinkCheck:
        try:
            return check_link(client, url)
        finally:
            advance()

    wanted = list(dict.fromkeys(urls))
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(wanted) or 1))) as pool:
        return dict(zip(wanted, pool.map(one, wanted), strict=True))
