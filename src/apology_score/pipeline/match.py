"""Stage 3: match. Find every lexicon entry and built-in entity in the normalized text.

Chinese phrases are matched on normalized character spans (jieba can split a phrase across tokens, e.g.
今天内会 -> 今天/内会, and drops user words containing punctuation); English phrases are matched
case-insensitively and must start and end on token boundaries, so "sorry" does not fire inside "sorrynot".
All phrases of all rules go into one Aho-Corasick automaton, compiled once per ruleset, so matching is a
single linear pass whatever the number of rules. Sequences (token patterns as data) join element matches
that follow each other within a small gap. Entities are found by a few fixed, reviewed regular
expressions without nested quantifiers (linear time).

Overlaps: a match contained in a longer match is dropped when both belong to the same dimension, when the
longer one is an evasion or a "not a cue" marker, or when the shorter one is a scope marker or an evasion
(不是我们的错 contains 是我们的错; "regret to inform" contains "regret"; "it's not your fault" contains
"your fault"). Intensifiers and offer markers are never dropped. Partial overlaps keep both matches. Two
kinds of cue survive inside an evasion: specificity cues (a blame or denial still names what happened:
the rubric's worked example "抱歉,但是您下单时自己没有选加急" has specificity 2) and remedy refusals
(我们也没办法 refuses too).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from apology_score import cache
from apology_score.lexicon.loader import Ruleset
from apology_score.lexicon.schema import CONTEXT_ENTITIES, CUE_DIMENSION, CUE_ELEMENT, Rule
from apology_score.pipeline.model import LinearModel
from apology_score.pipeline.normalize import normalize

_CN_NUM = "零一二两三四五六七八九十百千万半"
#: English number words (concrete counts only: "a few"/"several" are vague, and "one"/"a" are left out because
#: "no one" and "one of our agents" are not counts).
_EN_NUM = (
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
    "sixty", "seventy", "eighty", "ninety",
)

#: Template placeholders and masked particulars (rubric pitfall 9): they stand for concrete particulars.
PLACEHOLDER_RE = re.compile(
    r"\{\{\s?[\w.]{1,40}\s?\}\}"  # {{ name }}
    r"|\$\{[\w.]{1,40}\}"  # ${amount}
    r"|\{[\w.]{1,40}\}"  # {order_id}
    r"|%\(\w{1,40}\)[sd]|%[sd]"  # %(name)s, %s
    r"|【[^【】\n]{1,30}】"  # 【商品名】
    r"|\[[^\[\]\n]{1,12}x\]"  # [订单x] (masked values in real data)
)

#: Built-in entities. Each alternative is a bounded run; none nests quantifiers.
ENTITY_PATTERNS: dict[str, re.Pattern[str]] = {
    "@money": re.compile(
        r"[$¥€£]\s?\d{1,12}(?:[.,]\d{1,3})*"
        rf"|\d{{1,12}}(?:\.\d{{1,2}})?\s?(?:元|块钱|块|美元|美金|dollars?|usd|rmb|yuan|cents?|bucks?)"
        # 一块 before a noun is "a piece" (一块污渍), not one yuan (一块钱, 一块五)
        rf"|(?!一块(?![钱{_CN_NUM}毛])[\u4e00-\u9fff])[{_CN_NUM}]{{1,8}}(?:元|块钱|块)"
        # an amount in words ("twenty five dollars", "fifty quid")
        rf"|(?<![a-z-])(?:{'|'.join(_EN_NUM)})(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"
        r"\s(?:dollars|pounds|euros|bucks|quid|rupees|pesos|ringgit)(?![a-z])"
    ),
    "@time": re.compile(
        r"\d{1,2}:\d{2}(?:\s?[ap]m)?|\d{1,2}\s?(?:[ap]m|[ap]\.m\.)(?![a-z])"
        rf"|\d{{1,2}}[点时](?:半|\d{{1,2}}分|[{_CN_NUM}]{{1,3}}分)?"
        # a Chinese numeral before 点/时 is a clock time (三点半, 十一时), but not "a bit" (快一点, 差一点, 一点点)
        # or "at once" (第一时间, 一时间)
        # and 一点 only as a time of day (凌晨一点, 一点半, 一点前), not "a point/a bit" (证明这一点, 磕了一点漆)
        rf"|(?<![第有快慢多少早晚大小好差再])"
        rf"(?:(?<=[晨上午中下夜里])|(?!一[点时](?![半钟前后到左之整分\d{_CN_NUM}])))"
        rf"[{_CN_NUM}]{{1,3}}[点时](?![间候儿点时])(?:半|\d{{1,2}}分|[{_CN_NUM}]{{1,3}}分)?"
    ),
    "@date": re.compile(
        r"\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}[日号]?"
        rf"|(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}}|\[数字x\])月(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}}|\[数字x\])[日号]"
        # 12/3, but not a thread counter closing a social-media reply ("… here (1/2) ^SH", "… 2/2")
        r"|(?<!\d)\d{1,2}/\d{1,2}(?!\d)(?!\)?\s*(?:\^[a-z]{1,4}\s*)?$)"
        r"|(?:周|星期|礼拜)[一二三四五六日天]"
        # a day of the month: "by the 15th", "on the 3rd"
        r"|(?<![a-z0-9])the\s\d{1,2}(?:st|nd|rd|th)(?![a-z])"
        r"|(?<![a-z])(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
        r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)(?:\.|[a-z]{0,6})\s\d{1,2}(?!\d)(?:st|nd|rd|th)?"
        r")(?![a-z])"
    ),
    # a day and month written British style ("on 3 March"): mostly when something happened, so a particular of
    # the case but not a deadline cue (timeliness rules use @date)
    "@day_month": re.compile(
        r"(?<![a-z0-9])\d{1,2}(?:st|nd|rd|th)?\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)(?:(?<=jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\.(?=\s?[\d,;:a-z])|[a-z]{0,6})(?![a-z])"
    ),
    "@order_id": re.compile(
        r"(?:订单号?|单号|运单号?|工单号?|order|ticket|case|tracking)\s?(?:number|no\.?|id|#|号码|编号)?"
        r"\s?[:#]?\s?(?=[a-z0-9-]{0,29}\d)[a-z0-9-]{4,30}"
        r"|#\d{3,20}|(?<!\d)\d{8,24}(?!\d)"
        # reference codes (INV-20931, MU5123) and room/seat/gate numbers: identifiers of the case
        r"|(?<![a-z0-9])[a-z]{1,4}-?\d{3,12}(?![a-z0-9])"
        r"|(?<![a-z])(?:room|seat|gate|table|suite|platform)\s?#?\d{1,5}[a-z]?(?![a-z0-9])"
        r"|(?<!\d)\d{3,5}\s?(?:号房|房间)|房间\s?\d{3,5}(?!\d)"
    ),
    "@number": re.compile(
        # a range counts as one number ("3-5 working days", "3–5 天")
        rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d{{1,4}})?"  # 5,000 miles
        rf"|\d{{1,12}}(?:\.\d{{1,4}})?(?:\s?[-–~]\s?\d{{1,12}}(?:\.\d{{1,4}})?)?|[{_CN_NUM}]{{1,6}}"
        # English number words ("within two hours", "three days late")
        rf"|(?<![a-z-])(?:{'|'.join(_EN_NUM)})(?![a-z])"
    ),
    # a count of things or events: a number, but not a lone 一 ("a", as English "a"/"one" are not in _EN_NUM):
    # 两箱牛奶 and 三次 are particulars of a case, 多跑了一趟 / 有一笔 / 一间房 are not
    "@count": re.compile(
        rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d{{1,4}})?"
        rf"|\d{{1,12}}(?:\.\d{{1,4}})?(?:\s?[-–~]\s?\d{{1,12}}(?:\.\d{{1,4}})?)?"
        rf"|(?![一半](?![{_CN_NUM}]))(?<![{_CN_NUM}])[{_CN_NUM}]{{1,6}}"
        rf"|(?<![a-z-])(?:{'|'.join(_EN_NUM)})(?![a-z])"
    ),
}


#: A cheap necessary condition per entity: when its gate finds nothing in the text, the entity pattern
#: cannot match either, and scanning with it (about 0.1 us per character each) is skipped. Every alternative
#: of @money needs a digit, a currency sign, 元/块 or a currency word; @time a digit or 点/时; @date a digit,
#: 月, 周/星期/礼拜 or a weekday name (all end in "day"); @day_month and @order_id a digit; @number and @count
#: a digit, a Chinese numeral or an English number word.
ENTITY_GATES: dict[str, re.Pattern[str]] = {
    "@money": re.compile(r"[\d$¥€£元块]|dollars|pounds|euros|bucks|quid|rupees|pesos|ringgit"),
    "@time": re.compile(r"[\d点时]"),
    "@date": re.compile(r"[\d月周星礼]|day"),  # "the 15th" has a digit
    "@day_month": re.compile(r"\d"),
    "@order_id": re.compile(r"\d"),
    "@number": re.compile(rf"[\d{_CN_NUM}]|(?<![a-z])(?:{'|'.join(_EN_NUM)})(?![a-z])"),
    "@count": re.compile(rf"[\d{_CN_NUM}]|(?<![a-z])(?:{'|'.join(_EN_NUM)})(?![a-z])"),
}


@dataclass(frozen=True, slots=True)
class Match:
    """A rule matched at [start, end) of the normalized text."""

    start: int
    end: int
    rule: int  # index into CompiledLexicon.rules


#: ASCII letters, digits and "_": a phrase must not start or end inside a run of these.
#: Letters and digits of Latin text (``_`` is not one, so Markdown ``_sorry_`` still matches).
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")



@dataclass(frozen=True, slots=True)
class _Payload:
    rule: int  # -1 for a sequence fragment
    fragment: int  # -1 for a phrase


class CompiledLexicon:
    """A ruleset compiled for matching: built once per process and ruleset, then shared (read-only)."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.rules: tuple[Rule, ...] = ruleset.rules
        self.index: dict[str, int] = {r.id: i for i, r in enumerate(self.rules)}
        self.dimension: list[str] = [CUE_DIMENSION[r.cue] for r in self.rules]
        self.language: list[str] = [ruleset.language_of(r.id) for r in self.rules]
        #: Rules read by a statistical model (``model:``), with their weights: (rule index, model).
        self.models: list[tuple[int, LinearModel]] = [
            (i, ruleset.models[r.id]) for i, r in enumerate(self.rules) if r.id in ruleset.models
        ]
        compiled = _compiled(self.rules, ruleset.content_hash)
        payloads: dict[str, tuple[tuple[int, int], ...]] = compiled["payloads"]
        fragments: list[str] = compiled["fragments"]
        # sequences: per rule, per sequence, per element: a list of fragment ids or an entity name
        self.sequences: list[tuple[int, list[list[int] | str], int, bool]] = [
            (rule, elements, max_gap, in_clause) for rule, elements, max_gap, in_clause in compiled["sequences"]
        ]
        self.entity_rules: dict[str, list[int]] = defaultdict(list)
        for i, rule in enumerate(self.rules):
            for entity in rule.entities:
                self.entity_rules[entity].append(i)
        self.entities_needed: set[str] = set(self.entity_rules)
        self.cue_elements: set[str] = set()
        for _, elements, _, _ in self.sequences:
            for e in elements:
                if isinstance(e, str):
                    (self.cue_elements if e.startswith(CUE_ELEMENT) else self.entities_needed).add(e)
        # each sequence is tried only when a fragment of its most selective element (the one whose shortest
        # alternative is longest) matched: all its elements must match, so the others need not be looked at
        self.sequences_by_fragment: dict[int, list[int]] = defaultdict(list)
        self.sequences_always: list[int] = []
        for index, (_, elements, _, _) in enumerate(self.sequences):
            lists = [e for e in elements if not isinstance(e, str)]
            if not lists:
                self.sequences_always.append(index)
                continue
            selective = max(lists, key=lambda e: min(len(fragments[f]) for f in e))
            for f in selective:
                self.sequences_by_fragment[f].append(index)
        automaton = ahocorasick.Automaton()
        for key, values in payloads.items():
            automaton.add_word(key, (len(key), values))
        automaton.make_automaton()
        #: None when the rules in force have no phrases (e.g. ``select`` keeps only entity or model rules)
        self._automaton = automaton if payloads else None
        self.n_fragments = len(fragments)


