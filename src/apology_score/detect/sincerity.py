"""Sincerity (诚恳性): saying sorry plainly, owning the fault, empathy; no hedge (rubric levels 0-4).

- apology (level 2) > pseudo-apology (level 1) > thanks: one group, the strongest counts; responsibility,
  empathy and an intensifier attached to an apology add to it (Lewicki et al. 2016: more components, more
  effective; responsibility most).
- A cause owned by us (因为我们的配送站漏派, "our courier left …") owns the fault too.
- Pitfalls: a negated apology does not count ("not sorry"); an apology in a conditional (如果/若/if, or the
  clause right after one) or next to a conditional/passive formula ("any inconvenience this may have caused")
  costs a level; "但是/but" followed by a justification or refusal (and no remedy)
  cancels a level, as does an apology whose sentence goes on to refuse by a rule with nothing offered;
  不好意思 opening a refusal is no apology; each evasion costs a level.
"""

from __future__ import annotations

import bisect

from apology_score import weights
from apology_score.pipeline.doc import Doc
from apology_score.pipeline.match import Match

APOLOGY_GROUP = "sincerity.apology"
REMEDY_OR_ACTION = ("remedy", "choice", "follow_up", "prevention", "done", "deadline", "immediate")


def detect(doc: Doc) -> None:
    apologies = _apologies(doc)
    for m in doc.live("pseudo_apology", "thanks"):
        doc.add(m, weights.points(doc.rule(m)), group=APOLOGY_GROUP)
    anchors: list[Match] = list(apologies)
    for m in doc.live("responsibility", "empathy"):
        rule = doc.rule(m)
        neg = doc.negator_before(m) if rule.negatable else None
        if neg is not None:
            doc.add(m, 0.0, note=f"negated by '{doc.text[neg.start:neg.end]}'")
            continue
        doc.add(m, weights.points(rule), group=f"sincerity.{rule.cue}")
        anchors.append(m)
    for m in doc.live("cause", quotes=False):
        if doc.rule(m).owns_fault:
            doc.add(m, weights.CUE_POINTS["responsibility"], cue="responsibility",
                    dimension="sincerity", group="sincerity.responsibility",
                    note="names our own failure as the cause: owns the fault")
    conditional = _conditional(doc, apologies)
    if anchors and not conditional:
        _intensifiers(
            doc,
            anchors,
            owned=bool(doc.found("sincerity", "responsibility", "empathy")),
            responsible=bool(doc.found("sincerity", "responsibility")),
        )
    for cand in doc.candidates:
        if cand.dimension == "evasion":
            doc.candidates.append(
                type(cand)(
                    rule=cand.rule, dimension="sincerity", cue=cand.cue, start=cand.start, end=cand.end,
                    points=weights.EVASION_SINCERITY_PENALTY, group="sincerity.evasion",
                    note="an evasion takes back the apology",
                )
            )
            break


def _apologies(doc: Doc) -> list[Match]:
    """Apologies that count: not negated, not an ambiguous opener of a refusal."""
    counted: list[Match] = []
    for m in doc.live("apology"):
        rule = doc.rule(m)
        neg = doc.negator_before(m) if rule.negatable else None
        if neg is not None:
            doc.add(m, 0.0, note=f"negated by '{doc.text[neg.start:neg.end]}'")
            continue
        if rule.opens_refusal and _opens_refusal(doc, m):
            doc.add(m, 0.0, note="opens a refusal, not an apology")
            continue
        doc.add(m, weights.points(rule), group=APOLOGY_GROUP)
        counted.append(m)
    if counted:
        _but_cancel(doc, counted)
        _opens_a_refusal(doc, counted[0])
    return counted


def _opens_a_refusal(doc: Doc, apology: Match) -> None:
    """Pitfall 7 beyond 不好意思: an apology whose own sentence goes on to refuse by a rule ("抱歉,按照规定…无法退款",
    "I'm sorry, our policy doesn't allow refunds") softens a refusal; with no fix offered in that sentence it is
    rubric level 1 like "sorry, but …". Counted once with a 'but' cancellation."""
    start, end = apology.end, doc.sentence_span(apology.start)[1]
    refusals = [c for c in doc.candidates if c.dimension == "remedy" and c.cue == "refusal" and start <= c.start < end]
    if not refusals or not _tail(doc, apology, ("justification",)):
        return
    if any(start <= c.start < end for c in doc.found("remedy", "remedy", "choice", "follow_up", "prevention")):
        return
    doc.add(apology, weights.BUT_CANCEL_PENALTY, dimension="sincerity", cue="contrast", group="sincerity.but",
            note="the apology opens a refusal explained by a rule: a softener (rubric level 1)")


