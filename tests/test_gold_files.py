"""Shape checks for the hand-labelled benchmark files in ``benchmarks/gold/`` (no scorer needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

GOLD = Path(__file__).resolve().parents[1] / "benchmarks" / "gold"
DIMENSIONS = ("timeliness", "sincerity", "specificity", "remedy")
LANGS = {"zh", "en", "mixed"}
PAIR_DIMENSIONS = {*DIMENSIONS, "overall", "evasive"}


def read(name: str) -> list[dict[str, Any]]:
    lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
    rows = []
    for number, line in enumerate(lines, 1):
        assert line.strip(), f"{name}:{number}: blank line"
        row = json.loads(line)
        assert isinstance(row, dict), f"{name}:{number}: not a JSON object"
        rows.append(row)
    return rows


def check_labels(labels: Any, where: str) -> None:
    assert isinstance(labels, dict), where
    assert set(labels) == {*DIMENSIONS, "evasive"}, f"{where}: label keys {sorted(labels)}"
    for d in DIMENSIONS:
        value = labels[d]
        assert isinstance(value, int) and not isinstance(value, bool), f"{where}: {d} not an int"
        assert 0 <= value <= 4, f"{where}: {d}={value} outside 0..4"
    assert isinstance(labels["evasive"], bool), f"{where}: evasive not a bool"


@pytest.fixture(scope="module")
def gold() -> list[dict[str, Any]]:
    return read("gold.jsonl")


def test_gold_shape(gold: list[dict[str, Any]]) -> None:
    assert len(gold) >= 300
    for row in gold:
        where = f"gold {row.get('id')}"
        assert set(row) == {"id", "text", "context", "lang", "tags", "split", "labels"}, where
        assert isinstance(row["id"], str) and row["id"], where
        assert isinstance(row["text"], str) and row["text"].strip(), where
        assert row["context"] is None or isinstance(row["context"], str), where
        assert row["lang"] in LANGS, where
        assert isinstance(row["tags"], list) and all(isinstance(t, str) and t for t in row["tags"]), where
        assert row["split"] in {"tune", "test"}, where
        check_labels(row["labels"], where)


def test_gold_ids_and_texts_unique(gold: list[dict[str, Any]]) -> None:
    ids = [row["id"] for row in gold]
    assert len(ids) == len(set(ids))
    texts = [row["text"] for row in gold]
    assert len(texts) == len(set(texts))


def test_gold_mix(gold: list[dict[str, Any]]) -> None:
    tags = [t for row in gold for t in row["tags"]]
    assert sum(row["lang"] == "mixed" for row in gold) >= 25
    assert tags.count("traditional") >= 20
    assert tags.count("template") >= 20
    assert tags.count("worked_example") == 12
    assert all(row["split"] == "tune" for row in gold if "worked_example" in row["tags"])
    share_tune = sum(row["split"] == "tune" for row in gold) / len(gold)
    # annotators 5 and 16-19 are all tune (written to widen the phrasing the rules learn from); the untuned
    # split stays large, with evasive replies enough for a stable F1
    assert 0.3 <= share_tune <= 0.7
    test = [row for row in gold if row["split"] == "test"]
    assert len(test) >= 1000 and sum(row["labels"]["evasive"] for row in test) >= 300
    share_evasive = sum(row["labels"]["evasive"] for row in gold) / len(gold)
    assert 0.2 <= share_evasive <= 0.4
    for d in DIMENSIONS:
        levels = {row["labels"][d] for row in gold}
        assert levels == {0, 1, 2, 3, 4}, f"{d} does not use every level"


def test_metamorphic_shape() -> None:
    pairs = read("metamorphic.jsonl")
    assert len(pairs) >= 40
    ids = [p["id"] for p in pairs]
    assert len(ids) == len(set(ids))
    for p in pairs:
        where = f"pair {p.get('id')}"
        assert set(p) == {"id", "pitfall", "a", "b", "dimension", "relation", "why"}, where
        for side in ("a", "b"):
            assert isinstance(p[side], str) and p[side].strip(), where
        assert p["a"] != p["b"], where
        assert p["dimension"] in PAIR_DIMENSIONS, where
        assert p["relation"] in {"a>b", "a<b", "a=b"}, where
        assert isinstance(p["pitfall"], str) and p["pitfall"], where
        assert isinstance(p["why"], str) and p["why"], where


def test_corpus_labels_shape() -> None:
    rows = read("corpus_labels.jsonl")
    assert len(rows) == 100
    keys = [(r["file"], r["id"]) for r in rows]
    assert len(keys) == len(set(keys))
    for r in rows:
        where = f"corpus {r.get('file')}:{r.get('id')}"
        assert set(r) == {"id", "file", "labels"}, f"{where}: only id, file and labels may be stored"
        assert "text" not in r and "context" not in r, where
        assert isinstance(r["id"], str) and r["id"], where
        assert isinstance(r["file"], str) and r["file"].endswith(".jsonl"), where
        check_labels(r["labels"], where)
    zh = sum(r["file"].startswith("zh_") for r in rows)
    assert 40 <= zh <= 60
