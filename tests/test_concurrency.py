"""Thread safety and determinism: ``score()`` called from many threads at once gives exactly the sequential
results, the lazy first-use loading is done once even when raced, and the same input gives byte-identical
report JSON in every process, whatever ``PYTHONHASHSEED`` and the number of worker processes."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from apology_score import Config, DimensionWeights, score
from apology_score.lexicon import load_ruleset

ROOT = Path(__file__).resolve().parents[1]

def fixed_texts() -> list[str]:
    """A fixed, mixed set of texts: every lexicon example plus odd inputs (subprocesses import this)."""
    ruleset = load_ruleset()
    texts = sorted({t for r in ruleset.rules for t in (*r.examples.fires, *r.examples.silent)})
    texts += [
        "", " ", "😀", "sorry\x00抱歉", "抱\u200b歉 so\u200brry", "<b>sorry</b> we will refund you",
        "非常抱歉,您的订单发错了颜色,我们今天下午重新发货。", "We are so sorry. Your refund of $20 was sent today.",
        "这不是我们的问题,请您自己联系快递。", "Sorry you feel that way, but it's our policy.",
        "抱歉 sorry " * 50, "訂單已經為您退款,非常抱歉。", "ＳＯＲＲＹ ｗｅ ｗｉｌｌ ｒｅｆｕｎｄ",
        "sorry \ud800 抱\udfff歉",
    ]
    return texts


#: Subprocesses start with this: the same texts, imported from this file.
PRELUDE = "import sys\nsys.path.insert(0, 'tests')\nfrom test_concurrency import fixed_texts\n"

CONTEXTS = [None, "我的订单发错了颜色", "my refund never arrived"]


def _reports(texts: list[str], config: Config | None = None) -> list[str]:
    return [score(t, context=CONTEXTS[i % 3], config=config).model_dump_json() for i, t in enumerate(texts)]


def test_eight_threads_give_the_sequential_results() -> None:
    texts = fixed_texts()
    sequential = _reports(texts)
    jobs = list(enumerate(texts)) * 3
    random.Random(7).shuffle(jobs)
    n_threads = 8
    barrier = threading.Barrier(n_threads)
    results: list[list[tuple[int, str]]] = [[] for _ in range(n_threads)]
    errors: list[BaseException] = []

    def work(k: int) -> None:
        barrier.wait()  # all threads start scoring at the same moment
        try:
            for i, text in jobs[k::n_threads]:
                results[k].append((i, score(text, context=CONTEXTS[i % 3]).model_dump_json()))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(len(r) for r in results) == len(jobs)
    for part in results:
        for i, dumped in part:
            assert dumped == sequential[i], texts[i]


def test_threads_with_several_configs_at_once() -> None:
    texts = fixed_texts()[:60]
    configs = [None, Config(weights=DimensionWeights(remedy=1)), Config(ignore=("EVA-",), segmenter="jieba")]
    expected = {i: _reports(texts, c) for i, c in enumerate(configs)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [(i, pool.submit(_reports, texts, configs[i])) for i in (0, 1, 2) * 4]
        for i, future in futures:
            assert future.result() == expected[i]


def _python(code: str, *, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _finish(proc: subprocess.Popen[bytes]) -> bytes:
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err.decode("utf-8", "replace")[-4000:]
    return out


RACE = PRELUDE + r'''
import json, threading
import apology_score.pipeline.core as core

lock = threading.Lock()
calls = {"load_ruleset": 0, "Pipeline": 0}
real_load, real_init = core.load_ruleset, core.Pipeline.__init__

def counting_load(*args, **kwargs):
    with lock:
        calls["load_ruleset"] += 1
    return real_load(*args, **kwargs)

def counting_init(self, *args, **kwargs):
    with lock:
        calls["Pipeline"] += 1
    real_init(self, *args, **kwargs)

core.load_ruleset = counting_load
core.Pipeline.__init__ = counting_init

from apology_score import Config, score

texts = fixed_texts()[:40] + ["訂單已經為您退款,非常抱歉。", "sorry we will refund you", "抱歉"]
configs = [None, Config(segmenter="jieba")]
N = 16
barrier = threading.Barrier(N)
results = [None] * N
errors = []

def work(i):
    barrier.wait()  # every thread makes its first call at the same moment, before anything is loaded
    try:
        results[i] = [score(t, config=configs[i % 2]).model_dump_json() for t in texts]
    except BaseException as exc:
        errors.append(repr(exc))

threads = [threading.Thread(target=work, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
sequential = [[score(t, config=c).model_dump_json() for t in texts] for c in configs]
print(json.dumps({
    "calls": calls,
    "errors": errors,
    "identical": [results[i] == sequential[i % 2] for i in range(N)],
}))
'''


@pytest.mark.slow
def test_first_use_loading_raced_from_many_threads_in_a_fresh_process() -> None:
    out = json.loads(_finish(_python(RACE)))
    assert out["errors"] == []
    assert all(out["identical"]), out["identical"]
    # one pipeline (and one lexicon load) per distinct config, however many threads raced for it
    assert out["calls"] == {"load_ruleset": 2, "Pipeline": 2}


DUMP = PRELUDE + r'''
import sys
from apology_score import score
contexts = [None, "我的订单发错了颜色", "my refund never arrived"]
texts = fixed_texts()
if len(sys.argv) > 1 and sys.argv[1] == "batch":
    from apology_score.batch import score_many
    reports = score_many(texts, n_jobs=2, chunksize=7, contexts=[contexts[i % 3] for i in range(len(texts))])
else:
    reports = (score(t, context=contexts[i % 3]) for i, t in enumerate(texts))
sys.stdout.buffer.write(b"\n".join(r.model_dump_json().encode("utf-8") for r in reports))
'''


def _has_score_many() -> bool:
    try:
        from apology_score.batch import score_many  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.slow
def test_byte_identical_json_across_processes_hash_seeds_and_workers() -> None:
    procs = {
        f"PYTHONHASHSEED={seed}": _python(DUMP, env={"PYTHONHASHSEED": seed})
        for seed in ("0", "1", "4242", "random")
    }
    if _has_score_many():
        procs["score_many n_jobs=2"] = subprocess.Popen(
            [sys.executable, "-c", DUMP, "batch"], cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "99"},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
    outputs = {name: _finish(proc) for name, proc in procs.items()}
    here = "\n".join(
        score(t, context=[None, "我的订单发错了颜色", "my refund never arrived"][i % 3]).model_dump_json()
        for i, t in enumerate(fixed_texts())
    ).encode("utf-8")
    assert len(here.splitlines()) == len(fixed_texts())
    for name, out in outputs.items():
        assert out == here, name


def test_lexicon_loading_is_deterministic() -> None:
    a, b = load_ruleset(), load_ruleset()
    assert a.content_hash == b.content_hash
    assert [r.id for r in a.rules] == [r.id for r in b.rules] == sorted(r.id for r in a.rules)
