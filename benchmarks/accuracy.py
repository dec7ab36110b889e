"""Accuracy benchmark: apology-score against human labels, next to three baselines.

Reads ``benchmarks/gold/gold.jsonl`` (hand-written replies with rubric labels),
``benchmarks/gold/metamorphic.jsonl`` (pairs whose scores must keep an order) and, when the
corpora are present, ``benchmarks/gold/corpus_labels.jsonl`` (labels of real replies; the texts
are read by id from ``../shared/corpora``).

For every dimension it reports Spearman's rank correlation between the 0..100 score and the 0..4
label. The "gold overall" of an item is the mean of its four labels minus one if it is evasive
(floored at 0): the rubric says evasions "pull the whole apology down", so an evasive reply must
rank below a non-evasive one with the same four levels. Evasion is scored as a binary detector
(precision / recall / F1, positive class = evasive).

Baselines, computed in the same run on the same items:
  * ``length``  -- ``len(text)`` for every dimension (what a long reply alone buys you);
  * ``keyword`` -- a hand-written regex scorer of the kind a QA engineer writes: per dimension a
    few patterns in both languages, one level per matching pattern, capped at 4; evasive when any
    evasion pattern matches;
  * ``vader``   -- VADER's compound sentiment, English items only (Spearman only; no evasion).

Usage (from the repository root)::

    python benchmarks/accuracy.py                     # test split, human-readable table
    python benchmarks/accuracy.py --split all --json out.json
    python benchmarks/accuracy.py --check             # exit 1 when a target is missed

Under the gold-set table it prints 95% bootstrap intervals for apology-score (1,000 resamples of the replies with a
fixed seed, so every run prints the same): each Spearman, its margin over the keyword baseline, and the evasion F1
(NumPy needed; without it the section is skipped with a note).

``--check`` targets (gold set, chosen split): overall Spearman >= 0.90; every dimension >= 0.80 and at least
0.10 above the keyword baseline; evasion F1 >= 0.90; every metamorphic pair holds. Corpus numbers are reported
but not checked (the corpus has few evasions and its labels are used to watch for drift on real text).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO_ROOT / "benchmarks" / "gold"
DEFAULT_CORPORA = REPO_ROOT.parent / "shared" / "corpora"
DIMENSIONS: tuple[str, ...] = ("timeliness", "sincerity", "specificity", "remedy")

TARGET_OVERALL = 0.90
TARGET_DIMENSION = 0.80
TARGET_MARGIN_OVER_KEYWORD = 0.10
TARGET_EVASION_F1 = 0.90


# ----------------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One labelled reply."""

    id: str
    text: str
    context: str | None
    lang: str
    labels: Mapping[str, Any]


@dataclass(frozen=True)
class Prediction:
    """What a scorer says about one reply: four dimension scores, an overall score, an evasion verdict."""

    dimensions: Mapping[str, float]
    overall: float
    evasive: bool | None  # None: the scorer has no evasion detector


Scorer = Callable[[str, str | None], Prediction]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_gold(split: str, path: Path = GOLD_DIR / "gold.jsonl") -> list[Item]:
    rows = read_jsonl(path)
    return [
        Item(r["id"], r["text"], r.get("context"), r["lang"], r["labels"])
        for r in rows
        if split == "all" or r["split"] == split
    ]


def load_corpus_items(corpora: Path) -> list[Item]:
    """Join ``corpus_labels.jsonl`` with the texts in ``corpora`` (ids are unique per file only)."""
    labels = read_jsonl(GOLD_DIR / "corpus_labels.jsonl")
    by_file: dict[str, dict[str, dict[str, Any]]] = {}
    for name in sorted({row["file"] for row in labels}):
        by_file[name] = {rec["id"]: rec for rec in read_jsonl(corpora / name)}
    items = []
    for row in labels:
        rec = by_file[row["file"]].get(row["id"])
        if rec is None:
            raise KeyError(f"{row['file']}: id {row['id']} not found; was the corpus file replaced?")
        items.append(
            Item(f"{row['file']}:{row['id']}", rec["text"], rec.get("context"), rec["lang"], row["labels"])
        )
    return items


def gold_overall(labels: Mapping[str, Any]) -> float:
    """Mean of the four 0..4 labels, minus one level if evasive, floored at 0."""
    mean = sum(float(labels[d]) for d in DIMENSIONS) / len(DIMENSIONS)
    return max(0.0, mean - (1.0 if labels["evasive"] else 0.0))


