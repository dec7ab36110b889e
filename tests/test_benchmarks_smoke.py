"""Smoke test of the performance suite: ``benchmarks/run.py --quick`` on tiny generated input.

It checks that every figure of issue 5 is measured and written to the JSON next to its baseline; the
numbers themselves are noise at this size and are not asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_quick_run_writes_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "perf.json"
    empty = tmp_path / "no-corpora"  # forces the generated bilingual corpus: runs anywhere
    empty.mkdir()
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--corpora", str(empty), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))

    assert data["meta"]["quick"] is True
    assert data["meta"]["corpus"].startswith("generated")
    for name in ("english", "chinese", "mixed", "fast_segmenter", "cold_start", "scaling", "score_many",
                 "stream_memory"):
        assert name in data, name

    # each throughput figure comes with its baseline, measured in the same run
    assert data["english"]["score"]["replies_per_s"] > 0
    vader = data["english"]["vader"]
    assert isinstance(vader, str) or vader["replies_per_s"] > 0
    for name in ("chinese", "mixed"):
        assert data[name]["score"]["replies_per_s"] > 0
        assert data[name]["jieba_lcut"]["replies_per_s"] > 0
        assert data[name]["ratio"] > 0
    assert 0 <= data["mixed"]["detected_mixed_share"] <= 1

    fast = data["fast_segmenter"]
    if fast["available"]:
        for key in ("score_jieba", "score_rjieba", "jieba_lcut", "rjieba_cut"):
            assert fast[key]["replies_per_s"] > 0
        assert 0 <= fast["token_agreement"] <= 1
        assert 0 <= fast["scores_within_1_point"] <= 1

    cold = data["cold_start"]
    assert cold["baseline_import_jieba_spacy"]["seconds"] > 0
    assert cold["zh_reply_jieba"]["spacy_imported"] is False  # no Latin letters, no spaCy
    assert cold["en_reply_jieba"]["spacy_imported"] is True

    sizes = data["scaling"]["sizes"]
    assert len(sizes) == 3
    assert all(entry["us_per_char"] > 0 for entry in sizes.values())
    assert data["scaling"]["ratio"] > 0

    many = data["score_many"]
    if many["available"]:
        assert many["workers_1"]["replies_per_s"] > 0 and many["workers_2"]["replies_per_s"] > 0
    stream = data["stream_memory"]
    if stream["available"]:
        assert stream["records"] == 300
        assert stream["parent_peak_rss_mb"] > 0

    # the printed table has one row per figure line, and the JSON keeps the same table
    assert data["table_markdown"] in proc.stdout
    assert "English score() vs VADER" in proc.stdout
    assert "Cold start, Chinese reply (jieba)" in proc.stdout