def _compiled(rules: tuple[Rule, ...], content_hash: str) -> dict[str, Any]:
    """What the matcher needs from the rules as plain data (phrase variants with the rules and sequence fragments
    they stand for, and the sequences as fragment ids), read from the user cache (:mod:`apology_score.cache`) when
    the same rules were compiled before by the same code: building it is most of what a cold start spends on the
    lexicon."""
    key = "\x00".join(
        r.id + "\x01" + "\x01".join(r.phrases) + "\x01" + repr([(q.elements, q.max_gap, q.within) for q in r.sequences])
        for r in rules
    )
    path = cache.cache_path("compiled", _EXPAND_SOURCES, content_hash.encode(), key.encode("utf-8", "surrogatepass"))
    cached = cache.load(path)
    if isinstance(cached, dict) and set(cached) == {"payloads", "fragments", "sequences"}:
        return cached
    payloads: dict[str, list[tuple[int, int]]] = defaultdict(list)
    fragments: list[str] = []
    fragment_ids: dict[str, int] = {}
    sequences: list[tuple[int, list[list[int] | str], int, bool]] = []
    variants = expand_all(
        [p for rule in rules for p in rule.phrases]
        + [alt for rule in rules for seq in rule.sequences for e in seq.elements if not isinstance(e, str)
           for alt in e]
    )
    for i, rule in enumerate(rules):
        for phrase in rule.phrases:
            for variant in variants[phrase]:
                payloads[variant].append((i, -1))
        for seq in rule.sequences:
            elements: list[list[int] | str] = []
            for element in seq.elements:
                if isinstance(element, str):
                    elements.append(element)
                    continue
                ids: list[int] = []
                for alt in element:
                    for variant in variants[alt]:
                        if variant not in fragment_ids:
                            fragment_ids[variant] = len(fragments)
                            fragments.append(variant)
                            payloads[variant].append((-1, fragment_ids[variant]))
                        ids.append(fragment_ids[variant])
                elements.append(sorted(set(ids)))
            sequences.append((i, elements, seq.max_gap, seq.within == "clause"))
    compiled: dict[str, Any] = {
        "payloads": {k: tuple(dict.fromkeys(v)) for k, v in payloads.items()},
        "fragments": fragments,
        "sequences": sequences,
    }
    cache.store(path, compiled)
    return compiled


