"""Remedy (补救措施): a concrete, feasible fix or compensation, follow-up and prevention (levels 0-4).

- vague remedy < choice < concrete remedy: one group, the most concrete counts.
- follow-up and prevention: one group worth two levels (alone: level 2, "only follow-up/prevention
  promises"; with a concrete remedy: level 4); a concrete remedy made with a time commitment (a deadline,
  immediate action or already done) adds a level (rubric level 3: "or with a time commitment").
- Inside a sentence that evades, a remedy word is only the topic ("the repair was carried out to standard",
  付费维修) unless the agent offers something there ("but I can send a new one", 给您补发).
- A remedy that nobody commits to in its sentence (no offer marker, no timing, no "we"/"I" right before a
  past-tense remedy) is only mentioned when its rule says it needs an agent (English) or the sentence states a
  rule or condition ("退款会在审核通过后原路返回").
- A negated remedy ("we will not refund", 不会退款) or one refused right after it in its clause ("the discount
  cannot be applied") is a refusal (pitfall 3), and an offer right after a
  refusal is what is refused (没办法帮您解决); a refusal costs a level
  unless something else is offered instead (an alternative remedy, a choice, a follow-up).
"""

from __future__ import annotations

import re

from apology_score import weights
from apology_score.pipeline.doc import Doc
from apology_score.pipeline.match import Match

OFFER_CUES = ("vague_remedy", "choice", "remedy")
#: "we refunded", "I just rebooked": the agent is the subject right before a past-tense remedy, so it is done, not
#: only mentioned ("we refund orders within 30 days" is a policy).
_FIRST_PERSON_BEFORE = re.compile(r"(?:^|[^\w'])(?:i|we)(?:\s+(?:just|also|already|then|have|had))?\s+$")
#: What may precede a subjectless done-form in its clause ("Done - cancelled …", "ok, refunded …").
_OPENS_CLAUSE = re.compile(r"[\W_]*(?:(?:done|ok|okay|all set|sorted|good news|update)[\W_]*)?")
#: A clause this short with a past-tense remedy is a headline ("Account unbanned.", "Fee waived").
HEADLINE_MAX_WORDS = 3
#: The perfect with the agent as subject, earlier in the remedy's clause: the remedy is done.
_PERFECT_BEFORE = re.compile(r"\b(?:i've|we've|i have|we have)\b(?!\s+(?:to|not|never|no)\b)")
#: 已 / 已经 just before or at the start of a Chinese remedy: done (已帮您保留, 已经退到).
_CN_DONE_BEFORE = re.compile("已")
_PAST_TENSE = re.compile(r"[a-z]+ed\b|(?:sent|put|made|gave|paid|set|took)\b")
COMMITMENT_CUES = ("follow_up", "prevention")


def detect(doc: Doc) -> None:
    refusals = []
    evasive_sentences = {doc.sentence_of[c.start] for c in doc.candidates if c.dimension == "evasion"}
    offering_sentences = {doc.sentence_of[m.start] for m in doc.offers()}
    ruled = {doc.sentence_of[m.start] for m in doc.live("justification", "conditional")}
    committed = offering_sentences | {
        doc.sentence_of[c.start] for c in doc.found("timeliness", "done", "deadline", "immediate")
    }
    for m in doc.live(*OFFER_CUES, *COMMITMENT_CUES):
        rule = doc.rule(m)
        sentence = doc.sentence_of[m.start]
        if sentence in evasive_sentences and sentence not in offering_sentences:
            doc.add(m, 0.0, note="mentioned inside an evasion without being offered")
            continue
        neg = doc.negator_before(m) if rule.negatable else None
        refused = doc.negator_before(m, "refusal") if neg is None else None
        if refused is None and neg is None and rule.cue == "remedy":
            refused = _refused_after(doc, m)
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
        if (
            rule.cue == "remedy"
            and sentence not in committed
            and (rule.needs_agent or sentence in ruled)
            and not (sentence not in ruled and _done_by_us(doc, m))
        ):
            # the remedy is talked about, not offered ("a refund may be possible", "your repair's still in the
            # queue"): handling it in general terms, the vague remedy of level 1 (label conventions)
            doc.add(m, weights.REMEDY_MENTIONED_POINTS, cue="vague_remedy", group="remedy.offer",
                    note="mentioned, not offered: nobody commits to it in this sentence (a vague remedy)")
            continue
        group = "remedy.offer" if rule.cue in OFFER_CUES else "remedy.commitment"
        doc.add(m, weights.points(rule), group=group)
        if rule.cue == "remedy" and sentence not in ruled and _done_by_us(doc, m):
            # "restored the gems you lost", "we refunded the fee": the fix is already done (timeliness level 4)
            doc.add(m, weights.CUE_POINTS["done"], dimension="timeliness", cue="done", group="timeliness.speed",
                    note="a remedy already done by us")
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


def _refused_after(doc: Doc, m: Match) -> Match | None:
    """A refusal right after the remedy in the same clause refuses it ("the discount cannot be applied",
    维修需要付费)."""
    clause = doc.clause_of[m.start]
    for r in doc.live_between(("refusal",), m.end, doc.clauses[clause][1]):
        if doc.tokens_between(m.end, r.start) <= weights.NEGATION_WINDOW_TOKENS:
            return r
    return None


def _done_by_us(doc: Doc, m: Match) -> bool:
    """"we refunded", "I just rebooked you": a past-tense remedy with the agent as its subject, or, as agents
    write in chats and tweets, with the subject left out ("Done - cancelled your order", "Account unbanned.");
    a remedy in the perfect ("I've popped a voucher on your account") or, in Chinese, after 已/已经 (已帮您保留)."""
    start, _ = doc.clauses[doc.clause_of[m.start]]
    if _PERFECT_BEFORE.search(doc.text, start, m.start):
        return True
    if _CN_DONE_BEFORE.search(doc.text, max(start, m.start - weights.CN_DONE_WINDOW_CHARS), m.end):
        return True
    if not _PAST_TENSE.match(doc.text, m.start):
        return False
    window = max(0, m.start - 40)
    if _FIRST_PERSON_BEFORE.search(doc.text, window, m.start):
        return True
    start, end = doc.clauses[doc.clause_of[m.start]]
    before = doc.text[start : m.start]
    return bool(_OPENS_CLAUSE.fullmatch(before)) or len(doc.text[start:end].split()) <= HEADLINE_MAX_WORDS
