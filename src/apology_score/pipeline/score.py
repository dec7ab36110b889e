"""Stage 5: score. Candidate findings -> dimension scores, overall and grade, with the arithmetic visible.

For each dimension: ``score = clip(base + sum(contributions), 0, 100)`` and the report keeps the clipping,
so ``base + sum(f.contribution) + clipped == score`` always. Within a group (see the detectors) only the
strongest finding counts; the n-th repeat earns ``points * REPEAT_DECAY ** n`` (rubric pitfall 5).

Overall: the weighted mean of the four dimensions, minus the evasion penalty (first evasion
``Config.evasion_penalty`` points, each further one ``EVASION_OVERALL_DECAY`` times the previous), clipped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from apology_score import weights
from apology_score.config import Config
from apology_score.pipeline.doc import Candidate, Doc

BASES: dict[str, float] = {
    "timeliness": weights.BASE_TIMELINESS,
    "sincerity": weights.BASE_SINCERITY,
    "specificity": weights.BASE_SPECIFICITY,
    "remedy": weights.BASE_REMEDY,
}


@dataclass(slots=True)
class Scored:
    cand: Candidate
    contribution: float
    note: str | None


@dataclass(slots=True)
class DimensionResult:
    name: str
    base: float
    score: float
    clipped: float
    level: int
    findings: list[Scored]


@dataclass(slots=True)
class Scores:
    dimensions: dict[str, DimensionResult]
    evasions: list[Scored]
    overall: float
    grade: str
    weights: dict[str, float]
    weighted: dict[str, float]
    evasion_penalty: float
    overall_clipped: float
    truncated: dict[str, int]


def _round(x: float) -> float:
    return round(x + 0.0, 4)


def count_once(cands: list[Candidate]) -> tuple[list[Scored], dict[str, int]]:
    """Apply group and repetition rules; cap how many repeats of one rule are listed."""
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        groups[c.group or f"{c.dimension}.{c.cue}"].append(c)
    scored: list[Scored] = []
    for members in groups.values():
        ranked = sorted(members, key=lambda c: (-abs(c.points), c.start, c.end, c.rule.id))
        best = ranked[0] if ranked[0].points != 0 else None
        rank = 0
        for c in ranked:
            if c.points == 0:
                scored.append(Scored(c, 0.0, c.note))
                continue
            contribution = c.points * (weights.REPEAT_DECAY**rank) if rank else c.points
            note = c.note
            if rank and contribution == 0:
                assert best is not None
                once = f"counted once: {best.rule.id} already counts for this"
                note = f"{note}; {once}" if note else once
            scored.append(Scored(c, contribution, note))
            rank += 1
    scored.sort(key=lambda s: (s.cand.start, s.cand.end, s.cand.rule.id, s.cand.cue))
    listed: list[Scored] = []
    per_rule: dict[str, int] = defaultdict(int)
    truncated: dict[str, int] = defaultdict(int)
    for s in scored:
        per_rule[s.cand.rule.id] += 1
        if per_rule[s.cand.rule.id] > weights.MAX_FINDINGS_PER_RULE and s.contribution == 0:
            truncated[s.cand.rule.id] += 1
            continue
        listed.append(s)
    return listed, dict(truncated)


def score_doc(doc: Doc, config: Config) -> Scores:
    by_dim: dict[str, list[Candidate]] = defaultdict(list)
    for c in doc.candidates:
        by_dim[c.dimension].append(c)
    dims: dict[str, DimensionResult] = {}
    truncated: dict[str, int] = {}
    for name, base in BASES.items():
        listed, trunc = count_once(by_dim.get(name, []))
        truncated.update(trunc)
        raw = base + sum(s.contribution for s in listed)
        score = min(100.0, max(0.0, raw))
        dims[name] = DimensionResult(
            name=name,
            base=base,
            score=_round(score),
            clipped=_round(score - raw),
            level=min(4, max(0, int(score / weights.LEVEL + 0.5))),
            findings=listed,
        )
    # evasions: the overall penalty, diminishing
    evasions: list[Scored] = []
    penalty = 0.0
    step = config.evasion_penalty
    listed_ev, trunc = count_once_evasions(by_dim.get("evasion", []))
    truncated.update(trunc)
    for c in listed_ev:
        contribution = 0.0 if c.repeat else -step
        if not c.repeat:
            step *= weights.EVASION_OVERALL_DECAY
        penalty += contribution
        evasions.append(Scored(c, _round(contribution), c.note))
    w = config.weights.model_dump()
    total_w = sum(w.values())
    weighted = {name: _round(dims[name].score * w[name] / total_w) for name in BASES}
    raw_overall = sum(dims[name].score * w[name] / total_w for name in BASES) + penalty
    overall = min(100.0, max(0.0, raw_overall))
    overall = _round(overall)
    return Scores(
        dimensions=dims,
        evasions=evasions,
        overall=overall,
        grade=config.grades.grade(overall),
        weights={k: _round(v / total_w) for k, v in w.items()},
        weighted=weighted,
        evasion_penalty=_round(penalty),
        overall_clipped=_round(overall - raw_overall),
        truncated=truncated,
    )


def count_once_evasions(cands: list[Candidate]) -> tuple[list[Candidate], dict[str, int]]:
    """Evasions in text order; a repeat of the same rule is listed without a penalty (note set)."""
    out: list[Candidate] = []
    seen: dict[str, int] = defaultdict(int)
    truncated: dict[str, int] = defaultdict(int)
    for c in sorted(cands, key=lambda c: (c.start, c.end, c.rule.id)):
        seen[c.rule.id] += 1
        if seen[c.rule.id] > 1:
            if seen[c.rule.id] > weights.MAX_FINDINGS_PER_RULE:
                truncated[c.rule.id] += 1
                continue
            c.note = c.note or f"counted once: {c.rule.id} already counts"
            c.repeat = True
        out.append(c)
    return out, dict(truncated)