#: Source files whose code decides what ``expand`` returns; the phrase cache is keyed on their content.
_EXPAND_SOURCES = (Path(__file__), Path(__file__).with_name("normalize.py"))


def expand_all(phrases: Iterable[str]) -> dict[str, list[str]]:
    """``expand`` for every phrase, read from the user cache (:mod:`apology_score.cache`) when this exact list was
    expanded before by the same code: normalizing ~35,000 phrases is most of a cold start."""
    unique = list(dict.fromkeys(phrases))
    path = cache.cache_path("phrases", _EXPAND_SOURCES, "\x00".join(unique).encode("utf-8", "surrogatepass"))
    cached = cache.load(path)
    if isinstance(cached, dict) and len(cached) == len(unique) and all(p in cached for p in unique):
        return cached
    result = {p: expand(p) for p in unique}
    cache.store(path, result)
    return result


def expand(phrase: str) -> list[str]:
    """Normalize a lexicon phrase like text, and expand English inflection marks.

    ``word~`` stands for the word and its regular inflections (refund~ -> refund, refunds, refunded,
    refunding); a word ending in -ize/-ise yields both spellings (apologize~ -> apologise, apologised, ...).
    """
    norm = normalize(phrase).text.strip()
    if "~" not in norm:
        return [norm]
    variants = [""]
    for i, word in enumerate(norm.split(" ")):
        forms = _inflect(word[:-1]) if word.endswith("~") else [word]
        variants = [(v + " " if i else "") + f for v in variants for f in forms]
    return list(dict.fromkeys(variants))


