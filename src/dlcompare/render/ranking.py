"""Layout of `rank`: the ranking under the user's weights with each criterion's
contribution and, with --sensitivity, how robust first place is."""

from __future__ import annotations

from ..results.ranking import Ranking, Sensitivity
from .blocks import Block, Cell, Column, Document, Heading, Paragraph, Table
from .common import (
    SCALE_MAX,
    References,
    add_header,
    edition_line,
    labelled,
    names_of,
    not_rated_summary,
    only_line,
    rated_by,
    score_style,
    shown_lines,
    stale_marked,
    status_table,
)


def bar(score: float, width: int = 20, scale_max: float = SCALE_MAX) -> str:
    eighths = round(max(0.0, min(score / scale_max, 1.0)) * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[rest - 1] if rest else "")


def percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def contributions(result: Ranking) -> Table:
    """Each weighted criterion's share of each toolkit's score."""
    names = names_of(result.toolkits)
    criteria = names_of(result.criteria)
    rows = tuple(
        (
            Cell(f"{criteria[path]} ({percent(share)})"),
            *(
                Cell(
                    stale_marked(f"{row.contributions[path]:.2f}", path in row.stale)
                    if path in row.contributions
                    else "no score",
                    "" if path in row.contributions else "dim",
                )
                for row in result.rows
            ),
        )
        for path, share in result.shares.items()
    )
    return Table(
        (
            Column("Criterion (weight)", ratio=3),
            *(Column(names[r.toolkit], justify="right", ratio=1) for r in result.rows),
        ),
        rows,
    )


def weights_text(result: Ranking) -> str:
    """Each weighted criterion's share; a weight spread over a criterion's parts once, with
    its parts: `model-deployment 40 % = server 13 %, mobile-edge 13 %, browser 13 %`."""
    owner = {part: whole for whole, spread in result.spread.items() for part in spread.parts}
    items: list[str] = []
    for path, share in result.shares.items():
        whole = owner.get(path)
        if whole is None:
            items.append(f"{path} {percent(share)}")
        elif path == next(p for p in result.spread[whole].parts if p in result.shares):
            parts = ", ".join(
                f"{p.partition('.')[2]} {percent(result.shares[p])}"
                for p in result.spread[whole].parts
                if p in result.shares
            )
            items.append(f"{whole} {percent(result.spread[whole].share)} = {parts}")
    return ", ".join(items)


def not_considered_text(result: Ranking) -> str:
    """The criteria without weight; a criterion none of whose parts has weight is named once
    (`model-deployment`, not its three parts)."""
    unweighted = set(result.not_considered)
    parts: dict[str, list[str]] = {}
    for named in result.criteria:
        whole, dot, _ = named.id.partition(".")
        if dot:
            parts.setdefault(whole, []).append(named.id)
    items: list[str] = []
    for path in result.not_considered:
        whole = path.partition(".")[0]
        if whole in parts and set(parts[whole]) <= unweighted:
            if whole not in items:
                items.append(whole)
        else:
            items.append(path)
    return ", ".join(items)


def ranking(result: Ranking, *, verbose: bool = False) -> Document:
    """The ranking and what changes it, then each criterion's share of each score; with
    `verbose`, the project status of every toolkit and the sources."""
    doc = Document()
    doc.add(*answer(result, verbose))
    doc.add(*details(result, verbose))
    return doc


def answer(result: Ranking, verbose: bool = False) -> list[Block]:
    """The ranking with its provenance, then who is not in it and why."""
    doc = Document()
    names = names_of(result.toolkits)
    status = result.toolkit_status
    add_header(
        doc,
        Heading("Ranking under your weights"),
        edition_line(result.as_of, result.edition),
        *shown_lines(result.shown, result.notes, result.freshness),
        only_line(result.only_toolkits, names),
    )
    doc.add(Paragraph(f"Weights: {weights_text(result)}"))
    if result.not_considered:
        doc.add(Paragraph(f"Not considered: {not_considered_text(result)}", "dim"))
    partial = result.missing == "partial"
    columns = [
        Column("Rank", justify="right", no_wrap=True),
        Column("Toolkit", ratio=2),
        Column("Score", justify="right", no_wrap=True),
        Column("", no_wrap=True),
    ]
    if partial:
        columns.append(Column("Coverage", justify="right", no_wrap=True))
    rows = []
    for row in result.rows:
        cells = [
            Cell(str(row.rank)),
            Cell(labelled(names[row.toolkit], status.get(row.toolkit))),
            Cell(f"{row.score:.2f}", score_style(row.score)),
            Cell(bar(row.score), score_style(row.score)),
        ]
        if partial:
            cells.append(Cell(percent(row.coverage)))
        rows.append(tuple(cells))
    doc.add(Table(tuple(columns), tuple(rows)))
    if len(result.first) > 1 and result.sensitivity is None:  # the verdict says it otherwise
        doc.add(Paragraph(f"{tied_first(result)}.", "bold"))
    # who is not in the ranking, and why, right below it (never only further down the screen)
    for dropped in result.dropped:
        doc.add(
            Paragraph(
                f"Left out: {labelled(names[dropped.toolkit], status.get(dropped.toolkit))}, "
                f"not rated on {', '.join(dropped.missing)}",
                "yellow",
            )
        )
    absent = not_rated_summary(result.not_in_edition, verbose)
    if absent is not None:
        doc.add(absent)
    provenance = rated_by(
        [
            (row.toolkit, path, by.rsplit(", ", 1)[0])
            for row in result.rows
            for path, by in row.rated_by.items()
        ]
    )
    if provenance:
        doc.add(provenance)
    return doc.blocks


