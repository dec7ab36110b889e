"""Long fuzz run: hypothesis generates arbitrary and adversarial texts, contexts and configs, and every
report must satisfy the invariants of ``tests/test_properties.py::check_report`` (valid report, scores in
0..100, grade consistent with the thresholds, finding offsets valid for the original text, dimension
arithmetic adding up, JSON serializable).

The run is ``pytest -m fuzz tests/test_properties.py`` split over several processes, each with its own
hypothesis seed and a share of the examples. On a failure hypothesis prints the shrunk falsifying example.

Usage (from the repository root)::

    python benchmarks/fuzz.py                              # 100,000 examples over 2 processes
    python benchmarks/fuzz.py --examples 5000 --processes 1
    python benchmarks/fuzz.py --examples 100000 --processes 2 --seed 7 --json fuzz.json

Exit status 0 when every process passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/test_properties.py::test_fuzz_any_text"
RESULT_RE = re.compile(r"FUZZ-RESULT examples=(\d+) chars=(\d+) with_control_format_or_surrogate=(\d+)")


@dataclass
class Shard:
    index: int
    seed: int
    examples_requested: int
    examples_run: int = 0
    chars: int = 0
    odd_texts: int = 0
    seconds: float = 0.0
    returncode: int | None = None
    output: str = ""


def _command(seed: int) -> list[str]:
    return [
        sys.executable, "-m", "pytest", "-q", "-s", "-m", "fuzz", "-p", "no:cacheprovider",
        "-p", "no:xdist", f"--hypothesis-seed={seed}", TEST,
    ]


def run(examples: int, processes: int, seed: int) -> list[Shard]:
    per = math.ceil(examples / processes)
    shards = [Shard(index=i, seed=seed + i, examples_requested=per) for i in range(processes)]
    procs: list[tuple[Shard, subprocess.Popen[str], float]] = []
    for shard in shards:
        env = {**os.environ, "APOLOGY_FUZZ_EXAMPLES": str(shard.examples_requested)}
        proc = subprocess.Popen(
            _command(shard.seed), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        procs.append((shard, proc, time.perf_counter()))
    for shard, proc, started in procs:
        out, _ = proc.communicate()
        shard.seconds = round(time.perf_counter() - started, 1)
        shard.returncode = proc.returncode
        shard.output = out
        found = RESULT_RE.search(out)
        if found:
            shard.examples_run, shard.chars, shard.odd_texts = (int(g) for g in found.groups())
    return shards


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", "-n", type=int, default=100_000, help="total examples (default 100000)")
    parser.add_argument("--processes", "-p", type=int, default=2, help="parallel processes (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed of the first process")
    parser.add_argument("--json", type=Path, help="also write the summary as JSON to this file")
    args = parser.parse_args(argv)
    if args.examples < 1 or args.processes < 1:
        parser.error("--examples and --processes must be positive")
    started = time.perf_counter()
    shards = run(args.examples, args.processes, args.seed)
    wall = time.perf_counter() - started
    ok = all(s.returncode == 0 for s in shards)
    total = sum(s.examples_run for s in shards)
    for s in shards:
        status = "passed" if s.returncode == 0 else f"FAILED (exit {s.returncode})"
        print(
            f"process {s.index}: seed {s.seed}, {s.examples_run:,} examples, {s.chars:,} characters, "
            f"{s.odd_texts:,} with control/format/surrogate characters, {s.seconds:.0f} s: {status}"
        )
        if s.returncode != 0:
            print(s.output[-20_000:])
    print(f"fuzz: {total:,} examples in {wall:.0f} s over {len(shards)} processes: {'PASSED' if ok else 'FAILED'}")
    if args.json:
        summary = {
            "passed": ok,
            "examples": total,
            "seconds": round(wall, 1),
            "shards": [{k: v for k, v in asdict(s).items() if k != "output"} for s in shards],
        }
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