def _inflect(word: str) -> list[str]:
    stems = [word]
    if word.endswith("ize"):
        stems.append(word[:-3] + "ise")
    elif word.endswith("ise"):
        stems.append(word[:-3] + "ize")
    forms: list[str] = []
    for w in stems:
        if w.endswith("e"):
            forms += [w, w + "s", w + "d", w[:-1] + "ing"]
        elif w.endswith("y") and len(w) > 1 and w[-2] not in "aeiou":
            forms += [w, w[:-1] + "ies", w[:-1] + "ied", w + "ing"]
        elif w.endswith(("s", "sh", "ch", "x")):
            forms += [w, w + "es", w + "ed", w + "ing"]
        else:
            forms += [w, w + "s", w + "ed", w + "ing"]
            if _doubles_final_consonant(w):  # ship -> shipped, shipping (reship~ -> reshipped)
                forms += [w + w[-1] + "ed", w + w[-1] + "ing"]
    return forms


_VOWELS = frozenset("aeiou")


def _doubles_final_consonant(word: str) -> bool:
    """consonant + single vowel + consonant (not w, x, y) at the end: English doubles it before -ed/-ing."""
    return (
        len(word) >= 3
        and word[-1].isalpha()
        and word[-1] not in _VOWELS
        and word[-1] not in "wxy"
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    )


