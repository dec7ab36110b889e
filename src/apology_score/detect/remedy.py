"""Remedy (补救措施): a concrete, feasible fix or compensation, follow-up and prevention (levels 0-4).

- vague remedy < choice < concrete remedy: one group, the most concrete counts.
- follow-up and prevention: one group worth two levels (alone: level 2, "only follow-up/prevention
  promises"; with a concrete remedy: level 4); a concrete remedy made with a time commitment (a deadline,
  immediate action or already done) adds a level (rubric level 3: "or with a time commitment").
- A negated remedy ("we will not refund", 不会退款) is a refusal (pitfall 3), and an offer right after a
  refusal is what is refused (没办法帮您解决); a refusal costs a level
  unless something else is offered instead (an alternative remedy, a choice, a follow-up).
"""

from __future__ import annotations

from apology_score import weights
from apology_score.pipeline.doc import Doc

OFFER_CUES = ("vague_remedy", "choice", "remedy")
COMMITMENT_CUES = ("follow_up", "prevention")


def detect(doc: Doc) -> None:
    refusals = []
    for m in doc.live(*OFFER_CUES, *COMMITMENT_CUES):
        rule = doc.rule(m)
        neg = doc.negator_before(m) if rule.negatable else None
        refused = doc.negator_before(m, "refusal") if neg is None else None
        if refused is not None:
            doc.add(m, 0.0, note=f"refused by '{doc.text[refused.start:refused.end]}'")
            continue
        if neg is not None:
            if rule.cue in ("remedy", "choice"):
                refusals.append(
                    doc.add(
                        m,
                        weights.CUE_POINTS["refusal"],
                        cue="refusal",
                        start=neg.start,
                        note=f"negated by '{doc.text[neg.start:neg.end]}': a refusal",
                        group="remedy.refusal",
                    )
                )
            else:
                doc.add(m, 0.0, note=f"negated by '{doc.text[neg.start:neg.end]}'")
            continue
        group = "remedy.offer" if rule.cue in OFFER_CUES else "remedy.commitment"
        doc.add(m, weights.points(rule), group=group)
    for m in doc.live("refusal"):
        refusals.append(doc.add(m, weights.points(doc.rule(m)), group="remedy.refusal"))
    concrete = doc.found("remedy", "remedy")
    if refusals and doc.found("remedy", *OFFER_CUES, *COMMITMENT_CUES):
        for cand in refusals:
            cand.points = 0.0
            cand.note = "something else is offered instead"
    if concrete:
        timed = doc.found("timeliness", "done", "deadline", "immediate")
        if timed:
            t = timed[0]
            doc.candidates.append(
                type(t)(
                    rule=t.rule,
                    dimension="remedy",
                    cue="time_commitment",
                    start=t.start,
                    end=t.end,
                    points=weights.REMEDY_TIME_COMMITMENT_POINTS,
                    note="the remedy comes with a time commitment",
                    group="remedy.time_commitment",
                )
            )
