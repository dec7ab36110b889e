"""Cold-start wall time of ``apology-score check``, as CI runs it on every push.

Measures, in one run and as fresh processes (so imports and lexicon compilation count):

* ``python -c "import jieba, spacy"`` -- the price of merely importing the two NLP libraries;
* ``apology-score check`` on 1 Chinese template, on 1 English template;
* ``apology-score check`` on 1,000 templates (a JSONL library) drawn from the shared corpora
  (``../shared/corpora/*.jsonl`` relative to the repository root, or ``--corpora DIR``), half Chinese and half
  English; without the corpora, generated replies are used instead (and the output says so).

Each command runs ``--repeat`` times (default 3); the table shows the median and the minimum. The corpus
texts are written to a temporary directory only, never into the repository.

Usage (from the repository root)::

    python benchmarks/cli_bench.py
    python benchmarks/cli_bench.py --repeat 5 --json results.json
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora"

GENERATED_ZH = [
    "非常抱歉,您的订单{n}发错了颜色,我们今天下午重新发货。",
    "给您带来不便,敬请谅解。",
    "很抱歉让您久等了,退款已在今天处理完成,{d}个工作日内到账。",
    "这不是我们的问题,您找快递去。",
]
GENERATED_EN = [
    "We are sorry that order #{n} arrived late; we have refunded the ${d} shipping fee today.",
    "Sorry for any inconvenience.",
    "I apologize for the wait. Your replacement ships within {d} days.",
    "We are sorry you feel that way, but this is not our fault.",
]


def corpus_texts(corpora: Path, n: int, seed: int = 13) -> tuple[list[str], str]:
    """``n`` replies, half Chinese and half English, sampled from the corpora (or generated)."""
    rng = random.Random(seed)
    zh: list[str] = []
    en: list[str] = []
    if corpora.is_dir():
        for path in sorted(corpora.glob("*.jsonl")):
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    try:
                        rec = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    text = rec.get("text")
                    if isinstance(text, str) and text.strip():
                        (zh if rec.get("lang") == "zh" else en).append(text)
    if len(zh) >= n // 2 and len(en) >= n - n // 2:
        return rng.sample(zh, n // 2) + rng.sample(en, n - n // 2), f"corpora ({corpora})"
    out = []
    for i in range(n):
        pool = GENERATED_ZH if i % 2 == 0 else GENERATED_EN
        out.append(rng.choice(pool).format(n=10000 + i, d=rng.randint(1, 9)))
    return out, "generated (corpora not found)"


def timed(cmd: list[str], cwd: Path, repeat: int) -> tuple[list[float], int]:
    times: list[float] = []
    code = 0
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        code = done.returncode
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed with exit code {code}:\n{done.stderr[-2000:]}")
    return times, code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--templates", type=int, default=1000)
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args(argv)

    texts, origin = corpus_texts(args.corpora, args.templates)
    py = sys.executable
    check = [py, "-m", "apology_score", "check", "--isolated", "-q"]
    rows: list[tuple[str, list[float], int | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "one-zh.txt").write_text("非常抱歉,您的订单发错了颜色,我们今天下午重新发货。\n", encoding="utf-8")
        (work / "one-en.txt").write_text("Sorry, we have refunded the $5 shipping fee today.\n", encoding="utf-8")
        with (work / "library.jsonl").open("w", encoding="utf-8") as fh:
            for i, text in enumerate(texts):
                fh.write(json.dumps({"id": f"t{i}", "text": text}, ensure_ascii=False) + "\n")
        times, _ = timed([py, "-c", "import jieba, spacy"], work, args.repeat)
        rows.append(('python -c "import jieba, spacy"', times, None))
        for label, target in (("check, 1 template (zh)", "one-zh.txt"), ("check, 1 template (en)", "one-en.txt"),
                              (f"check, {len(texts):,} templates", "library.jsonl")):
            times, code = timed([*check, target], work, args.repeat)
            rows.append((label, times, code))

    print(f"apology-score check, cold start ({args.repeat} runs each; templates: {origin})")
    print(f"{'command':<36} {'median s':>9} {'min s':>7}  exit")
    results = []
    for label, times, code in rows:
        med, low = statistics.median(times), min(times)
        print(f"{label:<36} {med:9.2f} {low:7.2f}  {'' if code is None else code}")
        results.append({"command": label, "median_s": round(med, 3), "min_s": round(low, 3), "exit_code": code})
    if args.json:
        args.json.write_text(json.dumps({"origin": origin, "results": results}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
