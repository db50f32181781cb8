"""The data formats: what a criteria file, an editions file and a toolkit file may hold.

Each model is frozen and forbids unknown keys, so a typo in a YAML key is an error, never
silently dropped. Rules that need more than one file (a score within the scale, a rating on
a criterion that exists) are checked in `loading`, which sees every file at once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .days import checked_day, without_time
from .lookalike import MAX_MARKS, hidden_characters, mixed_scripts, stacked_marks, unambiguous

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""Lower-case words joined by single hyphens: `tensorflow`, `single-gpu`, `model-deployment`."""


_NOT_IN_URL = re.compile(r'[\s<>"`{}|\\^]')
"""Characters an address never holds unencoded (`\\s`: every character `str.isspace` finds),
and that would close markup around it."""


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")) or len(value) < 12:
        raise ValueError("must be an http:// or https:// address")
    if _NOT_IN_URL.search(value) or hidden_characters(value):
        raise ValueError("must be an address without spaces, quotes, <, > or control characters")
    return value


def _plain_name(value: str) -> str:
    hidden = hidden_characters(value)
    if hidden:
        raise ValueError(
            f"a name may not hold invisible or control characters, found {', '.join(hidden)}"
        )
    marks = stacked_marks(value)
    if marks:
        raise ValueError(
            f"'{unambiguous(value)}' stacks {marks} combining marks on one letter (at most "
            f"{MAX_MARKS}); such text spills over the lines around it"
        )
    mixed = mixed_scripts(value)
    if mixed:
        raise ValueError(
            f"'{unambiguous(value)}' mixes letters of look-alike scripts "
            f"({', '.join(s.title() for s in mixed)}); write it in one script"
        )
    return value


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Name = Annotated[Text, AfterValidator(_plain_name)]
"""A display name: shown wherever its thing is, so nothing in it may hide or imitate."""
Url = Annotated[str, AfterValidator(_http_url)]
CommitHash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{7,40}$")]
Day = Annotated[dt.date, BeforeValidator(without_time), AfterValidator(checked_day)]
"""A date in a data file: a day from 1900-01-01 to 2999-12-31 (see `days`)."""


def _repository_path(value: str) -> str:
    parts = value.split("/")
    if (
        not value
        or value.startswith("/")
        or "\\" in value
        or ":" in value
        or any(part in ("", ".", "..") for part in parts)
        or any(c.isspace() or not c.isprintable() for c in value)
    ):
        raise ValueError(
            "must be a relative path inside the repository, such as docs/method.md "
            "(no leading '/', no '..', no spaces)"
        )
    return value


_PLACE_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}")


def _place(value: str) -> str:
    host, _, path = value.partition("/")
    if (
        not _PLACE_HOST.fullmatch(host)
        or any(c.isspace() or not c.isprintable() for c in path)
        or _NOT_IN_URL.search(path)
        or "?" in path
        or "#" in path
    ):
        raise ValueError(
            "must be a host, or a host and the start of a path, without http:// "
            "(pytorch.org, github.com/pytorch)"
        )
    return value.rstrip("/")


Place = Annotated[str, StringConstraints(max_length=200), AfterValidator(_place)]
"""Where a project publishes: a host and everything under it (`pytorch.org`, its subdomains
too), or a host and a path prefix (`github.com/pytorch`: that owner's repositories only)."""


METHOD_PATH = "docs/method.md"
"""Where this repository keeps the method of dlcompare's own editions; shipped inside the
package, and shown by `dlcompare method`."""

RepositoryPath = Annotated[str, StringConstraints(max_length=200), AfterValidator(_repository_path)]
"""A file of this repository, named relative to its root: `docs/method.md`."""

PACKAGE_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$"
"""A distribution name as PEP 508 allows it: letters, digits, `.`, `_`, `-`, beginning and
ending with a letter or digit (`torch`, `jaxlib`, `Theano`)."""

