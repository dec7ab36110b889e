"""Specificity (具体性): naming the concrete problem, its cause and its particulars (rubric levels 0-4).

- generic (不便, "any inconvenience") < problem named: one group, the most specific counts. Naming the thing
  the case is about (the boiler, 年费) names the matter in a reply that answers a failure (apology, empathy,
  owning it or evading); elsewhere it is only the reply's topic (generic).
- cause (由于…导致, "because our …") and particulars (order numbers, dates, amounts, items, template
  placeholders) add a level each.
- Quoted customer speech counts here: restating the complaint names the problem (pitfall 4), even when
  what is quoted is an evasion the customer complains about ("客服说“不归我管”").
- With ``context=`` (the customer's complaint), naming a problem or particular the customer raised counts
  as naming the problem ("echo").
"""

from __future__ import annotations

from dataclasses import replace

from apology_score import weights
from apology_score.detect.evasion import EVASION_CUES
from apology_score.pipeline.doc import Doc
from apology_score.pipeline.match import Match

#: Timeliness cues whose dates and times belong to the reply's own commitments, not to what happened.
TIMING_CUES = ("deadline", "done", "deferral")
#: Cues that show a reply answers a failure, so its particulars are particulars of a case.
ANSWERS_A_FAILURE = ("apology", "pseudo_apology", "empathy", "responsibility", *EVASION_CUES)


def detect(doc: Doc) -> None:
    particulars = doc.live("particular", quotes=True)
    identifiers = [p for p in particulars if not doc.rule(p).entities]
    failure = bool(doc.live(*ANSWERS_A_FAILURE))
    for m in doc.live("generic", "problem", "thing", quotes=True):
        if _asks_for_identifier(m, identifiers):
            doc.add(m, 0.0, note="part of an identifier the reply asks for (order number), not the matter named")
            continue
        if doc.rule(m).cue == "thing" and not failure:
            doc.add(m, weights.THING_AS_TOPIC_POINTS, group="specificity.naming",
                    note="the topic of a reply that answers no failure")
            continue
        doc.add(m, weights.points(doc.rule(m)), group="specificity.naming")
    for m in doc.cue(*EVASION_CUES):
        if doc.in_quotes(m):  # the customer's own words restated: they name the problem (pitfall 4)
            doc.add(m, weights.CUE_POINTS["problem"], dimension="specificity", cue="problem",
                    group="specificity.naming", note="restates the customer's complaint")
    for m in doc.live("cause", quotes=True):
        doc.add(m, weights.points(doc.rule(m)), group="specificity.cause")
    # a date or time inside a deadline ("by Friday", 今天18点前) is the reply's commitment, unless the clause
    # also says what happened ("left your parcel at the wrong address on Tuesday")
    timing = _covered(doc, doc.live(*TIMING_CUES))
    told = {doc.clause_of[m.start] for m in doc.live("problem", "cause", quotes=True)}
    for m in particulars:
        if timing[m.start] and timing[m.end - 1] and doc.clause_of[m.start] not in told:
            doc.add(m, 0.0, note="a deadline or the time of the remedy, not a detail of what happened")
            continue
        doc.add(m, weights.points(doc.rule(m)), group="specificity.particular")
    if doc.context is not None:
        _echo(doc, doc.context)
    _particulars_name_the_case(doc)


def _particulars_name_the_case(doc: Doc) -> None:
    """A particular of the case (两箱牛奶, "the 3:40 pm train") refers to what happened even when no word names
    the problem, so it is at least the generic reference of level 1; with the particular's own level that is
    level 2, as the label conventions of the gold set read the rubric ("particulars without the problem named").
    Only in a reply that answers a failure (apologises, owns it, empathises or evades)."""
    if doc.found("specificity", "generic", "problem", "echo"):
        return
    if not doc.live(*ANSWERS_A_FAILURE):  # an informational reply ("we open at 9am") names no case
        return
    counted = doc.found("specificity", "particular")
    if counted:
        first = min(counted, key=lambda c: c.start)
        doc.candidates.append(
            replace(first, cue="generic", points=weights.PARTICULAR_NAMES_CASE_POINTS, group="specificity.naming",
                    note="a particular of the case refers to what happened")
        )


def _echo(doc: Doc, context: Doc) -> None:
    """Reward naming what the customer complained about: a problem or particular cue of the complaint whose
    text reappears in the reply."""
    raised = {
        context.text[m.start : m.end]
        for m in context.cue("problem", "particular")
    }
    if not raised:
        return
    for m in doc.cue("problem", "particular", "generic"):
        phrase = doc.text[m.start : m.end]
        if phrase in raised:
            doc.add(
                m,
                weights.CUE_POINTS["echo"],
                cue="echo",
                group="specificity.naming",
                note="names what the customer complained about",
            )


def _covered(doc: Doc, matches: list[Match]) -> bytearray:
    """1 at every character inside one of ``matches`` (linear in the covered length)."""
    cover = bytearray(len(doc.text) + 1)
    for m in matches:
        cover[m.start : m.end] = b"\x01" * (m.end - m.start)
    return cover


def _asks_for_identifier(m: Match, identifiers: list[Match]) -> bool:
    """"your order" inside "your order number" / 您的订单号: an identifier phrase (not an actual id) that
    starts inside ``m`` and runs past its end."""
    return any(m.start < p.start < m.end < p.end for p in identifiers)
