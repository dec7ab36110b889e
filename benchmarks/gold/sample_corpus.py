"""Reproduce the choice of the 100 corpus replies labelled in ``corpus_labels.jsonl``.

Prints ``file<TAB>id<TAB>text`` for a human labeller; nothing is written into the repository, because
the corpus texts carry no licence (see ``../shared/corpora/SOURCES.md``). Run from the repository root::

    python benchmarks/gold/sample_corpus.py [--corpora ../shared/corpora]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

SEED = 20240601
#: (file, apology-cue regex from SOURCES.md, lines with a cue, lines without)
PLAN: list[tuple[str, str, int, int]] = [
    ("zh_jddc.jsonl", r"抱歉|对不起|不好意思|歉意", 18, 17),
    ("zh_ecd_taobao.jsonl", r"抱歉|对不起|不好意思|歉意", 8, 7),
    ("en_twcs_amazonhelp_lowercased.jsonl", r"(?i)sorry|apologi", 9, 8),
    ("en_twitter_agent_only_delta_amazon.jsonl", r"(?i)sorry|apologi", 9, 8),
    ("en_twitter_ibm_cdp.jsonl", r"(?i)sorry|apologi", 8, 8),
]


def sample(corpora: Path) -> list[tuple[str, dict[str, object]]]:
    """Return ``(file name, record)`` pairs, deterministically, cue-bearing lines first within each file."""
    rng = random.Random(SEED)
    chosen: list[tuple[str, dict[str, object]]] = []
    for name, pattern, n_cue, n_plain in PLAN:
        cue_re = re.compile(pattern)
        with (corpora / name).open(encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh if line.strip()]
        # very short replies ("好的", "ok") carry nothing to rate; keep 6..400 characters
        records = [r for r in records if 6 <= len(str(r["text"])) <= 400]
        with_cue = [r for r in records if cue_re.search(str(r["text"]))]
        without = [r for r in records if not cue_re.search(str(r["text"]))]
        chosen += [(name, r) for r in rng.sample(with_cue, n_cue)]
        chosen += [(name, r) for r in rng.sample(without, n_plain)]
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpora", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "corpora"
    )
    args = parser.parse_args()
    for name, rec in sample(args.corpora):
        print(f"{name}\t{rec['id']}\t{rec.get('context')!s:.120}\t{rec['text']}")


if __name__ == "__main__":
    main()
