"""Evasion: denial, contradiction and interruption, blame on the customer or a third party, hiding behind
rules with a dismissive marker, deflecting onto the customer's feelings, mockery (rubric "Evasive"; CUES.md
"Evasion"; Trosborg's opting-out strategies).

Quoted or reported customer speech never counts as the agent's evasion (pitfall 4). Negators are not
checked: the evasion phrases carry their own negation (不,我没有那个意思 / 这不是我们的责任).
"""

from __future__ import annotations

from apology_score.pipeline.doc import Doc

EVASION_CUES = (
    "denial",
    "interruption",
    "blame_customer",
    "blame_third_party",
    "rule_dismissive",
    "deflect_feelings",
    "mockery",
)


def detect(doc: Doc) -> None:
    for m in doc.live(*EVASION_CUES):
        doc.add(m, 0.0, dimension="evasion")  # points are set by the score stage (overall penalty)
