"""A statistical reading of evasion: a logistic regression over character and word n-grams, shipped as data.

Phrase lists and sequences catch the evasions someone wrote down; arguing with a customer has a long tail of
wordings nobody anticipates ("反正我们这边都是按流程来的", "we're not seeing any problems here"). A rule with
``model:`` reads the whole reply the way a careful rater does, from many weak cues at once (``EVA-ZH-MODEL`` and
``EVA-EN-MODEL`` share one weights file, each reading replies in its language). The weights file
(``lexicons/models/*.json``) is trained by ``benchmarks/train_evasion_model.py`` on the ``tune`` split of the
gold set plus replies written in the register of real support logs, and is loaded, validated and hashed into
the ruleset like any lexicon file.

Features (the same function at training and at scoring time, on the normalized text with quoted customer
speech blanked out, rubric pitfall 4):

- ``h:`` Chinese character 1- to 3-grams within a run of Han characters, ``^``/``$`` marking the run's edges;
- ``w:`` English words (``[a-z0-9']+``, plus ``?`` and ``!``) and ``b:`` word bigrams, ``<s>``/``</s>`` at the
  edges of the text;
- ``q:?`` the reply asks something (``?`` or 吗).

The probability is ``1 / (1 + exp(-(bias + sum of the weights of the features present)))``, summed exactly
(``math.fsum``) so the same text gives the same number in every process. The finding points at the sentence whose
features weigh most towards evasion and names the strongest of them, so the verdict stays explainable.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from apology_score.errors import LexiconError

MODEL_FORMAT = "apology-score/linear-ngram-1"
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z0-9']+|[?!]")
#: Longest Chinese n-gram used as a feature (characters).
MAX_HAN_NGRAM = 3
#: How many of the strongest features a finding names.
EVIDENCE_FEATURES = 3
_EDGE = " \t\r\n,.;:!?~、,。;:!?…"


class LinearModel(BaseModel):
    """A weights file: what it is, where it came from, and the weights."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    format: Literal["apology-score/linear-ngram-1"]
    description: str = Field(min_length=1)
    #: Probability at or above which the reply reads as evasive.
    threshold: float = Field(gt=0, lt=1)
    bias: float
    weights: dict[str, float] = Field(min_length=1)
    #: Provenance: training files with their SHA-256, counts and hyper-parameters (see the training script).
    training: dict[str, Any] = Field(default_factory=dict)

    def logit(self, feats: set[str]) -> float:
        # fsum is exact (correctly rounded), so the set's iteration order, which changes between processes
        # (string hashing), cannot change the number
        w = self.weights
        return math.fsum([self.bias, *(w[f] for f in feats if f in w)])

    def probability(self, feats: set[str]) -> float:
        z = self.logit(feats)
        return 1.0 / (1.0 + math.exp(-z)) if z >= -700 else 0.0


def features(text: str) -> set[str]:
    """The n-gram features of normalized ``text`` (see the module docstring)."""
    out: set[str] = set()
    for run in _HAN_RUN.findall(text):
        edged = "h:^" + run + "$"  # grams are sliced with the "h:" prefix in front: one string each
        for n in range(1, MAX_HAN_NGRAM + 1):
            out.update(["h:" + edged[i : i + n] for i in range(2, len(edged) - n + 1)])
    out.discard("h:^")
    out.discard("h:$")
    words = _WORD.findall(text)
    out.update("w:" + w for w in words)
    edged_words = ["<s>", *words, "</s>"]
    out.update("b:" + a + "_" + b for a, b in pairwise(edged_words))
    if "?" in text or "吗" in text:
        out.add("q:?")
    return out


def readable(feature: str) -> str:
    """A feature as a reader would write it: ``h:^但`` -> ``但``, ``b:sorry_you`` -> ``sorry you``."""
    kind, _, body = feature.partition(":")
    if kind == "h":
        return body.strip("^$")
    if kind == "b":
        return " ".join(p for p in body.split("_") if p not in ("<s>", "</s>"))
    if kind == "q":
        return "a question"
    return body


@dataclass(frozen=True, slots=True)
class Verdict:
    """The model's reading of one reply: probability, the sentence that weighs most, and its strongest cues."""

    probability: float
    start: int
    end: int
    evidence: tuple[tuple[str, float], ...]


def judge(model: LinearModel, text: str, sentences: list[tuple[int, int]], quoted: bytes | bytearray) -> Verdict:
    """Read normalized ``text`` (``quoted`` marks customer speech, left out) with ``model``. Below the model's
    threshold only the probability is filled in."""
    masked = "".join(" " if quoted[i] else c for i, c in enumerate(text)) if any(quoted) else text
    p = model.probability(features(masked))
    if p < model.threshold:  # where it points matters only when it counts
        return Verdict(p, 0, 0, ())
    best: tuple[float, int, int, tuple[tuple[str, float], ...]] | None = None
    for start, end in sentences:
        positive = sorted(
            ((f, model.weights[f]) for f in features(masked[start:end]) if model.weights.get(f, 0.0) > 0),
            key=lambda fw: (-fw[1], fw[0]),
        )
        weight = math.fsum(w for _, w in positive)
        if best is None or weight > best[0]:
            named: dict[str, float] = {}
            for f, w in positive:  # "it's" is both a word and the bigram "<s> it's": name it once
                if len(named) < EVIDENCE_FEATURES:
                    named.setdefault(readable(f), w)
            best = (weight, start, end, tuple(named.items()))
    if best is None:
        return Verdict(p, 0, len(text), ())
    _, start, end, evidence = best
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    if start == end:
        start, end = best[1], best[2]
    return Verdict(p, start, end, evidence)


def load_model(path: Path, *, lexicon: str, rule_id: str) -> tuple[LinearModel, bytes]:
    """Load and validate a weights file named by rule ``rule_id`` of lexicon file ``lexicon``.

    Errors name the lexicon file, the rule, and the weights file with the field that is wrong."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LexiconError(
            f"cannot read the model file {str(path)!r}: {exc.strerror or exc}", file=lexicon, rule_id=rule_id,
            field="model",
        ) from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LexiconError(
            f"the model file {str(path)!r} is not valid UTF-8 JSON: {exc}", file=lexicon, rule_id=rule_id,
            field="model",
        ) from exc
    try:
        return LinearModel.model_validate(data), raw
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise LexiconError(
            f"the model file {str(path)!r}, field {where!r}: {err['msg']}", file=lexicon, rule_id=rule_id,
            field="model",
        ) from exc
