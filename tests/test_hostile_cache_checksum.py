"""A tampered cache whose scores stay on the scale (5.0 -> 4.0) is a miss because of its
checksum, and only because of it: every other check of a cached dataset passes such a score.
(Deleting the checksum comparison in `cache._read_payload` makes this test fail.)"""

from __future__ import annotations

import pickle
from pathlib import Path

from dlcompare import cache
from dlcompare.loading import load_dataset
from tests.conftest import fresh_load
from tests.test_hostile_cache import _caffe_score, _stored

HEAD = cache.FORMAT + cache._code_version()


def _caffe_scores(dataset) -> list[float | None]:
    return [a.score for e in dataset.assessments("caffe").values() for a in e.values()]


def _rewrite(stored: Path, *, checksum: bytes | None) -> None:
    """Caffe's scores in the cached dataset set to 4.0 (on the 0-5 scale), stored with
    `checksum`, or with a checksum of the new payload when None."""
    content = stored.read_bytes()
    whole, dataset = pickle.loads(content[len(HEAD) + cache.DIGEST_SIZE :])
    payload = pickle.dumps((whole, _caffe_score(dataset, 4.0)))
    stored.write_bytes(HEAD + (checksum or cache._checksum(payload)) + payload)


def test_a_changed_score_on_the_scale_is_a_miss_by_its_checksum(
    data_copy, cache_dir, monkeypatch
) -> None:
    fresh = fresh_load(data_copy, monkeypatch)
    assert 5.0 in _caffe_scores(fresh)
    load_dataset(data_copy)
    stored = _stored(cache_dir)
    old_checksum = stored.read_bytes()[len(HEAD) : len(HEAD) + cache.DIGEST_SIZE]

    # the payload changed, its stored checksum did not: a miss, the files are read again
    _rewrite(stored, checksum=old_checksum)
    loaded = load_dataset(data_copy)
    assert _caffe_scores(loaded) == _caffe_scores(fresh)
    assert loaded == fresh


def test_nothing_but_the_checksum_tells_such_a_change(data_copy, cache_dir, monkeypatch) -> None:
    # the same change with a checksum that matches is served from the cache: no range or type
    # check can tell 4.0 from a real score, so the checksum is what the test above relies on
    fresh = fresh_load(data_copy, monkeypatch)
    load_dataset(data_copy)
    _rewrite(_stored(cache_dir), checksum=None)
    assert set(_caffe_scores(load_dataset(data_copy))) - {None} == {4.0}
    assert 5.0 in _caffe_scores(fresh)
