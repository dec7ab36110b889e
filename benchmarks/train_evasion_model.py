"""Train the statistical evasion model (rules ``EVA-ZH-MODEL`` and ``EVA-EN-MODEL``) and write its weights file.

Training data, all written for this project (never the corpora):

* ``benchmarks/gold/gold.jsonl``, the ``tune`` split only: the ``test`` split is never read here;
* ``benchmarks/gold/evasion_train.jsonl``: replies written in the register of real support logs (chat
  fragments, social-media replies, templates, Traditional Chinese and mixed replies, letters), most of them
  ordinary non-evasive turns, so the model learns what everyday replies look like and not only "no apology",
  and evasions that argue rather than use stock phrases.

The model is an L2-regularised logistic regression over the n-gram features of
:func:`apology_score.pipeline.model.features`, computed on what the scorer sees (the normalized text with quoted
customer speech blanked out). Fitting needs NumPy and SciPy (``pip install -e ".[train]"``); scoring does not.

Usage (from the repository root)::

    python benchmarks/train_evasion_model.py             # train on all the data, write the weights file
    python benchmarks/train_evasion_model.py --cv        # leave-one-writer-out figures per threshold, no file

``--cv`` holds out each writer (annotator, or batch of log-style replies) in turn and prints precision, recall and
the false-alarm rate on log-style non-evasive replies per threshold, and, when ``../shared/corpora`` exists, the
share of real replies the full model would flag (real replies are about 2 % evasive in the labelled sample, so
a threshold that flags far more than that is raising false alarms). Its last line is the threshold a rule fixed in
advance picks, and the one shipped (``THRESHOLD``) is that: the lowest threshold of the grid whose false alarms on
log-style non-evasive replies are at most 1% (``MAX_FALSE_ALARMS``) and which flags at most 1% of the corpus
replies (``MAX_CORPUS_FLAGGED``).
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
GOLD = REPO_ROOT / "benchmarks" / "gold" / "gold.jsonl"
EXTRA = REPO_ROOT / "benchmarks" / "gold" / "evasion_train.jsonl"
OUT = REPO_ROOT / "lexicons" / "models" / "evasion.json"
CORPORA = REPO_ROOT.parent / "shared" / "corpora"

#: Inverse L2 strength. 1.0 and 0.3 were compared by ``--cv``: 0.3 flags fewer real replies at the same
#: threshold but misses more evasions; 1.0 with the threshold below gives the better trade.
C = 1.0
#: A feature must occur in at least this many training replies (rarer ones are single-writer phrasing).
MIN_COUNT = 2
#: Weights smaller than this (absolute) are dropped from the file: they move no verdict (see ``--cv``).
PRUNE_BELOW = 0.02
#: Probability at or above which a reply reads as evasive (see the module docstring: the lowest threshold with at
#: most 1% false alarms on log-style replies and at most 1% of corpus replies flagged).
THRESHOLD = 0.88
#: The grid ``--cv`` reports. Steps of 0.01 from 0.80: with steps of 0.05 the rule below jumped from 1.27% of the
#: corpus flagged (0.85) to 0.71% (0.90) once the training data grew, so the grid, not the rule, set the threshold.
CV_THRESHOLDS = (0.5, 0.7, *(round(0.8 + k / 100, 2) for k in range(16)))
#: The rule that picks the threshold from the ``--cv`` output: the lowest threshold of the grid whose false alarms
#: on log-style non-evasive replies (held-out writers) are at most this share ...
MAX_FALSE_ALARMS = 0.01
#: ... and which flags at most this share of the corpus replies (about 2 in 100 are evasive in the labelled sample).
MAX_CORPUS_FLAGGED = 0.01


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_rows() -> list[dict[str, Any]]:
    """Training rows: text, label, and the writer (for leave-one-writer-out)."""
    rows: list[dict[str, Any]] = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["split"] != "tune":
            continue
        writer = rec["id"].split("-")[0] if rec["id"].startswith("ann") else "ann1"
        rows.append({"text": rec["text"], "y": bool(rec["labels"]["evasive"]), "writer": writer})
    for line in EXTRA.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        rows.append({"text": rec["text"], "y": bool(rec["evasive"]), "writer": "log-" + rec["id"].split("-")[0]})
    return rows


def featurize(texts: list[str]) -> list[set[str]]:
    """The features the scorer computes for each text (normalized, quoted speech blanked)."""
    from apology_score import Config
    from apology_score.pipeline.core import get_pipeline
    from apology_score.pipeline.model import features

    pipeline = get_pipeline(Config(ignore=("EVA-ZH-MODEL", "EVA-EN-MODEL")))
    out = []
    for text in texts:
        doc = pipeline.analyze(text)
        masked = "".join(" " if doc.quoted[i] else c for i, c in enumerate(doc.text))
        out.append(features(masked))
    return out


def fit(feats: list[set[str]], y: list[bool]) -> tuple[dict[str, float], float]:
    import numpy as np
    import scipy.sparse as sp
    from scipy.optimize import minimize

    counts = Counter(f for fs in feats for f in fs)
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= MIN_COUNT))}
    rows, cols = [], []
    for i, fs in enumerate(feats):
        for f in sorted(fs):
            j = vocab.get(f)
            if j is not None:
                rows.append(i)
                cols.append(j)
    x = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(feats), len(vocab)))
    target = np.array(y, dtype=float)

    def objective(w: Any) -> tuple[float, Any]:
        z = x @ w[:-1] + w[-1]
        p = 1.0 / (1.0 + np.exp(-z))
        loss = -np.sum(target * np.log(p + 1e-12) + (1 - target) * np.log(1 - p + 1e-12))
        loss += 0.5 / C * float(np.sum(w[:-1] ** 2))
        g = p - target
        return loss, np.concatenate([x.T @ g + w[:-1] / C, [g.sum()]])

    res = minimize(objective, np.zeros(len(vocab) + 1), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    w = res.x
    weights = {f: round(float(w[j]), 4) for f, j in vocab.items() if abs(w[j]) >= PRUNE_BELOW}
    return dict(sorted(weights.items())), round(float(w[-1]), 4)


def probability(weights: dict[str, float], bias: float, fs: set[str]) -> float:
    z = bias + math.fsum(weights[f] for f in sorted(fs) if f in weights)
    return 1.0 / (1.0 + math.exp(-z)) if z >= -700 else 0.0


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted(glob.glob(str(CORPORA / "*.jsonl"))):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text")
            if text:
                texts.append(text)
    return texts


def cross_validate(rows: list[dict[str, Any]], feats: list[set[str]]) -> None:
    probs: list[float] = [0.0] * len(rows)
    for writer in sorted({r["writer"] for r in rows}):
        train = [i for i, r in enumerate(rows) if r["writer"] != writer]
        weights, bias = fit([feats[i] for i in train], [rows[i]["y"] for i in train])
        for i, r in enumerate(rows):
            if r["writer"] == writer:
                probs[i] = probability(weights, bias, feats[i])
        print(f"  held out {writer}", file=sys.stderr, flush=True)
    corpus: list[float] = []
    if CORPORA.is_dir():
        weights, bias = fit(feats, [r["y"] for r in rows])
        corpus = [probability(weights, bias, fs) for fs in featurize(corpus_texts())]
    print("threshold | gold tune P / R | log-style P / R, false alarms on non-evasive | real replies flagged")
    picked = None
    for th in CV_THRESHOLDS:
        line = [f"{th:.2f}"]
        false_alarms = 0.0
        for part in (False, True):
            idx = [i for i, r in enumerate(rows) if r["writer"].startswith("log-") == part]
            tp = sum(1 for i in idx if probs[i] >= th and rows[i]["y"])
            fp = sum(1 for i in idx if probs[i] >= th and not rows[i]["y"])
            pos = sum(1 for i in idx if rows[i]["y"])
            neg = len(idx) - pos
            text = f"{tp / max(1, tp + fp):.3f} / {tp / max(1, pos):.3f}"
            if part:
                false_alarms = fp / max(1, neg)
                text += f", {false_alarms:.3f}"
            line.append(text)
        flagged_share = 0.0
        if corpus:
            flagged = sum(1 for p in corpus if p >= th)
            flagged_share = flagged / len(corpus)
            line.append(f"{flagged} of {len(corpus)} ({flagged_share:.2%})")
        if picked is None and false_alarms <= MAX_FALSE_ALARMS and flagged_share <= MAX_CORPUS_FLAGGED:
            picked = th
        print(" | ".join(line))
    print(f"threshold by the rule (false alarms <= {MAX_FALSE_ALARMS:.0%}, corpus flagged <= {MAX_CORPUS_FLAGGED:.0%}"
          f"{'' if corpus else ', corpus not found'}): {picked}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv", action="store_true", help="leave-one-writer-out figures; writes nothing")
    parser.add_argument("--out", type=Path, default=OUT, help=f"weights file to write (default {OUT})")
    args = parser.parse_args(argv)
    rows = load_rows()
    feats = featurize([r["text"] for r in rows])
    if args.cv:
        cross_validate(rows, feats)
        return 0
    weights, bias = fit(feats, [r["y"] for r in rows])
    model = {
        "format": "apology-score/linear-ngram-1",
        "description": (
            "Logistic regression over character 1-3-grams (Chinese) and word uni/bigrams (English) of the whole "
            "reply; trained by benchmarks/train_evasion_model.py. Evasive when the probability reaches the threshold."
        ),
        "threshold": THRESHOLD,
        "bias": bias,
        "training": {
            "data": [
                {"file": "benchmarks/gold/gold.jsonl", "sha256": sha256(GOLD), "split": "tune"},
                {"file": "benchmarks/gold/evasion_train.jsonl", "sha256": sha256(EXTRA)},
            ],
            "rows": len(rows),
            "evasive": sum(1 for r in rows if r["y"]),
            "C": C,
            "min_count": MIN_COUNT,
            "prune_below": PRUNE_BELOW,
            "features_kept": len(weights),
        },
        "weights": weights,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(weights)} weights, bias {bias}, threshold {THRESHOLD}, {len(rows)} training rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