def _tail(doc: Doc, m: Match, cues: tuple[str, ...]) -> list[Match]:
    """Matches of ``cues`` after ``m`` in the same sentence."""
    return doc.live_between(cues, m.end, doc.sentence_span(m.start)[1])


def _opens_refusal(doc: Doc, m: Match) -> bool:
    return bool(_tail(doc, m, ("refusal", "justification")))


def _conditional(doc: Doc, apologies: list[Match]) -> bool:
    """Pitfall 2: an apology inside a conditional clause, or right after one, is a pseudo-apology."""
    conditionals = doc.live("conditional", "pseudo_apology")
    if not apologies or not conditionals:
        return False
    by_clause = {doc.clause_of[c.start]: c for c in reversed(conditionals)}
    for a in apologies:
        clause = doc.clause_of[a.start]
        c = by_clause.get(clause)
        if c is None and clause - 1 in by_clause and doc.same_sentence(by_clause[clause - 1].start, a.start):
            c = by_clause[clause - 1]
        if c is not None:
            doc.add(
                c, weights.CONDITIONAL_APOLOGY_PENALTY, dimension="sincerity", cue="conditional",
                group="sincerity.conditional", note="a conditional apology ('if …') hedges it",
            )
            return True
    return False


def _but_cancel(doc: Doc, apologies: list[Match]) -> None:
    """Pitfall 1: 但是/but after an apology cancels it when a justification or refusal follows, not when a
    remedy follows. (An evasion after 'but' is scored as an evasion instead.)"""
    contrasts = doc.live("contrast")
    if not contrasts:
        return
    first = apologies[0]
    for c in contrasts:
        if c.start < first.end:
            continue
        sentence = doc.sentence_of[c.start]
        if sentence - doc.sentence_of[first.start] > 1:
            break
        if sentence != doc.sentence_of[first.start] and doc.clause_of[c.start] != doc.clause_of[
            doc.sentence_span(c.start)[0]
        ]:
            continue  # in the next sentence, only a contrast opening it counts
        tail = _tail(doc, c, ("justification", "refusal", *REMEDY_OR_ACTION))
        evasive = _tail(doc, c, ("denial", "blame_customer", "blame_third_party", "rule_dismissive",
                                 "mockery", "interruption", "deflect_feelings"))
        if evasive or not tail:
            continue
        if any(doc.rule(x).cue in REMEDY_OR_ACTION for x in tail):
            continue
        doc.add(c, weights.BUT_CANCEL_PENALTY, dimension="sincerity", cue="contrast",
                group="sincerity.but", note="'but' followed by a justification takes the apology back")
        return


def _intensifiers(doc: Doc, anchors: list[Match], *, owned: bool, responsible: bool) -> None:
    """Rubric level 4 is 'explicit apology, owns the fault, intensified or empathic': an intensifier completes
    level 4 for an apology that owns the fault, adds half a level to an empathic one, and leaves a bare apology
    formulaic (level 2)."""
    starts = sorted(a.start for a in anchors)
    for m in doc.live("intensifier"):
        i = bisect.bisect_left(starts, m.start)
        if (
            i < len(starts)
            and starts[i] - m.end <= weights.INTENSIFIER_MAX_GAP_CHARS
            and doc.same_sentence(m.start, starts[i])
        ):
            if responsible:
                doc.add(m, weights.INTENSIFIER_WITH_RESPONSIBILITY_POINTS, group="sincerity.intensifier",
                        note="with an apology that owns the fault: rubric level 4")
            elif owned:
                doc.add(m, weights.points(doc.rule(m)), group="sincerity.intensifier")
            else:
                doc.add(m, 0.0, note="intensifies a bare apology: without responsibility or empathy it stays formulaic")
