"""Specificity (具体性): naming the concrete problem, its cause and its particulars (rubric levels 0-4).

- generic (不便, "any inconvenience") < problem named: one group, the most specific counts.
- cause (由于…导致, "because our …") and particulars (order numbers, dates, amounts, items, template
  placeholders) add a level each.
- Quoted customer speech counts here: restating the complaint names the problem (pitfall 4), even when
  what is quoted is an evasion the customer complains about ("客服说“不归我管”").
- With ``context=`` (the customer's complaint), naming a problem or particular the customer raised counts
  as naming the problem ("echo").
"""

from __future__ import annotations

from apology_score import weights
from apology_score.detect.evasion import EVASION_CUES
from apology_score.pipeline.doc import Doc


def detect(doc: Doc) -> None:
    for m in doc.live("generic", "problem", quotes=True):
        doc.add(m, weights.points(doc.rule(m)), group="specificity.naming")
    for m in doc.cue(*EVASION_CUES):
        if doc.in_quotes(m):  # the customer's own words restated: they name the problem (pitfall 4)
            doc.add(m, weights.CUE_POINTS["problem"], dimension="specificity", cue="problem",
                    group="specificity.naming", note="restates the customer's complaint")
    for m in doc.live("cause", quotes=True):
        doc.add(m, weights.points(doc.rule(m)), group="specificity.cause")
    for m in doc.live("particular", quotes=True):
        doc.add(m, weights.points(doc.rule(m)), group="specificity.particular")
    if doc.context is not None:
        _echo(doc, doc.context)


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
