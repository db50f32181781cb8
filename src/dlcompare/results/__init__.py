"""Result objects: one per command. Every output format renders the same object, and JSON is
a dump of it. Names are ids (`tensorflow`, `performance.single-gpu`); numbers are unrounded.

One module per family of results, so that a command creates only its own result classes:

    base.py      the pieces all of them share: a rating, an edition, whose scores, not rated
    views.py     show, diff
    ranking.py   rank, rank --sensitivity
    catalog.py   list, editions, validate, method
    history.py   history, changes
    report.py    report (made of the results of show, list and rank)
    check.py     check, check --links

(`measure` keeps its results in `dlcompare.measure.results`.) This file imports none of them:
import each class from its family's module (`from dlcompare.results.ranking import Ranking`).
"""
