"""Timeliness (及时性): acting fast and committing to a concrete, near deadline (rubric levels 0-4).

- done / deadline (level 4), immediate (3), vague speed (2): one group, the fastest counts.
- A negated speed cue (不会马上, "won't be immediate") does not count.
- A deadline inside a rule or an evasion, with nothing offered in that sentence, is the rule's time window
  ("价保只支持下单后7天内申请", "we can only refund renewals cancelled within 48 hours"), not a commitment.
- Deferral (请耐心等待, "please be patient") is level 0, unless the same sentence names a deadline.
"""

from __future__ import annotations

from apology_score import weights
from apology_score.pipeline.doc import Doc

SPEED_CUES = ("done", "deadline", "immediate", "vague_speed")


def detect(doc: Doc) -> None:
    dated: set[int] = set()
    offering = {doc.sentence_of[m.start] for m in doc.offers()}
    ruled = {doc.sentence_of[m.start] for m in doc.live("justification")} - offering
    ruled |= {doc.sentence_of[c.start] for c in doc.candidates if c.dimension == "evasion"} - offering
    for m in doc.live(*SPEED_CUES):
        rule = doc.rule(m)
        neg = doc.negator_before(m) if rule.negatable else None
        if neg is not None:
            doc.add(m, 0.0, note=f"negated by '{doc.text[neg.start:neg.end]}'")
            continue
        if rule.cue == "deadline" and doc.sentence_of[m.start] in ruled:
            doc.add(m, 0.0, note="a time window of a rule or an argument, not a commitment (no offer in the sentence)")
            continue
        doc.add(m, weights.points(rule), group="timeliness.speed")
        if rule.cue in ("done", "deadline"):
            dated.add(doc.sentence_of[m.start])
    for m in doc.live("deferral"):
        if doc.sentence_of[m.start] in dated:
            doc.add(m, 0.0, note="the same sentence names a deadline")
            continue
        doc.add(m, weights.points(doc.rule(m)), group="timeliness.deferral")
