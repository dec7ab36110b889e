"""Batch throughput and streaming memory.

    python benchmarks/batch_bench.py [--corpora DIR] [--records N] [--stream-records N]

1. Throughput of ``score_many`` with 1 and 2 worker processes on the shared corpora (``../shared/corpora``
   relative to the repository root; generated text when absent), in records/s and MB/s of UTF-8 text,
   next to a baseline measured in the same run: bare jieba segmentation of the same texts.
2. Peak RSS of ``apology-score batch`` (a subprocess, measured with ``resource.getrusage(RUSAGE_CHILDREN)``)
   on a generated stream of ``--stream-records`` records (default 1,000,000), next to a plain JSON
   read/write pass over the same file in a subprocess.

Corpus text is only read, never written anywhere.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PARTS_ZH = ["非常抱歉", "亲", "您的订单", "发错了颜色", "我们今天下午重新发货", "请耐心等待", "这个不归我们管",
            "已为您退款", "给您带来不便了", "我们会尽快处理", "明天回访确认"]
PARTS_EN = ["We're so sorry", "Sorry for any inconvenience", "your parcel went to the wrong address",
            "a replacement ships today", "please wait", "that's not our fault", "we have refunded the charge",
            "I'll check back tomorrow", "thanks for reaching out"]


def generated(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        if i % 2:
            out.append("，".join(rnd.sample(PARTS_ZH, 3)) + f"。订单{rnd.randint(1000, 9999)}")
        else:
            out.append(". ".join(rnd.sample(PARTS_EN, 3)) + f". Order {rnd.randint(1000, 9999)}.")
    return out


def load_corpora(directory: Path, limit: int) -> tuple[list[str], str]:
    files = sorted(directory.glob("*.jsonl")) if directory.is_dir() else []
    if not files:
        return generated(limit), "generated text (no corpora found)"
    per_file = max(1, limit // len(files))
    texts: list[str] = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= per_file:
                    break
                t = json.loads(line).get("text")
                if isinstance(t, str):
                    texts.append(t)
    return texts, f"{len(files)} corpus files in {directory}"


def throughput(texts: list[str]) -> None:
    from apology_score.batch import score_many
    from apology_score.pipeline.core import get_pipeline

    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    get_pipeline()("抱歉 sorry")  # build outside the timings (each worker builds its own copy once)
    import jieba

    tk = jieba.Tokenizer()
    tk.initialize()
    t0 = time.perf_counter()
    for t in texts:
        tk.lcut(t)
    base = time.perf_counter() - t0
    print(f"{len(texts):,} texts, {mb:.2f} MB")
    print(f"  baseline: bare jieba segmentation   {len(texts) / base:10,.0f} rec/s {mb / base:8.2f} MB/s")
    for jobs in (1, 2):
        t0 = time.perf_counter()
        n = sum(1 for _ in score_many(texts, n_jobs=jobs, chunksize=64))
        dt = time.perf_counter() - t0
        print(f"  score_many n_jobs={jobs}                 {n / dt:10,.0f} rec/s {mb / dt:8.2f} MB/s")


PLAIN_PASS = """
import json, sys
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as dst:
    for line in src:
        obj = json.loads(line)
        dst.write(json.dumps({"id": obj["id"], "n": len(obj["text"])}, ensure_ascii=False) + "\\n")
"""


def child_peak_rss(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of a subprocess; each runs in a fresh helper so maxima do not mix."""
    helper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=False, stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", helper, *cmd], capture_output=True, text=True, check=True)
    secs, kb = out.stdout.split()
    return float(secs), int(kb) / 1024


def stream_memory(n: int, workers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "stream.jsonl"
        sample = generated(1000)
        with open(src, "w", encoding="utf-8") as fh:
            for i in range(n):
                fh.write(json.dumps({"id": i, "text": sample[i % len(sample)]}, ensure_ascii=False) + "\n")
        size = src.stat().st_size / 1e6
        print(f"stream of {n:,} generated records ({size:.0f} MB):")
        secs, rss = child_peak_rss([sys.executable, "-c", PLAIN_PASS, str(src), str(Path(tmp) / "plain.jsonl")])
        print(f"  baseline: plain JSON read/write pass  peak RSS {rss:7.1f} MB  {secs:8.1f} s")
        out = Path(tmp) / "scored.jsonl"
        cmd = [sys.executable, "-m", "apology_score", "batch", str(src), "-o", str(out), "--workers", str(workers)]
        secs, rss = child_peak_rss(cmd)
        with open(out, "rb") as fh:
            lines = sum(1 for _ in fh)
        print(f"  apology-score batch --workers {workers}      peak RSS {rss:7.1f} MB  {secs:8.1f} s "
              f"({lines:,} lines, {n / secs:,.0f} rec/s; RSS of the largest process)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--records", type=int, default=12000, help="texts for the throughput runs")
    ap.add_argument("--stream-records", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2, help="workers of the streaming run")
    args = ap.parse_args()
    texts, origin = load_corpora(args.corpora, args.records)
    print(f"throughput on {origin}")
    throughput(texts)
    if args.stream_records:
        stream_memory(args.stream_records, args.workers)


if __name__ == "__main__":
    main()