#: A placeholder that stands for the customer's name is no particular of the problem ({{ first_name }}, or any
#: placeholder right after a greeting: "Hi %s", "亲爱的{user}").
_NAME_WORDS = ("name", "user", "customer", "姓名", "名字", "用户", "客户", "昵称")
_GREETING_BEFORE = re.compile(r"(?:\b(?:hi|hello|hey|dear)|亲爱的|您好|你好|尊敬的)[\s,:]{0,2}$")


def is_name_placeholder(text: str, start: int, end: int) -> bool:
    inner = text[start:end]
    if any(word in inner for word in _NAME_WORDS):
        return True
    return bool(_GREETING_BEFORE.search(text[max(0, start - 12) : start]))


def find_placeholders(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in PLACEHOLDER_RE.finditer(text)]


#: A link the agent gives (a help article, an archive copy): its digits and words are an address, not particulars
#: of the case (``web.archive.org/web/20200407065207/…``, ``…/answer/7177579``).
URL_RE = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def mask_urls(text: str) -> str:
    """``text`` with every link blanked out by spaces (offsets unchanged), so no rule or entity matches inside it."""
    if "http" not in text and "www." not in text:
        return text
    return URL_RE.sub(lambda m: " " * (m.end() - m.start()), text)


def match(
    lex: CompiledLexicon,
    text: str,
    token_starts: set[int],
    token_ends: set[int],
    placeholders: list[tuple[int, int]],
    sentence_of: list[int],
    clause_of: list[int] | None = None,
) -> list[Match]:
    """All rule matches in normalized ``text``, overlaps resolved, sorted by position. ``sentence_of`` and
    ``clause_of`` map each character to its sentence / clause (the scopes a sequence must stay within)."""
    text = mask_urls(text)
    found: list[Match] = []
    frag_hits: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))  # frag -> start -> ends
    n = len(text)
    word = _WORD_CHARS
    for end_index, (length, values) in lex._automaton.iter(text) if lex._automaton is not None else ():
        end = end_index + 1
        start = end - length
        if text[start] in word and ((start > 0 and text[start - 1] in word) or start not in token_starts):
            continue
        if text[end - 1] in word and ((end < n and text[end] in word) or end not in token_ends):
            continue
        for rule, fragment in values:
            if rule >= 0:
                found.append(Match(start, end, rule))
            else:
                frag_hits[fragment][start].append(end)
    entity_hits: dict[str, dict[int, list[int]]] = {}
    for name in lex.entities_needed:
        hits: dict[int, list[int]] = defaultdict(list)
        if name in CONTEXT_ENTITIES:  # found by a detector from the complaint (``context=``), not scanned
            entity_hits[name] = hits
            continue
        if name == "@placeholder":
            for s, e in placeholders:
                if not is_name_placeholder(text, s, e):
                    hits[s].append(e)
        elif name not in ENTITY_GATES or ENTITY_GATES[name].search(text):
            for m in ENTITY_PATTERNS[name].finditer(text):
                if m.end() > m.start():
                    hits[m.start()].append(m.end())
        entity_hits[name] = hits
        for rule in lex.entity_rules.get(name, ()):
            for s, ends in hits.items():
                found.append(Match(s, max(ends), rule))
    if lex.cue_elements:  # word classes: every phrase or entity match of a cue, as hits of "cue:NAME"
        for hit in found:
            key = CUE_ELEMENT + lex.rules[hit.rule].cue
            if key in lex.cue_elements:
                entity_hits.setdefault(key, defaultdict(list))[hit.start].append(hit.end)
    candidates = set(lex.sequences_always)
    for fragment in frag_hits:
        candidates.update(lex.sequences_by_fragment.get(fragment, ()))
    for index in sorted(candidates):
        rule, elements, max_gap, in_clause = lex.sequences[index]
        scope = clause_of if in_clause and clause_of is not None else sentence_of
        found.extend(_match_sequence(rule, elements, max_gap, frag_hits, entity_hits, scope))
    return resolve_overlaps(lex, found)