_PACKAGE = re.compile(PACKAGE_PATTERN)
MAX_VERSION = 40
"""The longest version string a data file may give (PyPI's longest real ones are ~30)."""


def _package(value: str) -> str:
    if len(value) > 100 or not _PACKAGE.match(value):
        raise ValueError(
            "must be a package name as the Python package index spells it: letters, digits, "
            "'.', '_' and '-', beginning and ending with a letter or digit (torch, jaxlib)"
        )
    return value


PackageName = Annotated[str, AfterValidator(_package)]
"""A package on the Python package index (PyPI), by the name it is installed under."""


def _version(value: str) -> str:
    if not 0 < len(value) <= MAX_VERSION or any(c.isspace() or not c.isprintable() for c in value):
        raise ValueError(
            f'must be a version as the project numbers it, such as "2.15.0" (quoted, '
            f"printable, no spaces, at most {MAX_VERSION} characters)"
        )
    return value


Version = Annotated[str, AfterValidator(_version)]
"""A toolkit version as its project numbers it (`2.15.0`, `0.4.38`): short and printable, kept
as written (loosely numbered versions are compared with `packaging.version` by `check`)."""


class Frozen(BaseModel):
    # defer_build: a model's validator is built when first used, not at import. A folder read
    # from the cache needs none of them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Scale(Frozen):
    """The rating scale shared by every criterion (the source rates 0 to 5)."""

    min: float = 0
    max: float = 5

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if not self.min < self.max:
            raise ValueError("scale min must be below max")
        return self


class Part(Frozen):
    """A rateable part of a criterion, addressed as `criterion.part`."""

    id: Slug
    name: Name
    description: Text


class Criterion(Frozen):
    """An area of the evaluation. A criterion with parts is rated per part only; one that
    gains its parts at an edition (`parts_from`) is rated whole before that edition's date and
    per part from it on, so that an older edition keeps the whole ratings it gave."""

    id: Slug
    name: Name
    description: Text
    parts: tuple[Part, ...] = ()
    parts_from: dt.date | None = Field(
        default=None,
        description=(
            "The edition date from which the criterion is rated per part. Ratings dated "
            "before it rate the criterion whole (key `criterion`), ratings from it on rate "
            "its parts (keys `criterion.part`); a weight on the criterion is spread over the "
            "parts rated in the edition used. Left out: always rated per part (or whole, "
            "without parts)."
        ),
    )

    @model_validator(mode="after")
    def _parts_from_needs_parts(self) -> Criterion:
        if self.parts_from is not None and not self.parts:
            raise ValueError("parts_from needs parts: the criterion is rated whole throughout")
        return self


class CriteriaFile(Frozen):
    scale: Scale | None = None
    """Defaults to 0 to 5; every data folder that sets it must agree."""
    criteria: tuple[Criterion, ...] = Field(min_length=1)


class Edition(Frozen):
    """One dated state of an evaluation: the bundled source's revisions, or a team's own."""

    date: Day
    evaluator: Name
    """Whose evaluation this is: shown with every rating that comes from this edition."""
    url: Url | None = None
    summary: Text
    commit: CommitHash | None = None
    also: tuple[CommitHash, ...] = ()
    """Same-day revisions that changed no rating or reasoning; `--as-of` accepts them too."""
    notes: tuple[Text, ...] = ()
    method: RepositoryPath | None = None
    """How the edition was rated: a file of this repository (`docs/method.md`)."""


class EditionsFile(Frozen):
    editions: tuple[Edition, ...] = Field(min_length=1)
    evidence_hosts: tuple[Place, ...] = ()
    """Places accepted as evidence beyond the toolkits' own `official` places (MLCommons,
    arXiv, the package index, the libraries an ecosystem rating names); `validate` reports
    a source outside both. Data folders add to one another's lists."""