def details(result: Ranking, verbose: bool = False) -> list[Block]:
    """What each score is made of, the toolkits' project status and sources: with `verbose`
    only; the shares a partly rated toolkit was scored with always (they change its score)."""
    doc = Document()
    reweighted = partial_shares(result)
    if not verbose:
        if reweighted is not None:
            doc.add(reweighted)
        doc.add(Paragraph("-v adds what each score is made of.", "dim"))
        return doc.blocks
    doc.add(Heading("Contributions to each score"), contributions(result))
    if reweighted is not None:
        doc.add(reweighted)
    refs = References()
    doc.add(*status_table(names_of(result.toolkits), result.toolkit_status, refs))
    doc.add(refs.block())
    return doc.blocks


def partial_shares(result: Ranking) -> Paragraph | None:
    """With --missing partial, the shares a partly rated toolkit's contributions were computed
    with: its weights re-scaled over the criteria it is rated on, so the row headers' shares
    do not hold for it."""
    names = names_of(result.toolkits)
    parts = []
    for row in result.rows:
        if row.coverage >= 1 or not row.shares:
            continue
        shares = ", ".join(f"{path} {percent(share)}" for path, share in row.shares.items())
        lacks = ", ".join(row.missing)
        parts.append(f"{names[row.toolkit]} (not rated on {lacks}): {shares}")
    if not parts:
        return None
    return Paragraph(
        "Re-weighted over the criteria each toolkit is rated on (the shares in the first "
        f"column hold for fully rated toolkits): {'; '.join(parts)}.",
        "dim",
    )


def share_text(share: float) -> str:
    """A share as a percentage; small ones keep a digit so that they never read as 0 %."""
    value = share * 100
    return f"{value:.0f} %" if value >= 9.5 or value == 0 else f"{value:.1g} %"


def _chance(probability: float) -> str:
    """A probability as a percentage that never rounds a possibility to 0 % or 100 %."""
    value = probability * 100
    if 0 < value < 0.5:
        return "<1 %"
    if 99.5 <= value < 100:
        return ">99 %"
    return f"{value:.0f} %"


def _weight(weight: float, share: float) -> str:
    return f"{weight:.3g} ({share_text(share)})"


def _end(weight: float | None, share: float | None, then: str | None) -> str:
    """One end of a weight interval and who comes first beyond it."""
    if weight is None or share is None or then is None:
        return "no limit"
    return f"{_weight(weight, share)}\nthen {then}"


