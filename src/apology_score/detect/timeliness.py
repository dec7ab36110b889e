"""Timeliness (及时性): acting fast and committing to a concrete, near deadline (rubric levels 0-4).

- done / deadline (level 4), immediate (3), vague speed (2): one group, the fastest counts.
- A negated speed cue (不会马上, "won't be immediate") does not count, nor a done-form under a conditional
  ("if we refunded everyone", pitfall 2).
- A deadline more than a week away ("within 15 working days") is no near deadline: it makes the customer wait.
- A deadline inside a rule or an evasion, with nothing offered in that sentence, is the rule's time window
  ("价保只支持下单后7天内申请", "we can only refund renewals cancelled within 48 hours"), not a commitment.
- Deferral (请耐心等待, "please be patient") is level 0, unless the same sentence names a deadline; vague or
  immediate words in that sentence ("请耐心等待,我们正在处理") do not lift it.
"""

from __future__ import annotations

import re

from apology_score import weights
from apology_score.pipeline.doc import Doc
from apology_score.pipeline.match import Match

SPEED_CUES = ("done", "deadline", "immediate", "vague_speed")
#: Cues that show someone acts in a sentence, so a time there is when it will be done ("明天送到", "ships by
#: Friday"), not when the failure happened ("the 7:15 service this morning").
ACTION_CUES = ("remedy", "vague_remedy", "follow_up", "prevention", "choice", "done", "immediate", "vague_speed")


def detect(doc: Doc) -> None:
    dated: set[int] = set()
    offering = {doc.sentence_of[m.start] for m in doc.offers()}
    ruled = {doc.sentence_of[m.start] for m in doc.live("justification")} - offering
    ruled |= {doc.sentence_of[c.start] for c in doc.candidates if c.dimension == "evasion"} - offering
    hypothetical = {doc.clause_of[c.start] for c in doc.live("conditional")}
    waiting = {doc.sentence_of[m.start] for m in doc.live("deferral")}
    acting = offering | {doc.sentence_of[m.start] for m in doc.live(*ACTION_CUES)}
    for m in doc.live(*SPEED_CUES):
        rule = doc.rule(m)
        if rule.cue == "done" and doc.clause_of[m.start] in hypothetical:
            doc.add(m, 0.0, note="under a conditional (如果/if): a hypothesis, not something done")
            continue
        if rule.cue == "deadline" and doc.clause_of[m.start] in hypothetical:
            doc.add(m, 0.0, note="counted from a condition ('within 5 days of approval', 审核通过后): no date")
            continue
        neg = doc.negator_before(m) if rule.negatable else None
        if neg is not None:
            doc.add(m, 0.0, note=f"negated by '{doc.text[neg.start:neg.end]}'")
            continue
        if rule.cue in ("immediate", "vague_speed") and doc.sentence_of[m.start] in waiting:
            doc.add(m, 0.0, note="the same sentence tells the customer to wait (请耐心等待, 'please be patient')")
            continue
        if rule.cue == "deadline" and doc.sentence_of[m.start] in ruled:
            doc.add(m, 0.0, note="a time window of a rule or an argument, not a commitment (no offer in the sentence)")
            continue
        if rule.cue == "deadline" and (days := _days(doc.text[m.start : m.end])) > weights.NEAR_DEADLINE_MAX_DAYS:
            doc.add(m, weights.CUE_POINTS["deferral"], cue="deferral", group="timeliness.deferral",
                    note=f"about {days:g} days away: not a near deadline, the customer is made to wait")
            continue
        if rule.cue == "deadline" and not _committed(doc, m, acting):
            doc.add(m, 0.0, note="a time in a sentence where nobody commits to anything: when it happened")
            continue
        doc.add(m, weights.points(rule), group="timeliness.speed")
        if rule.cue in ("done", "deadline"):
            dated.add(doc.sentence_of[m.start])
    for m in doc.live("deferral"):
        if doc.sentence_of[m.start] in dated:
            doc.add(m, 0.0, note="the same sentence names a deadline")
            continue
        doc.add(m, weights.points(doc.rule(m)), group="timeliness.deferral")


