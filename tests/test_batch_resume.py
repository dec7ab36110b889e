"""`apology-score batch --resume` after the process was really killed (SIGKILL) in the middle of a run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

TEMPLATES = [
    "非常抱歉，您的订单{n}发错了颜色，我们今天下午重新发货。",
    "Sorry for any inconvenience caused (ticket {n}).",
    "这个不归我们管，您找厂家吧。编号{n}",
    "We're so sorry, parcel {n} went to the wrong address. A replacement ships today by express.",
]
N = 2000


def _write_input(path: Path) -> list[str]:
    ids = []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(N):
            rid = f"rec-{i}"
            ids.append(rid)
            if i % 97 == 13:
                fh.write(f'{{"id": "{rid}", "text": {i}}}\n')  # wrong type: goes to the errors file
            else:
                fh.write(json.dumps({"id": rid, "text": TEMPLATES[i % len(TEMPLATES)].format(n=i)}) + "\n")
    return ids


def _complete_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


@pytest.mark.slow
def test_resume_after_kill_9(tmp_path: Path) -> None:
    workers = "2"  # the parent is killed; its worker processes notice and exit
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    errors = Path(str(out) + ".errors.jsonl")
    ids = _write_input(src)
    cmd = [sys.executable, "-m", "apology_score", "batch", str(src), "-o", str(out), "--workers", workers]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _complete_lines(out) < 100 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed; raise N"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = _complete_lines(out) + _complete_lines(errors)
    assert 100 <= done_before < N  # killed mid-run

    rerun = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 1  # some records are malformed on purpose
    scored = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    failed = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    counts = Counter([r["id"] for r in scored] + [e["id"] for e in failed])
    assert set(counts) == set(ids)
    assert max(counts.values()) == 1  # every input record exactly once, none lost, none duplicated
    assert all(e["kind"] == "wrong_type" for e in failed)
    assert len(failed) == sum(1 for i in range(N) if i % 97 == 13)
    assert rerun.stderr.strip().splitlines()[-1] == f"{len(scored)} scored, {len(failed)} errors"
    assert len({r["line"] for r in scored}) == len(scored)