def together(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def named(result: Ranking, ids: tuple[str, ...]) -> str:
    """Toolkits in a sentence, by name: a set, so in name order, never in id order (renaming
    an id must not change the sentence)."""
    names = names_of(result.toolkits)
    return together(sorted((names[t] for t in ids), key=lambda name: (name.casefold(), name)))


def tied_first(result: Ranking) -> str:
    return (
        f"{named(result, result.first)} tie for first: the order between them is a tie, "
        "not a result"
    )


def _analysis(result: Ranking) -> Sensitivity:
    if result.sensitivity is None:
        raise ValueError("the ranking has no sensitivity analysis")
    return result.sensitivity


def verdict(result: Ranking) -> str:
    """One sentence: who is first (every toolkit tied for it, with the tie said as a tie),
    what single weight change would take first place from them, and how often they stay
    first among the samples."""
    analysis = _analysis(result)
    first = analysis.first
    tie = len(first) > 1
    who = named(result, first)
    critical = analysis.critical
    if len(result.rows) == 1:
        text = f"{who} is the only toolkit ranked"
    elif tie:
        text = f"{tied_first(result)}; first place stays with them"
    else:
        text = f"{who} stays first"
    if len(result.rows) == 1:
        pass
    elif critical is None:
        text += " however far any single weight moves"
    else:
        moved = next(s for s in analysis.stability if s.criterion == critical.criterion)
        how = "falls below" if critical.change < 0 else "rises above"
        takes = "take over, tied" if len(critical.first) > 1 else "takes over"
        text += (
            f" unless the weight of {critical.criterion} {how} "
            f"{share_text(critical.share)} of the total (now {share_text(moved.share)}), "
            f"when {named(result, critical.first)} {takes}"
        )
    odds = analysis.acceptability
    if odds.uncertainty == 0 and odds.rating_noise == 0:
        return f"{text}."
    spread = [f"weights ±{share_text(odds.uncertainty)}"] if odds.uncertainty else []
    if odds.rating_noise:
        spread.append(f"ratings ±{odds.rating_noise:g} star")
    given = f"with {' and '.join(spread)}"
    if tie:
        chance = _chance(odds.first_together / odds.samples)
        return f"{text}; {given} they are first together in {chance} of samples."
    leader = next(o for o in odds.toolkits if o.toolkit == first[0])
    shared = leader.tied_probabilities[0]
    also = f" (tied for it in {_chance(shared)})" if shared else ""
    return f"{text}; {given} it is first in {_chance(leader.probabilities[0])} of samples{also}."


def sensitivity(result: Ranking, *, verbose: bool = False) -> Document:
    """The verdict, the ranking, then the robustness the user asked for; what each score is
    made of (and the reference material) only with `verbose`."""
    doc = Document()
    doc.add(Paragraph(verdict(result), "bold"))
    doc.add(*answer(result, verbose))
    doc.add(*stability(result))
    doc.add(*acceptability(result))
    if verbose:
        doc.add(*details(result, verbose))
    return doc


def stability(result: Ranking, level: int = 0) -> list[Block]:
    """How far each weight may move, one at a time, before first place changes."""
    analysis = _analysis(result)
    first = analysis.first
    still = (
        f"with {named(result, first)} still first"
        if len(first) == 1
        else f"with first place still among {named(result, first)}"
    )
    critical = analysis.critical
    doc = Document()
    if critical is None and all(not e.below and not e.above for e in analysis.stability):
        # every row would read "no limit", which the verdict already says in words
        return doc.blocks
    doc.add(Heading(f"How far each weight may move {still}", level))
    doc.add(
        Paragraph("One weight at a time, the others fixed; raw weight (share of the total).", "dim")
    )
    rows = []
    for entry in analysis.stability:
        mark = " *" if critical and critical.criterion == entry.criterion else ""
        below = _takers(result, entry.below)
        above = _takers(result, entry.above)
        rows.append(
            (
                Cell(f"{entry.criterion}{mark}"),
                Cell(_weight(entry.weight, entry.share)),
                Cell(_end(entry.low, entry.low_share, below), "" if below else "dim"),
                Cell(_end(entry.high, entry.high_share, above), "" if above else "dim"),
            )
        )
    doc.add(
        Table(
            (
                Column("Criterion", no_wrap=True),
                Column("Now", no_wrap=True),
                Column("Lowest", ratio=1),
                Column("Highest", ratio=1),
            ),
            tuple(rows),
        )
    )
    if critical is not None:
        change = (
            f"a {'cut' if critical.change < 0 else 'rise'} of {share_text(abs(critical.change))}"
        )
        doc.add(
            Paragraph(
                f"Most critical (*): {critical.criterion}; {change} in its weight (to "
                f"{critical.weight:.3g}) puts {_takers(result, critical.first)} first."
            )
        )
    else:
        doc.add(Paragraph("No single weight, however far it moves, changes first place."))
    return doc.blocks


def _takers(result: Ranking, ids: tuple[str, ...]) -> str | None:
    """Who takes first place: one name, several tied ('A and B, tied'), or None."""
    if not ids:
        return None
    return named(result, ids) + (", tied" if len(ids) > 1 else "")


def _held(probability: float, tied: float) -> str:
    """A place's probability, with the part in which the place was shared (a tie)."""
    if not tied:
        return _chance(probability)
    if tied == probability:
        return f"{_chance(probability)} tied"
    return f"{_chance(probability)} ({_chance(tied)} tied)"


def acceptability(result: Ranking, level: int = 0) -> list[Block]:
    """How often each toolkit holds each place under random weights (and ratings)."""
    names = names_of(result.toolkits)
    doc = Document()
    odds = _analysis(result).acceptability
    doc.add(Heading("Rank acceptability", level))
    noise = (
        f"; each rating moved by up to ±{odds.rating_noise:g} (uniform), clipped to the scale"
        if odds.rating_noise
        else ""
    )
    doc.add(
        Paragraph(
            f"{odds.samples} samples (seed {odds.seed}): each weight times a random factor in "
            f"[{1 - odds.uncertainty:g}, {1 + odds.uncertainty:g}]{noise}. Tied toolkits "
            "share a place (1, 1, 3), marked tied.",
            "dim",
        )
    )
    places = range(1, len(odds.toolkits[0].probabilities) + 1 if odds.toolkits else 1)
    doc.add(
        Table(
            (
                Column("Toolkit", ratio=1),
                *(Column(f"#{place}", justify="right", no_wrap=True) for place in places),
            ),
            tuple(
                (
                    Cell(names[entry.toolkit]),
                    *(
                        Cell(_held(p, tied), "" if p else "dim")
                        for p, tied in zip(
                            entry.probabilities, entry.tied_probabilities, strict=True
                        )
                    ),
                )
                for entry in odds.toolkits
            ),
        )
    )
    return doc.blocks
