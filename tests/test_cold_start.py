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


REPORT_PROBE = textwrap.dedent(
    """
    import sys
    from apology_score import score
    print(score(sys.argv[1], context=sys.argv[2] or None).model_dump_json())
    """
)


def report_json(text: str, context: str, env_home: Path, lexicon_cache: bool = True) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(env_home), "APOLOGY_SCORE_CACHE": str(env_home / "cache")}
    if not lexicon_cache:  # an unwritable cache location: every phrase is parsed and expanded afresh
        env["APOLOGY_SCORE_CACHE"] = "/dev/null/apology-score"
    proc = subprocess.run(
        [sys.executable, "-c", REPORT_PROBE, text, context], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.slow
def test_lexicon_caches_are_written_reused_and_give_the_same_reports(tmp_path: Path) -> None:
    """The parsed lexicons and expanded phrases are cached next to jieba's dictionary; a second process reads
    them instead of rebuilding, and its report is byte-identical to one made with no cache at all."""
    text, context = "非常抱歉,您的订单发错了颜色。We'll reship it today.", "你们发错颜色了"
    cache = tmp_path / "cache"
    first = report_json(text, context, tmp_path)
    lexicon_files = sorted(cache.glob("lexicon-*.marshal"))
    phrase_files = sorted(cache.glob("phrases-*.marshal"))
    compiled_files = sorted(cache.glob("compiled-*.marshal"))
    assert len(lexicon_files) >= 10 and len(phrase_files) == 1 and len(compiled_files) == 1, sorted(
        p.name for p in cache.iterdir()
    )
    inodes = {p: p.stat().st_ino for p in [*lexicon_files, *phrase_files, *compiled_files]}
    second = report_json(text, context, tmp_path)
    assert second == first
    assert {p: p.stat().st_ino for p in inodes} == inodes  # read, not rewritten (a write replaces the file)
    assert len(list(cache.glob("*.marshal"))) == len(inodes)
    assert report_json(text, context, tmp_path / "other", lexicon_cache=False) == first


@pytest.mark.slow
def test_a_corrupt_lexicon_cache_is_ignored(tmp_path: Path) -> None:
    text = "抱歉,您的快递送错地址了,今天下午补发。"
    cache = tmp_path / "cache"
    first = report_json(text, "", tmp_path)
    for p in [*cache.glob("lexicon-*.marshal"), *cache.glob("phrases-*.marshal"), *cache.glob("compiled-*.marshal")]:
        p.write_bytes(b"\x00garbage")
    assert report_json(text, "", tmp_path) == first


def test_stale_cache_files_are_removed_and_used_ones_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from apology_score import cache

    monkeypatch.setenv("APOLOGY_SCORE_CACHE", str(tmp_path))
    old, used = tmp_path / "phrases-old.marshal", tmp_path / "phrases-used.marshal"
    cache.store(old, {"a": ["a"]})
    cache.store(used, {"b": ["b"]})
    long_ago = 1_000_000_000  # 2001
    os.utime(old, (long_ago, long_ago))
    os.utime(used, (long_ago, long_ago))
    assert cache.load(used) == {"b": ["b"]}  # reading marks it used
    new = cache.cache_path("phrases", [], b"new")
    cache.store(new, {"c": ["c"]})
    assert sorted(p.name for p in tmp_path.glob("phrases-*.marshal")) == sorted([used.name, new.name])
    assert cache.load(new) == {"c": ["c"]}
    assert cache.load(tmp_path / "phrases-missing.marshal") is None


def test_only_the_most_recently_used_files_of_a_kind_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each lexicon edit or extra lexicon makes a new key: the cache keeps the most recently used files of a kind,
    so it cannot grow without bound between the 30-day clean-ups."""
    import os
    import time

    from apology_score import cache

    monkeypatch.setenv("APOLOGY_SCORE_CACHE", str(tmp_path))
    cap = cache.MAX_FILES_PER_KIND["compiled"]
    now = time.time()
    paths = [cache.cache_path("compiled", [], str(i).encode()) for i in range(cap + 3)]
    for i, path in enumerate(paths):  # paths[0] is the least recently used
        path.write_bytes(b"\x00")
        os.utime(path, (now - 3600 * (len(paths) - i), now - 3600 * (len(paths) - i)))
    (tmp_path / "lexicon-other.marshal").write_bytes(b"\x00")  # another kind is left alone
    newest = cache.cache_path("compiled", [], b"newest")
    cache.store(newest, [1])
    left = set(tmp_path.glob("compiled-*.marshal"))
    assert len(left) == cap and newest in left
    assert left - {newest} == set(paths[-(cap - 1) :])
    assert (tmp_path / "lexicon-other.marshal").exists()
