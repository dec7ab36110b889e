"""Cold start: what a fresh process imports to score one reply (subprocesses; no timing assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROBE = textwrap.dedent(
    """
    import json, sys
    from apology_score import Config, score
    r = score(sys.argv[1], config=Config(segmenter=sys.argv[2]))
    print(json.dumps({"grade": r.grade, "language": r.language,
                      "modules": sorted(m for m in ("spacy", "jieba", "rjieba", "pkg_resources", "pandas")
                                        if m in sys.modules)}))
    """
)


def probe(text: str, segmenter: str, env_home: Path) -> dict[str, object]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(env_home), "APOLOGY_SCORE_CACHE": str(env_home / "cache")}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, text, segmenter], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    return result


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "language", "imported", "not_imported"),
    [
        # no Latin letters: spaCy is never needed; jieba comes without pkg_resources (which scans every installed
        # distribution) and nothing pulls in pandas
        ("非常抱歉,您的订单发错了颜色,我们今天下午重新发货。", "zh", {"jieba"}, {"spacy", "pkg_resources", "pandas"}),
        # no Chinese characters: the jieba dictionary is never loaded
        ("We're so sorry, your parcel was late. A replacement ships today.", "en", {"spacy"}, {"jieba"}),
    ],
    ids=["chinese-no-spacy", "english-no-jieba"],
)
def test_a_reply_imports_only_the_tokenizer_it_needs(
    tmp_path: Path, text: str, language: str, imported: set[str], not_imported: set[str]
) -> None:
    out = probe(text, "jieba", tmp_path)
    assert out["language"] == language
    modules = out["modules"]
    assert isinstance(modules, list)
    assert imported <= set(modules)
    assert not not_imported & set(modules)


@pytest.mark.slow
def test_jieba_dictionary_cache_lives_in_the_user_cache_dir(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = probe("抱歉给您添麻烦了", "jieba", tmp_path)
    written = sorted(p.name for p in cache.iterdir())
    assert "jieba.cache" in written, written
    stamp = (cache / "jieba.cache").stat().st_mtime_ns
    second = probe("抱歉给您添麻烦了", "jieba", tmp_path)
    assert second == first
    assert (cache / "jieba.cache").stat().st_mtime_ns == stamp  # read, not rebuilt


@pytest.mark.slow
def test_rjieba_reply_does_not_load_jieba(tmp_path: Path) -> None:
    pytest.importorskip("rjieba")
    out = probe("非常抱歉,您的订单发错了颜色。", "rjieba", tmp_path)
    modules = out["modules"]
    assert isinstance(modules, list)
    assert "rjieba" in modules
    assert "jieba" not in modules
    assert "spacy" not in modules
