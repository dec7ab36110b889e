"""Evasion: denial, contradiction and interruption, blame on the customer or a third party, hiding behind
rules with a dismissive marker, deflecting onto the customer's feelings, mockery (rubric "Evasive"; CUES.md
"Evasion"; Trosborg's opting-out strategies).

Quoted or reported customer speech never counts as the agent's evasion (pitfall 4). Negators are not
checked for denial and the other cues: their phrases carry their own negation (不,我没有那个意思 / 这不是我们的责任).
Blame right after a negator is blame denied ("并不是您家线路单独出的问题", pitfall 3), not made.

Blame on the customer or a third party is read in its clause: under a conditional it is a hypothesis, not an
accusation ("如果您填错了地址,可以联系我们修改", pitfall 2) unless the conditional is the blame itself
(a counterfactual: "if you'd read the terms", 要是您早点说), and in a question it is a polite check
("是您自己操作的吗?", "是物流的问题吗?"). A rhetorical question argues rather than asks (``rhetorical`` markers:
难道, 这也要投诉?, "did you even…?", "…, don't you think?"), so its question form waives nothing, here or below;
rhetorical questions that mock ("自己没看吗?") are mockery cues as well. Sending the customer to a third party
shifts the blame ("please take it up with the courier"); taking the case up with them itself is the agent's
action ("we'll take it up with them": an offer marker right before the referral).

An explanation that takes the complaint away (本来就不含洗, 掉色是正常现象, "that's perfectly normal"; rules with
``waived_by_remedy``) evades only when the reply puts nothing right: "剪发本来就不含洗;今天洗头的部分我帮您免掉"
explains a rule, then offers a remedy (pitfall 6: a polite refusal that explains the rule is fine). Records turned
on the customer (our records show, 系统显示已签收; ``waived_by_question``) contradict only when the reply does not
ask the customer to check: a question ("could you check with a neighbour?"), a request to check (麻烦问下家人有没有
代收; ``check_request`` markers) or an offer to put things right if the records are wrong ("if that wasn't you,
let me know and I'll reinstate it").

A rule with a statistical model (``EVA-ZH-MODEL``, ``EVA-EN-MODEL``, :mod:`apology_score.pipeline.model`) reads
the whole reply, quoted customer speech left out, for the evasions no phrase anticipates. Its verdict is a
fallback: it counts only when no phrase rule names an evasion (a named rule explains better), and not when the
rules read the reply more precisely than n-grams can: its blame is conditional, a question or negated (pitfalls
2 and 3), the sentence the model rests on is a question ("您是自己下单的吗?" checks, as blame in a question does),
or the reply owns the fault ("不是您的错,是我们的失误").
"""

from __future__ import annotations

import re

from apology_score import weights
from apology_score.pipeline.doc import Doc
from apology_score.pipeline.match import Match
from apology_score.pipeline.model import Verdict, judge

EVASION_CUES = (
    "denial",
    "interruption",
    "blame_customer",
    "blame_third_party",
    "rule_dismissive",
    "deflect_feelings",
    "mockery",
)


#: Cues that offer to put things right or to follow the case up (they waive an explanation that would otherwise
#: evade).
REMEDY_OFFERS = ("remedy", "choice", "follow_up")

#: Blame is read in its clause (conditional or question: not an accusation).
BLAME_CUES = ("blame_customer", "blame_third_party")

_TRAILING = re.compile(r"[\s。.!~]+$")
#: Sentence endings that make a clause a question.
QUESTION_ENDINGS = ("?", "吗", "吗?", "呢?", "么?")


def detect(doc: Doc) -> None:
    conditionals: dict[int, list[Match]] = {}
    for c in doc.cue("conditional"):
        conditionals.setdefault(doc.clause_of[c.start], []).append(c)
    counted = 0
    waived_blame: list[Match] = []
    for m in doc.live(*EVASION_CUES):
        if doc.rule(m).cue in BLAME_CUES:
            neg = doc.negator_before(m, overlap=1) if doc.rule(m).negatable else None
            if neg is not None:  # "并不是您家线路的问题", "it isn't your fault": the blame is denied, not made
                doc.notes.append(f"'{doc.text[m.start:m.end]}' ({doc.rule(m).id}) not counted: negated by "
                                 f"'{doc.text[neg.start:neg.end]}'")
                waived_blame.append(m)
                continue
            reason = _not_an_accusation(doc, m, conditionals)
            if reason:
                doc.notes.append(f"'{doc.text[m.start:m.end]}' ({doc.rule(m).id}) not counted: {reason}")
                waived_blame.append(m)
                continue
        if doc.rule(m).waived_by_remedy:
            fix = _remedy_offered(doc)
            if fix is not None:
                doc.notes.append(f"'{doc.text[m.start:m.end]}' ({doc.rule(m).id}) not counted: the reply offers a "
                                 f"remedy ('{doc.text[fix.start:fix.end]}'), so it explains rather than evades")
                continue
        if doc.rule(m).waived_by_question:
            asked = _check_asked(doc)
            if asked is not None:
                question = doc.text[slice(*asked)].strip()
                doc.notes.append(f"'{doc.text[m.start:m.end]}' ({doc.rule(m).id}) not counted: the reply asks the "
                                 f"customer to check ('{question}'), a check rather than a contradiction")
                continue
        doc.add(m, 0.0, dimension="evasion")  # points are set by the score stage (overall penalty)
        counted += 1
    if doc.lex.models:
        _model_verdicts(doc, counted=counted > 0, waived_blame=waived_blame)


