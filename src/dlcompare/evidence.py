"""Whether a rating's sources are primary: read where the fact is published first.

A source of an edition rated under its own method (an edition without a `commit`: the
source's editions are revisions of a published document, whose links are carried over as they
were) must lie in the official places of a toolkit of the data (`Toolkit.official`) or in a
place the data accepts as evidence (`EditionsFile.evidence_hosts`). Beyond that, three kinds of
page are never primary, wherever they are: a known mirror, a page in a language picked by the
address (`?hl=bn`, `/zh-cn/`: a machine translation, or one that lags the original), and a
versioned page of the toolkit's own documentation for a version older than the one the cell
was judged on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, urlsplit

from .dataset import Dataset
from .errors import Problem

MIRROR_HOSTS = (
    "sourceforge.net",
    "gitee.com",
    "gitmemory.com",
    "githubmemory.com",
    "giters.com",
    "newreleases.io",
    "libraries.io",
    "piwheels.org",
    "pydigger.com",
    "pypi.tuna.tsinghua.edu.cn",
    "mirrors.aliyun.com",
    "mirrors.tencent.com",
    "archive.ph",
    "archive.today",
    "web.archive.org",
)
"""Hosts that copy other projects' pages or releases: never where a fact is published first."""

LANGUAGE_QUERY_KEYS = frozenset({"hl", "lang", "language", "locale"})

LANGUAGES = frozenset(
    {
        "ar", "bn", "de", "es", "es-419", "fa", "fr", "he", "hi", "id", "it", "ja", "ko",
        "pl", "pt", "pt-br", "pt_br", "ru", "th", "tr", "uk", "vi", "zh", "zh-cn", "zh_cn",
        "zh-tw", "zh_tw", "zh-hans", "zh-hant",
    }
)  # fmt: skip
"""Path segments that pick a translated page (`/zh-cn/`); English is the original."""

_VERSION_SEGMENT = re.compile(r"(?:r|v|release-?)?(\d+)\.(\d+)(?:\.\d+)*(?:\.x)?", re.IGNORECASE)
_RATED_VERSION = re.compile(r"v?(\d+)\.(\d+)")


def in_place(url: str, place: str) -> bool:
    """Whether `url` lies in `place`: its host is the place's host or a subdomain of it, and
    its path starts with the place's path, segment by segment."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    place_host, _, place_path = place.partition("/")
    if host != place_host and not host.endswith("." + place_host):
        return False
    want = [s for s in place_path.lower().split("/") if s]
    have = [s for s in parts.path.lower().split("/") if s]
    return have[: len(want)] == want


def _language(url: str) -> str | None:
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in LANGUAGE_QUERY_KEYS and value.lower() not in ("", "en", "en-us"):
            return f"{key}={value}"
    for segment in parts.path.split("/"):
        if segment.lower() in LANGUAGES:
            return f"/{segment}/"
    return None


def _mirror(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    for mirror in MIRROR_HOSTS:
        if host == mirror or host.endswith("." + mirror):
            return mirror
    if host.startswith(("mirror.", "mirrors.")):
        return host
    return None


def _older_page(url: str, rated: str | None, own: Sequence[str]) -> str | None:
    """The version a page of the toolkit's own documentation is for, when it is an older
    release of the same series (same major, lower minor) than the version the cell was judged
    on. Another major is not compared: a project's places also hold its companions, numbered
    on their own (ExecuTorch 1.x under pytorch.org, TF.js 4.x under tensorflow.org)."""
    if rated is None or not any(in_place(url, place) for place in own):
        return None
    judged = _RATED_VERSION.match(rated.strip())
    if judged is None:
        return None
    for segment in urlsplit(url).path.split("/"):
        found = _VERSION_SEGMENT.fullmatch(segment)
        if found and int(found[1]) == int(judged[1]) and int(found[2]) < int(judged[2]):
            return segment
    return None


def source_problem(
    url: str, *, rated: str | None, own: Sequence[str], accepted: Iterable[str]
) -> str | None:
    """Why `url` is not primary evidence for a cell of a toolkit whose official places are
    `own`, judged on version `rated`; None when it is. `accepted`: every official place of
    the data's toolkits and the data's evidence hosts."""
    mirror = _mirror(url)
    if mirror:
        return f"{url} is a mirror ({mirror}); cite the page where the project publishes it"
    language = _language(url)
    if language:
        return f"{url} picks a translated page ({language}); cite the original"
    older = _older_page(url, rated, own)
    if older:
        return (
            f"{url} is the documentation of {older}, older than the version rated ({rated}); "
            "cite the page of the version rated"
        )
    if not any(in_place(url, place) for place in accepted):
        return (
            f"{url} is in no toolkit's official places and on no accepted evidence host (a "
            "fork, an aggregator or a blog is not primary); cite where the fact is published"
        )
    return None


def source_problems(dataset: Dataset) -> list[Problem]:
    """Every source of an edition rated under its own method (no `commit`), and every status
    block's source, that is not primary evidence: one problem per source, in its file."""
    own_method = {e.date for e in dataset.editions if e.commit is None}
    accepted = [p for t in dataset.toolkits for p in t.official] + list(dataset.evidence_hosts)
    problems = []
    for toolkit in dataset.toolkits:
        if toolkit.status is not None:
            why = source_problem(
                toolkit.status.source, rated=None, own=toolkit.official, accepted=accepted
            )
            if why:
                file = dataset.origins.get(toolkit.id, toolkit.id)
                problems.append(Problem(file, "status › source", why))
        for path, entries in dataset.assessments(toolkit.id).items():
            for day, assessment in entries.items():
                if day not in own_method:
                    continue
                rated = assessment.version
                for n, url in enumerate(assessment.sources):
                    why = source_problem(url, rated=rated, own=toolkit.official, accepted=accepted)
                    if why:
                        problems.append(
                            Problem(
                                dataset.origin(toolkit.id, path, day) or toolkit.id,
                                f"ratings › {path} › {day} › sources › {n}",
                                why,
                            )
                        )
    return problems
