"""Specificity (具体性): naming the concrete problem, its cause and its particulars (rubric levels 0-4).

- generic (不便, "any inconvenience") < problem named: one group, the most specific counts. Naming the thing
  the case is about (the boiler, 年费) names the matter in a reply that answers a failure (apology, empathy,
  owning it or evading); elsewhere it is only the reply's topic (generic).
- cause (由于…导致, "because our …") and particulars (order numbers, dates, amounts, items, template
  placeholders) add a level each.
- Quoted customer speech counts here: restating the complaint names the problem (pitfall 4), even when
  what is quoted is an evasion the customer complains about ("客服说“不归我管”").
- With ``context=`` (the customer's complaint), naming a problem or particular the customer raised counts
  as naming the problem ("echo"), and so does any content word the reply shares with the complaint
  (``SPC-XX-ECHO``: "sorry the *rebooking* upset you" answers "you *rebooked* me without asking").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import replace

from apology_score import weights
from apology_score.detect.evasion import EVASION_CUES
from apology_score.pipeline.doc import Candidate, Doc
from apology_score.pipeline.match import ENTITY_PATTERNS, Match

#: Blaming the customer names what went wrong (what they did); other evasions only refer to it.
BLAME_CUES_NAMING = ("blame_customer",)
#: Cue dimensions whose words say nothing about what happened: "sorry", "today", "if".
NOT_CONTENT_DIMENSIONS = ("sincerity", "timeliness", "marker")
#: Words a complaint and a reply share without naming anything: the label conventions' "'the issue', 不便 … are
#: 1" (the thing itself, "the flight", does name the matter and is not listed).
NOT_CONTENT_WORDS = frozenset(
    ["issue", "issues", "problem", "problems", "trouble", "inconvenience", "experience", "service", "situation",
     "问题", "麻烦", "不便", "情况", "服务", "体验", "事情"]
)

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
    timing = _covered(doc, doc.found("timeliness", *TIMING_CUES))  # only times that counted as commitments
    told = {doc.clause_of[m.start] for m in doc.live("problem", "cause", quotes=True)}
    compensation_cues = doc.cue("compensation")
    compensation = {doc.clause_of[m.start] for m in compensation_cues}
    for m in particulars:
        if timing[m.start] and timing[m.end - 1] and doc.clause_of[m.start] not in told:
            doc.add(m, 0.0, note="a deadline or the time of the remedy, not a detail of what happened")
            continue
        if doc.clause_of[m.start] in compensation and (
            _is_money(doc.text[m.start : m.end]) or any(c.start < m.end and m.start < c.end for c in compensation_cues)
        ):
            doc.add(m, 0.0, note="a compensation amount, not a detail of what happened")
            continue
        doc.add(m, weights.points(doc.rule(m)), group="specificity.particular")
    if doc.context is not None:
        _echo(doc, doc.context)
    _particulars_name_the_case(doc)
    _evasion_refers_to_the_case(doc)
    _reply_refers_to_the_case(doc)
    _further_particulars(doc)
    _further_naming(doc)


#: What a reply can do that refers to what happened without naming it: apologise for it, own it, empathise, say
#: why it happened, or handle it (the label conventions: "any reference only through handling it (我们会处理) is
#: 1"; rubric worked example 5, "我们会尽快给您处理的", is specificity level 1).
REFERS_BY = (
    ("specificity", ("cause",)),
    ("sincerity", ("apology", "pseudo_apology", "responsibility", "empathy")),
    ("remedy", ()),
)


def _reply_refers_to_the_case(doc: Doc) -> None:
    """Apologising for, owning, explaining or handling what happened refers to it, as the generic reference of
    level 1 does ("Sorry for any inconvenience" is level 1 in the rubric's worked examples, and so is "我们会尽快给您
    处理的"): a reply that does one of these is never level 0, "nothing about what happened". Runs after the
    sincerity and remedy detectors (see ``apology_score.detect``), whose findings it reads."""
    if doc.found("specificity", "generic", "problem", "thing", "echo"):
        return
    for dimension, cues in REFERS_BY:
        found = [c for c in doc.found(dimension, *cues) if c.points > 0]
        if found:
            first = min(found, key=lambda c: (c.start, c.end))
            doc.candidates.append(
                replace(first, dimension="specificity", cue="generic", points=weights.REFERENCE_BY_REPLY_POINTS,
                        group="specificity.naming", note=f"refers to what happened ({dimension})")
            )
            return


def _evasion_refers_to_the_case(doc: Doc) -> None:
    """An evasion is about what happened even when no word names it: blaming the customer names the problem (what
    they did: rubric worked example 4, "抱歉,但是您下单时自己没有选加急", is specificity level 2); denying it,
    sending them to a third party, hiding behind a rule or brushing it off refers to it as the generic reference
    of level 1 does ("这个不归我们管,您找厂家吧" is level 1). Only when nothing
    else in the reply names the problem ("you should have checked the size chart": the worked example's level 2)."""
    if doc.found("specificity", "problem", "thing", "echo"):
        return
    for c in sorted((c for c in doc.candidates if c.dimension == "evasion"), key=lambda c: (c.start, c.end)):
        blame = c.cue in BLAME_CUES_NAMING
        doc.candidates.append(
            replace(c, dimension="specificity", cue="problem" if blame else "generic",
                    points=weights.CUE_POINTS["problem" if blame else "generic"], group="specificity.naming",
                    note="blame names what went wrong" if blame else "an evasion refers to what happened")
        )


#: Cues that name the matter itself (not the generic reference).
NAMING_CUES = ("problem", "thing", "echo")


def _further_naming(doc: Doc) -> None:
    """Each further *distinct* word naming the matter (the duck, the bones, cut badly) adds a fraction of a level
    (``weights.FURTHER_NAMING_POINTS``, at most ``FURTHER_NAMING_MAX`` of them): more of the case named is more
    specific, but no number of names alone makes the next level."""
    named = sorted((c for c in doc.found("specificity", *NAMING_CUES) if c.group == "specificity.naming"),
                   key=lambda c: (c.start, c.end))
    if not named:
        return
    best = max(c.points for c in named)
    first = next(c for c in named if c.points == best)
    seen = {doc.text[first.start : first.end]}
    extra = 0
    for c in named:
        text = doc.text[c.start : c.end]
        if c is first or text in seen or any(text in s or s in text for s in seen):
            continue
        seen.add(text)
        extra += 1
        c.group = f"specificity.naming.{extra}"
        c.points = weights.FURTHER_NAMING_POINTS
        further = "a further distinct name of the matter"
        c.note = f"{c.note}; {further}" if c.note else further
        if extra == weights.FURTHER_NAMING_MAX:
            return


def _further_particulars(doc: Doc) -> None:
    """With the problem named, the second and third *distinct* particulars add half a level each (see
    ``weights.FURTHER_PARTICULAR_POINTS``): the rubric's level 4 is the problem with its particulars. Each one
    gets a group of its own so it counts; the first keeps the particular group (counted once as before)."""
    if not doc.found("specificity", "problem", "thing", "echo"):
        return
    seen: set[str] = set()
    extra = 0
    for c in sorted(doc.found("specificity", "particular"), key=lambda c: (c.start, c.end)):
        if c.group != "specificity.particular":
            continue
        text = doc.text[c.start : c.end]
        if text in seen:
            continue
        seen.add(text)
        if len(seen) == 1:
            continue
        extra += 1
        c.group = f"specificity.particular.{extra}"
        c.points = weights.FURTHER_PARTICULAR_POINTS
        c.note = f"{c.note}; a further distinct particular" if c.note else "a further distinct particular"
        if extra == weights.FURTHER_PARTICULARS_MAX:
            return


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
    if raised:
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
    if doc.found("specificity", "echo"):
        return
    rules = doc.lex.entity_rules.get("@echo")
    if not rules:  # SPC-XX-ECHO ignored or overridden away
        return
    shared = _shared_word(doc, context)
    if shared is not None:
        start, end, word = shared
        doc.add(
            Match(start, end, rules[0]),
            weights.CUE_POINTS["echo"],
            cue="echo",
            group="specificity.naming",
            note=f"names what the customer complained about ('{word}' in the complaint)",
        )


def _shared_word(doc: Doc, context: Doc) -> tuple[int, int, str] | None:
    """The first content word of the reply that the complaint also uses: (start, end, the complaint's word)."""
    latin: list[str] = []
    _, zh_stop = _stop_words()
    for start, end in _content_words(context):
        word = context.text[start:end]
        if word.isascii():
            latin.append(word)
    # every two-character piece of the complaint's Chinese, whatever jieba made of it (报胎/压 still has 胎压)
    han = {p: p for run in _HAN_RUN.findall(_unblocked(context)) for p in _pieces(run, zh_stop)}
    if not (latin or han):
        return None
    prefix = weights.ECHO_SHARED_PREFIX
    for start, end in _content_words(doc):
        word = doc.text[start:end]
        if not word.isascii():
            shared = next((han[p] for p in _pieces(word, zh_stop) if p in han), None)
            if shared is not None:
                return start, end, shared
            continue
        for other in latin:
            if word == other or (len(word) >= prefix and len(other) >= prefix and word[:prefix] == other[:prefix]):
                return start, end, other
    return None


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _unblocked(doc: Doc) -> str:
    """The text with apology, timing and marker cues blanked out (they name nothing that happened)."""
    blocked = _covered(doc, [m for m in doc.matches if doc.rule(m).dimension in NOT_CONTENT_DIMENSIONS])
    return "".join(" " if blocked[i] else ch for i, ch in enumerate(doc.text))


def _pieces(word: str, stop: frozenset[str]) -> list[str]:
    """The two-character pieces of a Chinese word that are content in themselves: jieba cuts the same thing
    differently in two texts (胎压 / 胎压监测, 包装盒 / 外包装), as English inflects it (see ECHO_SHARED_PREFIX)."""
    return [p for p in (word[i : i + weights.ECHO_MIN_HAN] for i in range(len(word) - 1))
            if p not in stop and p not in NOT_CONTENT_WORDS]


def _content_words(doc: Doc) -> list[tuple[int, int]]:
    """Token spans that are content words: long enough, not stop words, not inside an apology, timing or
    marker cue."""
    blocked = _covered(doc, [m for m in doc.matches if doc.rule(m).dimension in NOT_CONTENT_DIMENSIONS])
    en_stop, zh_stop = _stop_words()
    spans = []
    for start, end in zip(doc.tokens.starts, doc.tokens.ends, strict=True):
        word = doc.text[start:end]
        if blocked[start] or blocked[end - 1] or word in NOT_CONTENT_WORDS:
            continue
        if word.isascii():
            if len(word) >= weights.ECHO_MIN_LATIN and word.isalpha() and word not in en_stop:
                spans.append((start, end))
        elif len(word) >= weights.ECHO_MIN_HAN and all("\u4e00" <= c <= "\u9fff" for c in word) and word not in zh_stop:
            spans.append((start, end))
    return spans


@functools.cache
def _stop_words() -> tuple[frozenset[str], frozenset[str]]:
    """spaCy's English and Chinese stop lists (plain data modules; imported only when a complaint is given)."""
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.zh.stop_words import STOP_WORDS as ZH

    return frozenset(EN), frozenset(ZH)


def _covered(doc: Doc, matches: Iterable[Match | Candidate]) -> bytearray:
    """1 at every character inside one of ``matches`` (linear in the covered length)."""
    cover = bytearray(len(doc.text) + 1)
    for m in matches:
        cover[m.start : m.end] = b"\x01" * (m.end - m.start)
    return cover


def _is_money(text: str) -> bool:
    """Is ``text`` an amount of money (the ``@money`` entity)?"""
    return ENTITY_PATTERNS["@money"].fullmatch(text) is not None


def _asks_for_identifier(m: Match, identifiers: list[Match]) -> bool:
    """"your order" inside "your order number" / 您的订单号: an identifier phrase (not an actual id) that
    starts inside ``m`` and runs past its end."""
    return any(m.start < p.start < m.end < p.end for p in identifiers)