# ----------------------------------------------------------------------------------------------------
# Statistics
# ----------------------------------------------------------------------------------------------------


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks; tied values share the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = (start + end) / 2.0 + 1.0
        for k in range(start, end + 1):
            ranks[order[k]] = shared
        start = end + 1
    return ranks


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho as the Pearson correlation of average ranks (correct with ties); NaN if undefined."""
    if len(x) != len(y):
        raise ValueError("spearman: sequences differ in length")
    if len(x) < 2:
        return math.nan
    rx, ry = average_ranks(x), average_ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return math.nan
    return sxy / math.sqrt(sxx * syy)


def prf(gold: Sequence[bool], pred: Sequence[bool]) -> tuple[float, float, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum((not g) and p for g, p in zip(gold, pred, strict=True))
    fn = sum(g and (not p) for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# ----------------------------------------------------------------------------------------------------
# Scorers
# ----------------------------------------------------------------------------------------------------


def apology_score_scorer() -> Scorer:
    """The system under test. Fails loudly when the package cannot be imported."""
    try:
        from apology_score import score  # type: ignore[attr-defined,unused-ignore]
    except Exception as exc:  # ImportError, or an error raised while the package loads
        raise SystemExit(
            f"accuracy.py: cannot import apology_score.score ({type(exc).__name__}: {exc}).\n"
            "Install the package first, e.g. `pip install -e .` from the repository root."
        ) from exc

    def run(text: str, context: str | None) -> Prediction:
        report = score(text, context=context)
        dims = {name: float(report.dimensions[name].score) for name in DIMENSIONS}
        return Prediction(dims, float(report.overall), len(report.evasions) > 0)

    return run


def length_scorer(text: str, context: str | None) -> Prediction:
    n = float(len(text))
    return Prediction(dict.fromkeys(DIMENSIONS, n), n, None)


#: The naive keyword baseline. Each dimension earns one level per pattern that matches (at most 4 levels).
KEYWORD_PATTERNS: dict[str, list[str]] = {
    "timeliness": [
        r"马上|立即|立刻|尽快|right away|immediately|asap|as soon as",
        r"今天|今晚|明天|today|tonight|tomorrow",
        r"\d+\s*(?:分钟|小时|天|个?工作日)|within \d+|by \d|\d+\s*(?:hours?|days?)",
        r"已经|已为您|已经为您|already|has been|have been|was (?:refunded|shipped)",
    ],
    "sincerity": [
        r"抱歉|对不起|不好意思|歉意|道歉|sorry|apologi[sz]e|apolog(?:y|ies)",
        r"非常|十分|实在|真的|深表|深感|万分|truly|deeply|sincerely|so sorry|very sorry|really sorry",
        r"我们的(?:错|失误|责任|问题|疏忽)|our (?:fault|mistake|error)|on us|my bad",
        r"理解您|久等|understand|frustrat",
    ],
    "specificity": [
        r"\d",
        r"订单|单号|order|#",
        r"因为|由于|原因|导致|because|due to|caused",
        r"元|¥|\$|金额|amount",
    ],
    "remedy": [
        r"退款|退回|补发|换货|赔偿|补偿|优惠券|免单|refund|replace|credit|voucher|reship",
        r"回访|致电|跟进|联系您|follow up|check back|call you|email you",
        r"避免|整改|培训|不会再|prevent|happen again|retrain",
        r"免费|由我们承担|at our cost|free of charge|no charge|on us",
    ],
}
KEYWORD_EVASION = (
    r"不归|不是我们的|与我们无关|跟我们没关系|你自己|您自己|我也没办法|找厂家|找快递|"
    r"not our fault|not our responsibility|calm down|you should have|already (?:said|told)|"
    r"feel that way|rules are rules"
)
_KEYWORD_RE = {d: [re.compile(p, re.IGNORECASE) for p in ps] for d, ps in KEYWORD_PATTERNS.items()}
_KEYWORD_EVASION_RE = re.compile(KEYWORD_EVASION, re.IGNORECASE)


def keyword_scorer(text: str, context: str | None) -> Prediction:
    dims = {d: 25.0 * min(4, sum(1 for p in pats if p.search(text))) for d, pats in _KEYWORD_RE.items()}
    evasive = bool(_KEYWORD_EVASION_RE.search(text))
    overall = sum(dims.values()) / len(dims) - (25.0 if evasive else 0.0)
    return Prediction(dims, max(0.0, overall), evasive)


def vader_scorer() -> Scorer | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()

    def run(text: str, context: str | None) -> Prediction:
        compound = float(analyzer.polarity_scores(text)["compound"])
        return Prediction(dict.fromkeys(DIMENSIONS, compound), compound, None)

    return run


# ----------------------------------------------------------------------------------------------------
# Evaluation
# ----------------------------------------------------------------------------------------------------


@dataclass
class Result:
    """Correlations and evasion metrics of one scorer on one item set."""

    name: str
    n: int
    rho: dict[str, float] = field(default_factory=dict)
    evasion: tuple[float, float, float] | None = None
    #: per item, for the bootstrap intervals: the scores (four dimensions and overall) and the evasion verdicts
    scores: dict[str, list[float]] = field(default_factory=dict, repr=False)
    verdicts: list[bool] | None = field(default=None, repr=False)


def evaluate(name: str, scorer: Scorer, items: Sequence[Item]) -> Result:
    preds = [scorer(it.text, it.context) for it in items]
    result = Result(name, len(items))
    for d in DIMENSIONS:
        result.scores[d] = [p.dimensions[d] for p in preds]
        result.rho[d] = spearman(result.scores[d], [float(it.labels[d]) for it in items])
    result.scores["overall"] = [p.overall for p in preds]
    result.rho["overall"] = spearman(result.scores["overall"], [gold_overall(it.labels) for it in items])
    if preds and all(p.evasive is not None for p in preds):
        result.verdicts = [bool(p.evasive) for p in preds]
        result.evasion = prf([bool(it.labels["evasive"]) for it in items], result.verdicts)
    return result


# ----------------------------------------------------------------------------------------------------
# Bootstrap intervals
# ----------------------------------------------------------------------------------------------------

#: Resamples of the replies for the intervals, and the seed that makes them the same in every run.
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20261207


def _ranks(values: Any) -> Any:
    """Average ranks (ties share their mean rank) of each row of a 2-D array."""
    import numpy as np

    out = np.empty(values.shape)
    for i in range(values.shape[0]):
        _, inverse, counts = np.unique(values[i], return_inverse=True, return_counts=True)
        ends = np.cumsum(counts)  # 1-based rank of the last of each run of equal values
        out[i] = (ends - (counts - 1) / 2.0)[inverse]
    return out


def _spearman_rows(x: Any, y: Any) -> Any:
    """Spearman's rho of each row pair of two 2-D arrays (NaN where a row is constant)."""
    import numpy as np

    rx, ry = _ranks(x), _ranks(y)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    den = np.sqrt((rx**2).sum(axis=1) * (ry**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (rx * ry).sum(axis=1) / den, np.nan)


def bootstrap(system: Result, keyword: Result, items: Sequence[Item]) -> dict[str, tuple[float, ...]] | None:
    """95% percentile intervals over resampled replies: each Spearman, its margin over the keyword baseline and
    the evasion F1 (``None`` without NumPy). Same seed, same intervals: the table is reproducible."""
    try:
        import numpy as np
    except ImportError:
        return None
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    idx = rng.integers(0, len(items), size=(BOOTSTRAP_RESAMPLES, len(items)))
    out: dict[str, tuple[float, ...]] = {}
    gold_labels = {d: np.array([float(it.labels[d]) for it in items]) for d in DIMENSIONS}
    gold_labels["overall"] = np.array([gold_overall(it.labels) for it in items])
    for metric in (*DIMENSIONS, "overall"):
        labels = gold_labels[metric][idx]
        ours = _spearman_rows(np.array(system.scores[metric])[idx], labels)
        theirs = _spearman_rows(np.array(keyword.scores[metric])[idx], labels)
        margin = ours - theirs
        out[metric] = (*np.nanpercentile(ours, [2.5, 97.5]), *np.nanpercentile(margin, [2.5, 97.5]))
    if system.verdicts is not None:
        gold = np.array([bool(it.labels["evasive"]) for it in items])[idx]
        pred = np.array(system.verdicts)[idx]
        tp = (gold & pred).sum(axis=1)
        fp = (~gold & pred).sum(axis=1)
        fn = (gold & ~pred).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = np.where(tp > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
        out["evasion F1"] = tuple(np.percentile(f1, [2.5, 97.5]))
    return out


def print_bootstrap(system: Result, keyword: Result, items: Sequence[Item]) -> None:
    intervals = bootstrap(system, keyword, items)
    if intervals is None:
        print("\nnote: NumPy is not installed; the bootstrap intervals are skipped")
        return
    print(f"\n## 95% bootstrap intervals ({system.name}, {BOOTSTRAP_RESAMPLES} resamples of the {system.n} replies)")
    header = f"{'metric':<22}{'value':>8}{'interval':>18}{'minus keyword':>16}{'interval':>18}"
    print(header)
    print("-" * len(header))
    for metric in (*DIMENSIONS, "overall"):
        lo, hi, mlo, mhi = intervals[metric]
        margin = system.rho[metric] - keyword.rho[metric]
        print(f"{'spearman ' + metric:<22}{fmt(system.rho[metric]):>8}{f'[{lo:.3f}, {hi:.3f}]':>18}"
              f"{margin:>+16.3f}{f'[{mlo:+.3f}, {mhi:+.3f}]':>18}")
    if "evasion F1" in intervals and system.evasion is not None:
        lo, hi = intervals["evasion F1"]
        print(f"{'evasion F1':<22}{fmt(system.evasion[2]):>8}{f'[{lo:.3f}, {hi:.3f}]':>18}")


def pair_value(pred: Prediction, dimension: str) -> float:
    if dimension == "overall":
        return pred.overall
    if dimension == "evasive":
        return 1.0 if pred.evasive else 0.0
    return pred.dimensions[dimension]


def check_pairs(scorer: Scorer, pairs: Iterable[Mapping[str, str]]) -> tuple[int, list[str]]:
    """Return (number of pairs, ids of failing pairs). For ``evasive``, True counts as greater than False."""
    total, failing = 0, []
    for pair in pairs:
        total += 1
        a = pair_value(scorer(pair["a"], None), pair["dimension"])
        b = pair_value(scorer(pair["b"], None), pair["dimension"])
        relation = pair["relation"]
        holds = {"a>b": a > b, "a<b": a < b, "a=b": a == b}[relation]
        if not holds:
            failing.append(pair["id"])
    return total, failing


def fmt(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "   n/a"
    return f"{value:6.3f}"


def print_table(title: str, results: Sequence[Result]) -> None:
    print(f"\n## {title}")
    header = f"{'metric':<22}" + "".join(f"{r.name + f' (n={r.n})':>24}" for r in results)
    print(header)
    print("-" * len(header))
    for metric in (*DIMENSIONS, "overall"):
        label = f"spearman {metric}"
        print(f"{label:<22}" + "".join(f"{fmt(r.rho.get(metric)):>24}" for r in results))
    for k, label in enumerate(("evasion precision", "evasion recall", "evasion F1")):
        print(f"{label:<22}" + "".join(f"{fmt(r.evasion[k] if r.evasion else None):>24}" for r in results))


def run_suite(
    title: str, items: Sequence[Item], scorers: Mapping[str, Scorer], vader: Scorer | None
) -> list[Result]:
    results = [evaluate(name, sc, items) for name, sc in scorers.items()]
    english = [it for it in items if it.lang == "en"]
    if vader is not None and english:
        results.append(evaluate("vader (en only)", vader, english))
    print_table(title, results)
    return results


def annotator_of(item: Item) -> str:
    """Who wrote and labelled an item: ids ``annN-...`` come from annotator N, the rest from annotator 1."""
    prefix = item.id.split("-", 1)[0]
    return f"annotator {prefix[3:]}" if prefix.startswith("ann") and prefix[3:].isdigit() else "annotator 1"


def run_by_annotator(items: Sequence[Item], system: Scorer, keyword: Scorer) -> list[Result]:
    """apology-score and the keyword baseline on each annotator's items: a scorer tuned to one writer's
    phrasing shows it here."""
    groups: dict[str, list[Item]] = {}
    for it in items:
        groups.setdefault(annotator_of(it), []).append(it)
    results = []
    for group in sorted(groups, key=lambda g: int(g.rsplit(" ", 1)[1])):  # annotator 2 before annotator 10
        results.append(evaluate(f"{group}", system, groups[group]))
        results.append(evaluate(f"{group} keyword", keyword, groups[group]))
    if len(groups) > 1:
        print_pairs("by annotator: apology-score (keyword baseline)", results)
    return results


def print_pairs(title: str, results: Sequence[Result]) -> None:
    """One row per item group (annotator), one column per metric, each cell 'system (baseline)': the table
    stays narrow however many groups there are."""
    pairs = list(zip(results[::2], results[1::2], strict=True))
    print(f"\n## {title}")
    columns = [*DIMENSIONS, "overall", "evasion F1"]
    header = f"{'group':<22}" + "".join(f"{c:>16}" for c in columns)
    print(header)
    print("-" * len(header))

    def cell(a: float | None, b: float | None) -> str:
        return f"{fmt(a).strip()} ({fmt(b).strip()})"

    for a, b in pairs:
        cells = [cell(a.rho.get(m), b.rho.get(m)) for m in (*DIMENSIONS, "overall")]
        cells.append(cell(a.evasion[2] if a.evasion else None, b.evasion[2] if b.evasion else None))
        print(f"{f'{a.name} (n={a.n})':<22}" + "".join(f"{c:>16}" for c in cells))


def check_targets(results: Sequence[Result], failing_pairs: Sequence[str]) -> list[str]:
    by_name = {r.name: r for r in results}
    system, keyword = by_name["apology-score"], by_name["keyword"]
    misses = []

    def below(value: float, target: float) -> bool:
        return math.isnan(value) or value < target

    if below(system.rho["overall"], TARGET_OVERALL):
        misses.append(f"overall spearman {system.rho['overall']:.3f} < {TARGET_OVERALL}")
    for d in DIMENSIONS:
        need = max(TARGET_DIMENSION, keyword.rho[d] + TARGET_MARGIN_OVER_KEYWORD)
        if below(system.rho[d], need):
            misses.append(f"{d} spearman {system.rho[d]:.3f} < {need:.3f} (keyword {keyword.rho[d]:.3f})")
    f1 = system.evasion[2] if system.evasion else 0.0
    if f1 < TARGET_EVASION_F1:
        misses.append(f"evasion F1 {f1:.3f} < {TARGET_EVASION_F1}")
    if failing_pairs:
        misses.append(f"{len(failing_pairs)} metamorphic pair(s) fail: {', '.join(failing_pairs)}")
    return misses


def as_json(results: Sequence[Result]) -> list[dict[str, Any]]:
    def clean(v: float) -> float | None:
        return None if math.isnan(v) else round(v, 4)

    out = []
    for r in results:
        entry: dict[str, Any] = {
            "scorer": r.name,
            "n": r.n,
            "spearman": {k: clean(v) for k, v in r.rho.items()},
        }
        if r.evasion:
            entry["evasion"] = dict(
                zip(("precision", "recall", "f1"), (round(x, 4) for x in r.evasion), strict=True)
            )
        out.append(entry)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="apology-score accuracy against human labels and baselines")
    parser.add_argument(
        "--split", choices=("test", "tune", "all"), default="test", help="gold split (default: test)"
    )
    parser.add_argument(
        "--corpora", type=Path, default=DEFAULT_CORPORA, help="directory of the corpus .jsonl files"
    )
    parser.add_argument(
        "--gold", type=Path, default=GOLD_DIR / "gold.jsonl", help="labelled replies (default: gold/gold.jsonl)"
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the numbers to this JSON file")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    system = apology_score_scorer()
    scorers: dict[str, Scorer] = {"apology-score": system, "keyword": keyword_scorer, "length": length_scorer}
    vader = vader_scorer()
    if vader is None:
        print("note: vaderSentiment is not installed; the VADER baseline is skipped", file=sys.stderr)

    gold = load_gold(args.split, args.gold)
    gold_results = run_suite(f"gold set, split={args.split}", gold, scorers, vader)
    print_bootstrap(gold_results[0], gold_results[1], gold)
    by_annotator = run_by_annotator(gold, system, keyword_scorer)

    pairs = read_jsonl(GOLD_DIR / "metamorphic.jsonl")
    n_pairs, failing = check_pairs(system, pairs)
    _, keyword_failing = check_pairs(keyword_scorer, pairs)
    print(f"\n## metamorphic pairs (n={n_pairs})")
    print(
        f"apology-score: {n_pairs - len(failing)}/{n_pairs} hold"
        + (f"; failing: {', '.join(failing)}" if failing else "")
    )
    print(f"keyword:       {n_pairs - len(keyword_failing)}/{n_pairs} hold")

    corpus_results: list[Result] = []
    if args.corpora.is_dir():
        corpus_items = load_corpus_items(args.corpora)
        corpus_results = run_suite(f"real corpus replies ({args.corpora})", corpus_items, scorers, vader)
    else:
        print(
            f"\nnote: corpora not found at {args.corpora}; "
            "the corpus-label table is skipped (pass --corpora PATH)"
        )

    misses = check_targets(gold_results, failing)
    print("\n## targets (gold set, this split)")
    print("all met" if not misses else "\n".join(f"MISSED: {m}" for m in misses))

    if args.json:
        payload = {
            "split": args.split,
            "gold": as_json(gold_results),
            "by_annotator": as_json(by_annotator),
            "metamorphic": {"total": n_pairs, "failing": failing, "keyword_failing": keyword_failing},
            "corpus": as_json(corpus_results) if corpus_results else None,
            "targets_missed": misses,
        }
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 1 if args.check and misses else 0


if __name__ == "__main__":
    sys.exit(main())