Score = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class Assessment(Frozen):
    """A toolkit's standing on one leaf criterion from one edition on.

    `score` is a number on the scale, or null when the edition discusses the toolkit there but
    gives no rating (the summary says why). `withdrawn: true` records that the edition dropped
    the assessment: from then on the toolkit is not assessed there, and no score may be given.
    """

    score: Score | None = None
    withdrawn: bool = False
    summary: Text
    sources: tuple[Url, ...] = ()
    notes: tuple[Text, ...] = ()
    version: Version | None = None
    """The toolkit version the assessment was judged on (optional): `check` reports the
    releases since."""

    @model_validator(mode="before")
    @classmethod
    def _score_is_explicit(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("withdrawn") and "score" not in data:
            raise ValueError(
                "'score' is required: a number on the scale, or null with the reason in the summary"
            )
        return data

    @model_validator(mode="after")
    def _withdrawn_has_no_score(self) -> Assessment:
        if self.withdrawn and self.score is not None:
            raise ValueError("a withdrawn assessment has no score")
        if self.score is not None and not math.isfinite(self.score):
            raise ValueError("score must be a finite number")
        return self


class Successor(Frozen):
    """The project that carries a toolkit's work on, as its source names it."""

    name: Name
    url: Url


ProjectState = Literal["active", "inactive", "ended"]
"""active: developed and released today; inactive: no end announced, but no release since
`date`; ended: the project announced the end of development (or its last release)."""


class ProjectStatus(Frozen):
    """Whether a toolkit is still developed, as a sourced fact (not part of the evaluation).

    `date` is when development ended (ended) or the last release (inactive); it is left out
    when the source gives none, and for an active project. `note` says in our own words only
    what `source` supports. `checked` is the day the facts were last read in the source
    (optional in the schema; every bundled status block has it).
    """

    state: ProjectState
    date: Day | None = None
    source: Url
    successor: Successor | None = None
    note: Text
    checked: Day | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ProjectStatus:
        if self.state == "active" and (self.date is not None or self.successor is not None):
            raise ValueError("an active project has no end date and no successor")
        if self.state == "inactive" and self.date is None:
            raise ValueError("an inactive project needs the date of its last release")
        return self


class Toolkit(Frozen):
    """What a toolkit is: its names, links and status. A dataset keeps its assessments apart
    (`Dataset.timeline`); `RatedToolkit` is a toolkit with them."""

    id: Slug
    name: Name
    aliases: tuple[Slug, ...] = ()
    homepage: Url | None = None
    repository: Url | None = None
    packages: tuple[PackageName, ...] = ()
    """The toolkit's packages on the Python package index (`[torch]`, `[jax, jaxlib]`), an
    ended toolkit's too where it had one: what `check` reads release dates from."""
    status: ProjectStatus | None = None
    """Whether the project still lives; optional, and never used in scoring."""
    official: tuple[Place, ...] = ()
    """The project's own places (`pytorch.org`, `github.com/pytorch`): where a fact about it
    is read first-hand. `validate` checks every source against them."""


class RatedToolkit(Toolkit):
    """A toolkit and its assessments: `ratings[criterion path][edition date]`."""

    ratings: dict[str, dict[Day, Assessment]] = {}

    @field_validator("ratings", mode="before")
    @classmethod
    def _empty_ratings(cls, value: Any) -> Any:
        # `ratings:` with every entry commented out (a fresh scaffold) parses as null
        return {} if value is None else value


class ToolkitFile(RatedToolkit):
    """A toolkit file as a data folder holds it. A file that overrides a toolkit of an earlier
    folder needs only `id` and what it changes (its other keys are inherited); a new toolkit
    must also give its `name`, which loading checks once it knows the earlier folders."""

    name: Name | None = None  # type: ignore[assignment]


def json_schemas() -> dict[str, Any]:
    """JSON Schema of each data file, for editors and the YAML language server."""
    return {
        "criteria": CriteriaFile.model_json_schema(),
        "editions": EditionsFile.model_json_schema(),
        "toolkit": ToolkitFile.model_json_schema(),
    }
