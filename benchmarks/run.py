"""Performance benchmarks: every figure of issue 5, each next to a baseline measured in the same run.

    python benchmarks/run.py                 # full run (about 10 minutes; the 1M-record stream dominates)
    python benchmarks/run.py --quick         # smoke run on tiny input (seconds)
    python benchmarks/run.py --corpora DIR   # read the replies from DIR instead of ../shared/corpora

Inputs: the real replies in ``../shared/corpora/*.jsonl`` (relative to the repository root) when present,
otherwise a generated bilingual corpus (deterministic), so the suite runs anywhere. Corpus text is only read,
never written: the JSON holds figures, not text.

Prints a table and writes ``benchmarks/results/perf-<timestamp>.json`` (and ``perf-latest.json``). Ratios
are what count; absolute times vary between machines. Times are the best of ``--repeat`` runs, with the
candidate and its baseline run alternately in the same process.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = REPO_ROOT.parent / "shared" / "corpora"
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"

#: Every figure the JSON carries (the smoke test checks them all).
FIGURES = (
    "english",
    "chinese",
    "mixed",
    "fast_segmenter",
    "cold_start",
    "scaling",
    "score_many",
    "stream_memory",
)

TARGETS = {
    "english": "score() at least as fast as VADER (ratio >= 1.0)",
    "chinese": "score() at most 1.5x bare jieba lcut time",
    "fast_segmenter": "rjieba backend >= 5x the jieba backend; scores within 1 point on >= 99.5%",
    "cold_start": "<= 1.0 s Chinese reply with jieba, <= 0.5 s with rjieba; no spaCy without Latin letters",
    "scaling": "time per char at 1 MB within 1.5x of 1 KB",
    "score_many": "2 workers >= 1.7x one worker",
    "stream_memory": "peak RSS flat over a 1,000,000-record stream",
}


# --- inputs --------------------------------------------------------------------------------------------------


@dataclass
class Corpus:
    source: str
    en: list[str]
    zh: list[str]
    mixed: list[str] = field(default_factory=list)


def read_corpora(directory: Path) -> tuple[list[str], list[str]]:
    """English and Chinese replies from every ``*.jsonl`` file in ``directory`` (by the ``lang`` field)."""
    en: list[str] = []
    zh: list[str] = []
    for path in sorted(directory.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                rec = json.loads(line)
                text = rec.get("text")
                if not isinstance(text, str) or not text.strip():
                    continue
                (zh if rec.get("lang") == "zh" else en).append(text)
    return en, zh


_ZH_PARTS = (
    ("非常抱歉", "真的很抱歉", "不好意思", "给您添麻烦了", "亲,抱歉", ""),
    ("您的订单{n}发错了颜色", "包裹在运输途中破损了", "快递延误了三天", "商品缺少配件", "退款还没有到账"),
    ("这是我们仓库的失误", "是我们的问题", "由于系统故障", "物流方面的原因", ""),
    ("我们今天下午重新发货", "已为您申请退款{m}元", "明天会有专人联系您", "请您耐心等待", "这个不归我们管"),
    ("。", "!", "~", "。感谢您的理解。"),
)
_EN_PARTS = (
    ("We're so sorry", "I apologize", "Sorry for any inconvenience", "We regret the trouble", "Hi there"),
    (" that order #{n} arrived damaged", " your parcel is late", " you were charged twice", " about this", ""),
    (". That was our mistake", ". Our courier mislabeled it", ", but we can't control the weather", ""),
    (". A replacement ships today", ". We've refunded ${m}", ". Please DM us your details", ". Hang tight"),
    (".", "!", " and we'll follow up tomorrow.", ""),
)


def generated_corpus(n: int, seed: int = 5) -> Corpus:
    """A deterministic bilingual corpus of ``n`` replies per language (used when no corpora are present)."""
    rng = random.Random(seed)

    def reply(parts: Sequence[Sequence[str]]) -> str:
        text = "".join(rng.choice(p) for p in parts)
        return text.format(n=rng.randrange(10_000_000, 99_999_999), m=rng.randrange(5, 500))

    zh = [reply(_ZH_PARTS) for _ in range(n)]
    en = [reply(_EN_PARTS) for _ in range(n)]
    return Corpus(source=f"generated (seed {seed})", en=en, zh=zh)


def load_corpus(directory: Path, limit: int) -> Corpus:
    if directory.is_dir():
        en, zh = read_corpora(directory)
        if en and zh:
            rng = random.Random(5)  # a fixed sample across all files, not just the first file
            en = rng.sample(en, min(limit, len(en)))
            zh = rng.sample(zh, min(limit, len(zh)))
            return Corpus(source=str(directory), en=en, zh=zh)
    return generated_corpus(limit)


def with_mixed(corpus: Corpus) -> Corpus:
    """Mixed-language replies: each Chinese reply followed by an English one (code-switching, as in chats)."""
    n = min(len(corpus.en), len(corpus.zh))
    corpus.mixed = [f"{corpus.zh[i]} {corpus.en[i]}" for i in range(n)]
    return corpus


def utf8_mb(texts: Iterable[str]) -> float:
    return sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) / 1e6


# --- timing ----------------------------------------------------------------------------------------------------


def best_of(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Best wall time of each function over ``repeat`` rounds, run alternately (same machine state)."""
    best = {name: float("inf") for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            gc.collect()
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    return best


def throughput(texts: Sequence[str], seconds: float) -> dict[str, float]:
    return {
        "seconds": round(seconds, 4),
        "replies_per_s": round(len(texts) / seconds, 1),
        "mb_per_s": round(utf8_mb(texts) / seconds, 3),
    }


# --- figures -------------------------------------------------------------------------------------------------------


def bench_english(texts: Sequence[str], repeat: int) -> dict[str, Any]:
    from apology_score import Config, score

    cfg = Config(segmenter="jieba")
    score(texts[0], config=cfg)  # build the pipeline outside the timing
    result: dict[str, Any] = {"replies": len(texts)}
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        t = best_of({"score": lambda: [score(x, config=cfg) for x in texts]}, repeat)
        result.update(score=throughput(texts, t["score"]), vader="not available (pip install vaderSentiment)")
        result["ratio"] = None
        return result
    vader = SentimentIntensityAnalyzer()
    t = best_of(
        {
            "score": lambda: [score(x, config=cfg) for x in texts],
            "vader": lambda: [vader.polarity_scores(x) for x in texts],
        },
        repeat,
    )
    result.update(score=throughput(texts, t["score"]), vader=throughput(texts, t["vader"]))
    result["ratio"] = round(t["vader"] / t["score"], 3)  # >= 1.0: score() is at least as fast
    result["ratio_meaning"] = "VADER time / score() time (higher is better)"
    return result


def _private_jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    return tk


def bench_chinese(texts: Sequence[str], repeat: int) -> dict[str, Any]:
    from apology_score import Config, score

    cfg = Config(segmenter="jieba")
    score(texts[0], config=cfg)
    tk = _private_jieba()
    t = best_of(
        {
            "score": lambda: [score(x, config=cfg) for x in texts],
            "lcut": lambda: [tk.lcut(x) for x in texts],
        },
        repeat,
    )
    return {
        "replies": len(texts),
        "score": throughput(texts, t["score"]),
        "jieba_lcut": throughput(texts, t["lcut"]),
        "ratio": round(t["score"] / t["lcut"], 3),
        "ratio_meaning": "score() time / bare jieba lcut time (lower is better)",
    }


def bench_mixed(texts: Sequence[str], repeat: int) -> dict[str, Any]:
    from apology_score import Config, score

    cfg = Config(segmenter="jieba")
    reports = [score(x, config=cfg) for x in texts[:200]]
    tk = _private_jieba()
    t = best_of(
        {
            "score": lambda: [score(x, config=cfg) for x in texts],
            "lcut": lambda: [tk.lcut(x) for x in texts],
        },
        repeat,
    )
    languages = [r.language for r in reports]
    return {
        "replies": len(texts),
        "detected_mixed_share": round(languages.count("mixed") / len(languages), 3),
        "score": throughput(texts, t["score"]),
        "jieba_lcut": throughput(texts, t["lcut"]),
        "ratio": round(t["score"] / t["lcut"], 3),
        "ratio_meaning": "score() time / bare jieba lcut time (lower is better)",
    }


def bench_fast_segmenter(texts: Sequence[str], agreement_texts: Sequence[str], repeat: int) -> dict[str, Any]:
    """rjieba vs jieba: throughput of score() with each backend and of the bare segmenters; agreement."""
    try:
        import rjieba
    except ImportError:
        return {"available": False, "note": "rjieba is not installed (pip install 'apology-score[fast]')"}
    from apology_score import Config, score
    from apology_score.pipeline.core import get_pipeline

    cj, cr = Config(segmenter="jieba"), Config(segmenter="rjieba")
    score(texts[0], config=cj)
    score(texts[0], config=cr)
    tk = _private_jieba()
    t = best_of(
        {
            "score_jieba": lambda: [score(x, config=cj) for x in texts],
            "score_rjieba": lambda: [score(x, config=cr) for x in texts],
            "lcut": lambda: [tk.lcut(x) for x in texts],
            "rjieba_cut": lambda: [rjieba.cut(x) for x in texts],
        },
        repeat,
    )
    pj, pr = get_pipeline(cj), get_pipeline(cr)
    same_tokens = same_scores = within_1 = 0
    for text in agreement_texts:
        dj, dr = pj.analyze(text), pr.analyze(text)
        same_tokens += dj.tokens.starts == dr.tokens.starts and dj.tokens.ends == dr.tokens.ends
        rj, rr = score(text, config=cj), score(text, config=cr)
        same_scores += rj.overall == rr.overall and rj.rule_ids == rr.rule_ids
        within_1 += abs(rj.overall - rr.overall) <= 1.0
    n = len(agreement_texts)
    return {
        "available": True,
        "replies": len(texts),
        "score_jieba": throughput(texts, t["score_jieba"]),
        "score_rjieba": throughput(texts, t["score_rjieba"]),
        "jieba_lcut": throughput(texts, t["lcut"]),
        "rjieba_cut": throughput(texts, t["rjieba_cut"]),
        "speedup": round(t["score_jieba"] / t["score_rjieba"], 3),
        "speedup_meaning": "score() time with jieba / with rjieba (higher is better)",
        "segmenter_speedup": round(t["lcut"] / t["rjieba_cut"], 2),
        "agreement_replies": n,
        "token_agreement": round(same_tokens / n, 4),
        "identical_scores_and_rules": round(same_scores / n, 4),
        "scores_within_1_point": round(within_1 / n, 4),
    }


def _run_python(code: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False, cwd=REPO_ROOT
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"cold-start probe failed: {proc.stderr.strip()[-2000:]}")
    return elapsed, proc.stdout.strip()


_COLD_PROBE = textwrap.dedent(
    """
    import sys
    from apology_score import Config, score
    r = score({text!r}, config=Config(segmenter={segmenter!r}))
    print(r.grade, "spacy" in sys.modules, "jieba" in sys.modules)
    """
)


def bench_cold_start(zh_text: str, en_text: str, runs: int, warm_up: bool = True) -> dict[str, Any]:
    """Wall time of fresh processes (median of ``runs``, after one warm-up that fills the OS file cache and
    jieba's dictionary cache)."""
    probes: dict[str, str] = {
        "baseline_import_jieba_spacy": "import jieba, spacy",
        "import_only": "import apology_score",
        "zh_reply_jieba": _COLD_PROBE.format(text=zh_text, segmenter="jieba"),
        "en_reply_jieba": _COLD_PROBE.format(text=en_text, segmenter="jieba"),
    }
    try:
        import rjieba  # noqa: F401

        probes["zh_reply_rjieba"] = _COLD_PROBE.format(text=zh_text, segmenter="rjieba")
        probes["en_reply_rjieba"] = _COLD_PROBE.format(text=en_text, segmenter="rjieba")
    except ImportError:
        pass
    out: dict[str, Any] = {"runs": runs}
    for name, code in probes.items():
        if warm_up:
            _run_python(code)
        times = []
        stdout = ""
        for _ in range(runs):
            elapsed, stdout = _run_python(code)
            times.append(elapsed)
        entry: dict[str, Any] = {"seconds": round(statistics.median(times), 4), "min": round(min(times), 4)}
        if stdout:
            _grade, spacy_loaded, jieba_loaded = stdout.split()
            entry["spacy_imported"] = spacy_loaded == "True"
            entry["jieba_imported"] = jieba_loaded == "True"
        out[name] = entry
    return out


def scaling_text(corpus: Corpus, size: int) -> str:
    """About ``size`` characters of replies (both languages alternately), one reply per line."""
    pool = [t for pair in zip(corpus.zh, corpus.en, strict=False) for t in pair]
    parts: list[str] = []
    total = i = 0
    while total < size:
        piece = pool[i % len(pool)]
        parts.append(piece)
        total += len(piece) + 1
        i += 1
    return "\n".join(parts)[:size]


def bench_scaling(corpus: Corpus, sizes: Sequence[int], repeat: int) -> dict[str, Any]:
    from apology_score import Config, score

    cfg = Config(segmenter="jieba", max_length=max(sizes) * 2)
    texts = {size: scaling_text(corpus, size) for size in sizes}
    out: dict[str, Any] = {"sizes": {}}
    for size, text in texts.items():
        score(text[:1000], config=cfg)
        # short texts are timed over many calls so that timer resolution does not matter
        calls = max(1, min(200, 100_000 // size))
        rounds = repeat if size <= 200_000 else 1
        t = best_of({"score": lambda text=text, calls=calls: [score(text, config=cfg) for _ in range(calls)]},
                    rounds)["score"] / calls
        out["sizes"][str(size)] = {
            "chars": len(text), "seconds": round(t, 5), "us_per_char": round(t / len(text) * 1e6, 4)
        }
    smallest, largest = str(min(sizes)), str(max(sizes))
    out["ratio"] = round(out["sizes"][largest]["us_per_char"] / out["sizes"][smallest]["us_per_char"], 3)
    out["ratio_meaning"] = f"time per char at {largest} chars / at {smallest} chars (lower is better)"
    return out


def _batch_available() -> bool:
    try:
        from apology_score.batch import score_many  # noqa: F401
    except ImportError:
        return False
    return True


def bench_score_many(texts: Sequence[str], repeat: int) -> dict[str, Any]:
    if not _batch_available():
        return {"available": False, "note": "not available: apology_score.batch.score_many does not exist"}
    from apology_score.batch import score_many

    def run(n_jobs: int) -> None:
        for _ in score_many(texts, n_jobs=n_jobs):
            pass

    run(1)
    t = best_of({"workers_1": lambda: run(1), "workers_2": lambda: run(2)}, repeat)
    return {
        "available": True,
        "replies": len(texts),
        "cpus": os.cpu_count(),
        "workers_1": throughput(texts, t["workers_1"]),
        "workers_2": throughput(texts, t["workers_2"]),
        "speedup": round(t["workers_1"] / t["workers_2"], 3),
        "speedup_meaning": "time with 1 worker / with 2 workers (higher is better)",
    }


_STREAM_PROBE = textwrap.dedent(
    """
    import json, resource, sys, time
    from apology_score.batch import score_many
    pool = json.load(sys.stdin)
    n, jobs = {records}, {jobs}
    checkpoints = {{max(1, n // 100), n // 10, n // 2, n}}

    def rss_mb():
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def records():
        for i in range(n):
            yield pool[i % len(pool)]

    seen, samples, t0 = 0, {{}}, time.perf_counter()
    for _ in score_many(records(), n_jobs=jobs):
        seen += 1
        if seen in checkpoints:
            samples[seen] = round(rss_mb(), 1)
    elapsed = time.perf_counter() - t0
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({{"records": seen, "seconds": round(elapsed, 2), "parent_rss_mb_at": samples,
                      "parent_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "largest_worker_peak_rss_mb": round(kids, 1)}}))
    """
)


def bench_stream_memory(pool: Sequence[str], records: int, jobs: int) -> dict[str, Any]:
    """Peak RSS of a subprocess that streams ``records`` replies through ``score_many`` (results dropped)."""
    if not _batch_available():
        return {"available": False, "note": "not available: apology_score.batch.score_many does not exist"}
    proc = subprocess.run(
        [sys.executable, "-c", _STREAM_PROBE.format(records=records, jobs=jobs)],
        input=json.dumps(list(pool)),
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    if proc.returncode != 0:
        return {"available": False, "note": f"stream probe failed: {proc.stderr.strip()[-1000:]}"}
    out: dict[str, Any] = {"available": True, "workers": jobs, **json.loads(proc.stdout)}
    out["records_per_s"] = round(out["records"] / out["seconds"], 1)
    at = out["parent_rss_mb_at"]
    first, last = at[min(at, key=int)], at[max(at, key=int)]
    out["rss_growth_mb_after_first_1pct"] = round(last - first, 1)
    return out


# --- report ------------------------------------------------------------------------------------------------------


def _fmt_tp(entry: Any) -> str:
    if not isinstance(entry, dict):
        return str(entry)
    return f"{entry['replies_per_s']:,.0f}/s {entry['mb_per_s']:.2f} MB/s"


def table_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(figure, apology-score, baseline, ratio) rows for the printed and README table."""
    rows: list[tuple[str, str, str, str]] = []
    en, zh, mx = results["english"], results["chinese"], results["mixed"]
    rows.append(("English score() vs VADER polarity_scores", _fmt_tp(en["score"]), _fmt_tp(en["vader"]),
                 f"{en['ratio']}x speed (target >= 1.0)"))
    rows.append(("Chinese score() vs jieba lcut", _fmt_tp(zh["score"]), _fmt_tp(zh["jieba_lcut"]),
                 f"{zh['ratio']}x time (target <= 1.5)"))
    rows.append(("Mixed score() vs jieba lcut", _fmt_tp(mx["score"]), _fmt_tp(mx["jieba_lcut"]),
                 f"{mx['ratio']}x time"))
    fs = results["fast_segmenter"]
    if fs.get("available"):
        rows.append(("Chinese score(): rjieba vs jieba backend", _fmt_tp(fs["score_rjieba"]),
                     _fmt_tp(fs["score_jieba"]), f"{fs['speedup']}x speed (target >= 5)"))
        rows.append(("rjieba.cut vs jieba lcut (bare)", _fmt_tp(fs["rjieba_cut"]), _fmt_tp(fs["jieba_lcut"]),
                     f"{fs['segmenter_speedup']}x speed"))
        rows.append(("rjieba vs jieba agreement", f"tokens {fs['token_agreement']:.2%}",
                     f"{fs['agreement_replies']:,} replies",
                     f"scores within 1 pt {fs['scores_within_1_point']:.2%} (target >= 99.5%)"))
    else:
        rows.append(("rjieba vs jieba", "not available", "", fs.get("note", "")))
    cs = results["cold_start"]
    base = cs["baseline_import_jieba_spacy"]["seconds"]
    for key, label, target in (
        ("zh_reply_jieba", "Cold start, Chinese reply (jieba)", "<= 1.0 s"),
        ("zh_reply_rjieba", "Cold start, Chinese reply (rjieba)", "<= 0.5 s"),
        ("en_reply_jieba", "Cold start, English reply (jieba)", ""),
        ("en_reply_rjieba", "Cold start, English reply (rjieba)", ""),
    ):
        if key in cs:
            e = cs[key]
            spacy = "spaCy imported" if e.get("spacy_imported") else "no spaCy"
            rows.append((label, f"{e['seconds']:.3f} s ({spacy})", f"import jieba, spacy {base:.3f} s",
                         f"{e['seconds'] / base:.2f}x" + (f" (target {target})" if target else "")))
    sc = results["scaling"]
    sizes = sc["sizes"]
    per = ", ".join(f"{int(k) // 1000 if int(k) >= 1000 else k}{'K' if int(k) >= 1000 else ''}: "
                    f"{v['us_per_char']:.3f}" for k, v in sizes.items())
    rows.append(("Time per char (us), by text length", per, f"smallest {min(sizes, key=int)} chars",
                 f"{sc['ratio']}x (target <= 1.5)"))
    sm = results["score_many"]
    if sm.get("available"):
        rows.append((f"score_many, {sm['replies']:,} replies: 2 vs 1 workers", _fmt_tp(sm["workers_2"]),
                     _fmt_tp(sm["workers_1"]), f"{sm['speedup']}x (target >= 1.7)"))
    else:
        rows.append(("score_many 1 vs 2 workers", "not available", "", ""))
    st = results["stream_memory"]
    if st.get("available"):
        at = st["parent_rss_mb_at"]
        curve = ", ".join(f"{int(k):,}: {v} MB" for k, v in at.items())
        rows.append((f"Stream of {st['records']:,} records ({st['workers']} workers), RSS", curve,
                     f"worker peak {st['largest_worker_peak_rss_mb']} MB",
                     f"+{st['rss_growth_mb_after_first_1pct']} MB after first 1%"))
    else:
        rows.append(("Stream peak RSS", "not available", "", ""))
    return rows


def profile(texts: Sequence[str], segmenter: str) -> str:
    """A pyinstrument profile (text) of ``score()`` over ``texts``, after one warm-up call."""
    from pyinstrument import Profiler

    from apology_score import Config, score

    cfg = Config(segmenter=segmenter)
    score(texts[0], config=cfg)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for text in texts:
        score(text, config=cfg)
    profiler.stop()
    out: str = profiler.output_text(unicode=True, color=False)
    return out


def markdown_table(rows: Sequence[tuple[str, str, str, str]]) -> str:
    lines = ["| figure | apology-score | baseline | ratio |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="directory of *.jsonl replies")
    parser.add_argument("--quick", action="store_true", help="smoke run on tiny input (figures are noise)")
    parser.add_argument("--replies", type=int, default=None, help="replies per language (default 4000)")
    parser.add_argument("--repeat", type=int, default=None, help="timing rounds, best kept (default 3)")
    parser.add_argument("--batch-replies", type=int, default=None, help="replies for score_many (20000)")
    parser.add_argument("--stream-records", type=int, default=None, help="records streamed (1000000)")
    parser.add_argument("--out", type=Path, default=None, help="JSON output file")
    parser.add_argument("--profile", choices=("en", "zh", "mixed"), default=None,
                        help="print a pyinstrument profile of score() on these replies instead (needs [bench])")
    parser.add_argument("--segmenter", default="jieba", help="segmenter for --profile (jieba, rjieba)")
    args = parser.parse_args(argv)

    quick = args.quick
    replies = args.replies or (12 if quick else 4000)
    repeat = args.repeat or (1 if quick else 3)
    batch_replies = args.batch_replies or (40 if quick else 20_000)
    stream_records = args.stream_records or (300 if quick else 1_000_000)
    sizes = (1_000, 4_000, 16_000) if quick else (1_000, 100_000, 1_000_000)
    cold_runs = 1 if quick else 5

    corpus = with_mixed(load_corpus(args.corpora, replies))
    if args.profile:
        print(profile(getattr(corpus, args.profile), args.segmenter))
        return 0
    all_zh = corpus.zh
    if not quick and args.corpora.is_dir():
        _, all_zh = read_corpora(args.corpora)  # agreement over every Chinese reply of the corpora
    pool = corpus.en + corpus.zh + corpus.mixed
    batch_texts = [pool[i % len(pool)] for i in range(batch_replies)]

    from apology_score import __version__

    results: dict[str, Any] = {
        "meta": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "apology_score": __version__,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "corpus": corpus.source,
            "quick": quick,
            "replies_per_language": replies,
            "repeat": repeat,
            "command": "python benchmarks/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
        },
        "targets": TARGETS,
    }
    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("english", lambda: bench_english(corpus.en, repeat)),
        ("chinese", lambda: bench_chinese(corpus.zh, repeat)),
        ("mixed", lambda: bench_mixed(corpus.mixed, repeat)),
        ("fast_segmenter", lambda: bench_fast_segmenter(corpus.zh, all_zh, repeat)),
        ("cold_start", lambda: bench_cold_start(corpus.zh[0], corpus.en[0], cold_runs, warm_up=not quick)),
        ("scaling", lambda: bench_scaling(corpus, sizes, repeat)),
        ("score_many", lambda: bench_score_many(batch_texts, 1 if quick else 2)),
        ("stream_memory", lambda: bench_stream_memory(pool, stream_records, 2)),
    ]
    for name, step in steps:
        t0 = time.perf_counter()
        print(f"[{name}] ...", file=sys.stderr, flush=True)
        results[name] = step()
        print(f"[{name}] done in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)

    table = markdown_table(table_rows(results))
    results["table_markdown"] = table
    print(table)
    out = args.out
    if out is None:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        out = RESULTS_DIR / f"perf-{stamp}.json"
        (RESULTS_DIR / "perf-latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