def _element_hits(
    element: list[int] | str,
    frag_hits: dict[int, dict[int, list[int]]],
    entity_hits: dict[str, dict[int, list[int]]],
) -> dict[int, list[int]]:
    if isinstance(element, str):
        return entity_hits.get(element, {})
    if len(element) == 1:
        return frag_hits.get(element[0], {})
    merged: dict[int, list[int]] = defaultdict(list)
    for f in element:
        for s, ends in frag_hits.get(f, {}).items():
            merged[s].extend(ends)
    return merged


def _match_sequence(
    rule: int,
    elements: list[list[int] | str],
    max_gap: int,
    frag_hits: dict[int, dict[int, list[int]]],
    entity_hits: dict[str, dict[int, list[int]]],
    scope_of: list[int],
) -> list[Match]:
    for element in elements:  # cheap exit (most texts): an element that matched nowhere
        if isinstance(element, str):
            if not entity_hits.get(element):
                return []
        elif frag_hits.keys().isdisjoint(element):
            return []
    hits = [_element_hits(e, frag_hits, entity_hits) for e in elements]
    if any(not h for h in hits):
        return []
    out: list[Match] = []
    for first_start, first_ends in hits[0].items():
        ends = [max(first_ends)]
        for h in hits[1:]:
            nxt: list[int] = []
            for e in ends:
                for s in range(e, e + max_gap + 1):
                    if s in h and scope_of[s] == scope_of[first_start]:
                        nxt.append(max(h[s]))
                        break
            if not nxt:
                break
            ends = [min(nxt)]
        else:
            out.append(Match(first_start, ends[0], rule))
    return out


#: Cues kept even inside a longer match: intensifiers modify the cue they sit in, an offer marker ("I can",
#: 给您) says the agent commits to what the longer cue names, and a compensation marker (优惠券, voucher) says
#: what an amount next to it is.
_NEVER_DROPPED = frozenset({"intensifier", "offer", "compensation"})

#: Cues whose phrases embed (and override) the cues they contain.
_OVERRIDING_CUES = frozenset({"not_a_cue"})


def _overlaps_any(m: Match, spans: list[Match], starts: list[int]) -> bool:
    """Does ``m`` overlap any of ``spans`` (sorted by start; ``starts`` are their starts)?"""
    i = bisect.bisect_right(starts, m.end - 1) if spans else 0
    return any(s.end > m.start for s in spans[max(0, i - 3) : i])


def resolve_overlaps(lex: CompiledLexicon, found: list[Match]) -> list[Match]:
    """Drop matches contained in a longer match that overrides them (see the module doc)."""
    if not found:
        return found
    found = sorted(set(found), key=lambda m: (m.start, -m.end, m.rule))
    rules = lex.rules
    dims = lex.dimension
    kept: list[Match] = []
    active: list[Match] = []  # earlier matches that may still contain later ones
    overriders = [m for m in found if rules[m.rule].cue in _OVERRIDING_CUES]
    overrider_starts = [m.start for m in overriders]  # once, not per match: linear in the text length
    for m in found:
        active = [a for a in active if a.end > m.start]
        cue = rules[m.rule].cue
        dropped = False
        if cue not in _OVERRIDING_CUES and _overlaps_any(m, overriders, overrider_starts):
            continue
        if cue not in _NEVER_DROPPED:
            for a in active:
                if a.end >= m.end and (a.end - a.start) > (m.end - m.start):
                    a_dim = dims[a.rule]
                    if dims[m.rule] == "marker":
                        # a scope marker inside a cue is part of that cue (不 in 不好意思), except inside an
                        # evasion, whose negation still scopes what follows (自己没有选加急)
                        overrides = a_dim != "evasion"
                    else:
                        overrides = (
                            a_dim == dims[m.rule]
                            or (a_dim == "evasion" and dims[m.rule] != "specificity" and rules[m.rule].cue != "refusal")
                            or rules[a.rule].cue in _OVERRIDING_CUES
                            or dims[m.rule] == "evasion"
                        )
                    if overrides and rules[a.rule].cue != "intensifier":
                        dropped = True
                        break
        if not dropped:
            kept.append(m)
        active.append(m)
    return kept
