"""The fast segmenter (the ``fast`` extra: rjieba, the jieba-rs binding) against jieba.

Token agreement and score agreement are measured on a sample of the shared corpora when they are present
(``../shared/corpora``), otherwise on the bundled examples; the rates are printed (``pytest -s``) and
checked against the bars of issue 5: scores within 1 point on >= 99.5% of replies.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from apology_score import Config, score
from apology_score.examples import EXAMPLES
from apology_score.pipeline.core import get_pipeline
from apology_score.pipeline.tokenize import JiebaSegmenter, make_segmenter

rjieba = pytest.importorskip("rjieba")

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
SAMPLE = 400

JIEBA = Config(segmenter="jieba")
RJIEBA = Config(segmenter="rjieba")


def chinese_sample() -> list[str]:
    texts: list[str] = []
    for path in sorted(CORPORA.glob("zh_*.jsonl")) if CORPORA.is_dir() else []:
        with path.open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    if not texts:
        return [t for t in EXAMPLES if any("\u4e00" <= c <= "\u9fff" for c in t)]
    return random.Random(5).sample(texts, min(SAMPLE, len(texts)))


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return chinese_sample()


def test_config_selects_the_backend() -> None:
    assert get_pipeline(JIEBA).segmenter.name == "jieba"
    assert get_pipeline(RJIEBA).segmenter.name == "rjieba"


def test_auto_picks_rjieba_when_installed() -> None:
    assert make_segmenter("auto").name == "rjieba"
    assert get_pipeline(Config(segmenter="auto")).segmenter.name == "rjieba"


def test_auto_falls_back_to_jieba_without_rjieba(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rjieba", None)  # `import rjieba` now raises ImportError
    segmenter = make_segmenter("auto")
    assert isinstance(segmenter, JiebaSegmenter)
    assert segmenter.cut("非常抱歉给您添麻烦了") == ["非常", "抱歉", "给", "您", "添麻烦", "了"]


def test_same_tokens_as_jieba(texts: list[str]) -> None:
    pj, pr = get_pipeline(JIEBA), get_pipeline(RJIEBA)
    differing = 0
    for text in texts:
        a, b = pj.analyze(text).tokens, pr.analyze(text).tokens
        differing += (a.starts, a.ends) != (b.starts, b.ends)
    rate = 1 - differing / len(texts)
    print(f"\nrjieba vs jieba: identical tokens on {rate:.2%} of {len(texts)} Chinese replies")
    assert rate >= 0.99, f"token agreement {rate:.2%}"


def test_scores_agree_within_one_point(texts: list[str]) -> None:
    within = identical = 0
    for text in texts:
        a, b = score(text, config=JIEBA), score(text, config=RJIEBA)
        within += abs(a.overall - b.overall) <= 1.0
        identical += a.model_dump(exclude={"ruleset"}) == b.model_dump(exclude={"ruleset"})
    print(
        f"\nrjieba vs jieba: overall within 1 point on {within / len(texts):.2%}, "
        f"identical reports on {identical / len(texts):.2%} of {len(texts)} replies"
    )
    assert within / len(texts) >= 0.995


def test_mixed_text_tokens_agree() -> None:
    text = "Sorry 亲,是我们发错了尺码,今天下午给您补发 order #12345678,运费我们承担。"
    a, b = get_pipeline(JIEBA).analyze(text).tokens, get_pipeline(RJIEBA).analyze(text).tokens
    assert (a.starts, a.ends) == (b.starts, b.ends)
    assert score(text, config=JIEBA).overall == score(text, config=RJIEBA).overall