def _model_verdicts(doc: Doc, *, counted: bool, waived_blame: list[Match]) -> None:
    for index, model in doc.lex.models:
        if doc.lex.language[index] not in ("any", doc.primary):  # EVA-ZH-MODEL reads Chinese replies, EN English
            continue
        verdict = judge(model, doc.text, doc.sentences, doc.quoted)
        if verdict.probability < model.threshold:
            continue
        rule_id = doc.lex.rules[index].id
        if counted:  # a phrase rule already names the evasion (and explains it better); no second penalty
            continue
        why_not = _model_overruled(doc, waived_blame, verdict)
        if why_not:
            doc.notes.append(f"{rule_id} not counted (model probability {verdict.probability:.2f}): {why_not}")
            continue
        cues = ", ".join(f"'{name}' {w:+.2f}" for name, w in verdict.evidence)
        note = f"model probability {verdict.probability:.2f}" + (
            f"; strongest cues in this sentence: {cues}" if cues else "")
        doc.add(Match(verdict.start, verdict.end, index), 0.0, dimension="evasion", note=note)


def _model_overruled(doc: Doc, waived_blame: list[Match], verdict: Verdict) -> str | None:
    """Why the model's verdict does not count, when the rules read the reply more precisely than n-grams can."""
    here = doc.sentence_of[verdict.start]
    if any(doc.sentence_of[m.start] == here for m in waived_blame):  # pitfalls 2 and 3, in the sentence it rests on
        return "the rules read the blame in its sentence as conditional, a question or negated"
    if _asks(doc, *doc.sentence_span(verdict.start)):  # as for blame: "您是自己下单的吗?" checks, it does not accuse
        return "the sentence it rests on is a question (a check, not a claim)"
    for owned in doc.live("responsibility"):  # (evasion runs before sincerity: read the matches themselves)
        if doc.rule(owned).negatable and doc.negator_before(owned) is not None:
            continue
        if doc.negator_before(owned, "conditional") is not None:
            continue
        # "不是您的错,是我们的失误": owning the fault is the opposite of evading it
        return f"the reply owns the fault ('{doc.text[owned.start:owned.end]}')"
    return None


def _not_an_accusation(doc: Doc, m: Match, conditionals: dict[int, list[Match]]) -> str | None:
    if doc.rule(m).cue == "blame_third_party":
        offer = doc.negator_before(m, "offer")
        if offer is not None and doc.tokens_between(offer.end, m.start) <= weights.AGENT_ACTION_WINDOW_TOKENS:
            # "we'll take it up with them": the agent refers the case on itself; "take it up with them" sends the
            # customer away
            return f"the agent does it ('{doc.text[offer.start:m.end]}'), not the customer"
    # a conditional inside the blame phrase itself is a counterfactual accusation ("if you'd read the terms")
    if any(not m.start <= c.start < m.end for c in conditionals.get(doc.clause_of[m.start], ())):
        return "it is conditional (如果/if), not an accusation"
    if _asks(doc, *doc.sentence_span(m.start)):
        return "it is asked as a question, not stated as blame"
    return None


def _asks(doc: Doc, start: int, end: int) -> bool:
    """Is the sentence [start, end) a question that asks (a check), not a rhetorical one that argues (``rhetorical``
    markers: 难道, 这也要投诉?, "did you even…?", "…, don't you think?")?"""
    if not _TRAILING.sub("", doc.text[start:end]).endswith(QUESTION_ENDINGS):
        return False
    return not doc.live_between(("rhetorical",), start, end)


def _check_asked(doc: Doc) -> tuple[int, int] | None:
    """The first question the agent asks (not quoted customer speech), or else the first request to check
    (``check_request`` markers: 麻烦问下家人有没有代收, "please check with your neighbours"), or else the first
    sentence that offers to put things right if the records are wrong ("if that wasn't you, let me know and I'll
    reinstate the booking": a remedy or follow-up after a conditional in its sentence), if any."""
    for start, end in doc.sentences:
        if doc.quoted[start] and doc.quoted[end - 1]:
            continue
        if _asks(doc, start, end):
            return start, end
    requests = doc.live("check_request")
    if requests:
        return requests[0].start, requests[0].end
    for offer in doc.live(*REMEDY_OFFERS):
        if doc.rule(offer).negatable and doc.negator_before(offer) is not None:
            continue
        start, end = doc.sentence_span(offer.start)
        if doc.live_between(("conditional",), start, offer.start):
            return start, end
    return None


def _remedy_offered(doc: Doc) -> Match | None:
    """The first remedy or choice the reply offers (not negated, not under a conditional), if any."""
    for r in doc.live(*REMEDY_OFFERS):
        if doc.rule(r).negatable and doc.negator_before(r) is not None:
            continue
        if doc.negator_before(r, "conditional") is not None:
            continue
        return r
    return None