def _committed(doc: Doc, m: Match, acting: set[int]) -> bool:
    """Is a deadline a commitment? "by Friday", "within 2 hours", 今晚8点前, 3天内 are by their form; a bare time
    (today, this morning, 今天, on Wednesday) only in a sentence where someone acts or a future is stated ("it
    ships today", 今天给您补发), not when it says when the failure happened ("the 7:15 service this morning")."""
    if _BY_OR_WITHIN.search(doc.text[m.start : m.end]):
        return True
    if not doc.text[m.start : m.end].isascii():
        # Chinese marks the past, not the future: a time is when it happened when it qualifies a noun
        # (昨晚的航班, 今天上午的课) or 了/过 follows it closely (今天上午取消了; a sentence-final 了 further on
        # is a particle); otherwise it is a plan (今天下午两点重新派人)
        end = min(doc.clauses[doc.clause_of[m.start]][1], m.end + weights.CN_PAST_WINDOW_CHARS)
        return not (doc.text.startswith("的", m.end) or _CN_PAST.search(doc.text, m.end, end))
    sentence = doc.sentence_of[m.start]
    return sentence in acting or bool(_FUTURE.search(doc.text[slice(*doc.sentence_span(m.start))]))


#: Chinese past-tense particles.
_CN_PAST = re.compile("了|过(?![去来])")  # 过去/过来 is "go over", not the past
#: A deadline's own commitment: by / within / before / until / now ("attached now"), 前 / 内 / 之前 / 以内.
_BY_OR_WITHIN = re.compile(r"\b(?:by|within|before|until|no later than|now)\b|[前内]")
#: A stated future in the sentence: will / 'll / shall / should / expect / going to, 会 / 将 / 就 / 要 / 预计 / 安排.
_FUTURE = re.compile(
    r"\b(?:will|shall|should|expect(?:ed)?|going to|on (?:its|the) way)\b"
    r"|\b(?:arrives?|arriving|ships|shipping|goes out|lands)\b"  # the present for what is scheduled
    r"|'ll\b|[会将就要]|预计|安排|大概|大约"
)


_CN_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
#: A span of days, weeks or months in a deadline ("3-5 business days", "15个工作日内", "两周内"); a day of a month
#: ("3月15日前") is a date, not a span.
_SPAN = re.compile(
    r"(?<![月\d])(\d{1,4}|[一两二三四五六七八九十]{1,3})(?:\s*[-–~至到]\s*(\d{1,4}|[一两二三四五六七八九十]{1,3}))?\s*个?\s*"
    r"(business days?|working days?|days?|weeks?|months?|工作日|工作天|天|日|周|星期|礼拜"
    r"|月(?![\d一二三四五六七八九十]))"
)
_UNIT_DAYS = {"week": 7, "month": 30, "周": 7, "星期": 7, "礼拜": 7, "月": 30}


def _number(token: str) -> float:
    if token.isdigit():
        return float(token)
    if token.startswith("十"):  # 十, 十五
        return 10 + (_CN_DIGITS.get(token[1:], 0) if len(token) > 1 else 0)
    if len(token) == 2 and token[1] == "十":  # 二十
        return _CN_DIGITS.get(token[0], 0) * 10
    if len(token) == 3 and token[1] == "十":  # 二十五
        return _CN_DIGITS.get(token[0], 0) * 10 + _CN_DIGITS.get(token[2], 0)
    return float(_CN_DIGITS.get(token, 0))


def _days(deadline: str) -> float:
    """How many days a deadline's span lasts at most (0 when it names no span of days: "by 6 pm", 今晚)."""
    m = _SPAN.search(deadline)
    if m is None:
        return 0.0
    n = _number(m.group(2) or m.group(1))
    unit = m.group(3)
    per = next((d for key, d in _UNIT_DAYS.items() if unit.startswith(key)), 1)
    return n * per
