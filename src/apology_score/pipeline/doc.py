"""The analysis of one text as it moves through the stages (like spaCy's ``Doc``).

It holds the normalized text, tokens, sentences, clauses, matches and the scope facts detectors need
(quoted speech, negation), and collects the detectors' candidate findings.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate

from apology_score import weights
from apology_score.lexicon.schema import Rule
from apology_score.pipeline.match import CompiledLexicon, Match
from apology_score.pipeline.normalize import NormalizedText
from apology_score.pipeline.tokenize import Tokens

#: Quotation marks: opening -> closing.
_QUOTE_PAIRS = {"「": "」", "『": "』", "“": "”", '"': '"'}
_QUOTE_OPEN = re.compile("[" + "".join(_QUOTE_PAIRS) + "]")


@dataclass(slots=True)
class Candidate:
    """A detector's finding before scoring: which rule, where (normalized coordinates), how many points."""

    rule: Rule
    dimension: str
    cue: str
    start: int
    end: int
    points: float
    note: str | None = None
    #: Findings in the same group count once (the strongest); see ``weights.GROUPS``.
    group: str | None = None
    #: Listed for the record but costs nothing (a repeated evasion); ``note`` says why.
    repeat: bool = False


@dataclass(slots=True)
class Doc:
    lex: CompiledLexicon
    norm: NormalizedText
    tokens: Tokens
    sentences: list[tuple[int, int]]
    sentence_of: list[int]
    clauses: list[tuple[int, int]]
    clause_of: list[int]
    matches: list[Match]
    placeholders: list[tuple[int, int]]
    language: str
    primary: str = "en"
    context: Doc | None = None
    by_cue: dict[str, list[Match]] = field(default_factory=dict)
    quoted: bytearray = field(default_factory=bytearray)
    ends_upto: list[int] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _scope_starts: dict[str, list[int]] = field(default_factory=dict)
    _live_cache: dict[tuple[tuple[str, ...], bool], list[Match]] = field(default_factory=dict)
    _live_starts: dict[tuple[str, ...], list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        grouped: dict[str, list[Match]] = defaultdict(list)
        for m in self.matches:
            grouped[self.lex.rules[m.rule].cue].append(m)
        self.by_cue = dict(grouped)
        self.quoted = self._quoted_regions()
        # ends_upto[p] = number of tokens that end at or before p (for token distances)
        counts = [0] * (len(self.text) + 1)
        for e in self.tokens.ends:
            counts[e] += 1
        self.ends_upto = list(accumulate(counts))

    # --- basic accessors ----------------------------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.norm.text

    def rule(self, m: Match) -> Rule:
        return self.lex.rules[m.rule]

    def cue(self, *cues: str) -> list[Match]:
        """All matches of the given cue kinds, in text order."""
        if len(cues) == 1:
            return self.by_cue.get(cues[0], [])
        out = [m for c in cues for m in self.by_cue.get(c, [])]
        out.sort(key=lambda m: (m.start, m.end, m.rule))
        return out

    def add(self, m: Match, points: float, *, note: str | None = None, group: str | None = None,
            dimension: str | None = None, cue: str | None = None, start: int | None = None,
            end: int | None = None) -> Candidate:
        rule = self.rule(m)
        cand = Candidate(
            rule=rule,
            dimension=dimension or rule.dimension,
            cue=cue or rule.cue,
            start=m.start if start is None else start,
            end=m.end if end is None else end,
            points=points,
            note=note,
            group=group,
        )
        self.candidates.append(cand)
        return cand

    def found(self, dimension: str, *cues: str) -> list[Candidate]:
        """Candidates already added for ``dimension`` (optionally of the given cues) that earn points."""
        return [
            c for c in self.candidates
            if c.dimension == dimension and (not cues or c.cue in cues) and c.points != 0
        ]

    # --- scope -----------------------------------------------------------------------------------------------
    def _quoted_regions(self) -> bytearray:
        """Quoted or reported customer speech (rubric pitfall 4): 「…」 “…” "…", and 您说… / you said… to the
        end of the clause."""
        text = self.text
        n = len(text)
        quoted = bytearray(n)
        i = 0
        while (opening := _QUOTE_OPEN.search(text, i)) is not None:
            i = opening.start()
            j = text.find(_QUOTE_PAIRS[text[i]], i + 1)
            if j != -1 and j - i <= 400:
                quoted[i : j + 1] = b"\x01" * (j + 1 - i)
                i = j + 1
            else:
                i += 1
        for m in self.by_cue.get("quote_intro", []):
            cl_end = self.clauses[self.clause_of[m.start]][1] if n else 0
            quoted[m.start : cl_end] = b"\x01" * (cl_end - m.start)
        return quoted

    def in_quotes(self, m: Match) -> bool:
        return bool(self.quoted[m.start]) and bool(self.quoted[m.end - 1])

    def tokens_between(self, a: int, b: int) -> int:
        """Number of tokens lying entirely within [a, b)."""
        if b <= a:
            return 0
        return max(0, self.ends_upto[b] - self.ends_upto[a])

    def negator_before(self, m: Match, cue: str = "negator", *, overlap: int = 0) -> Match | None:
        """A match of ``cue`` (by default a negator) close before ``m`` in the same clause, if any (rubric
        pitfall 3: negation scope). ``overlap``: how many characters the two may share (blame phrases that begin
        with the copula, 是您操作的, after 不是)."""
        scopes = self.by_cue.get(cue)
        if not scopes:
            return None
        starts = self._scope_starts.get(cue)
        if starts is None:
            starts = self._scope_starts[cue] = [x.start for x in scopes]
        clause = self.clause_of[m.start]
        i = bisect.bisect_left(starts, m.start) - 1
        for neg in scopes[max(0, i - 2) : i + 1][::-1]:
            # with ``overlap``, a negator may share its last character with the cue: 不是 + 是您操作的
            if neg.start >= m.start or neg.end > m.start + overlap or self.clause_of[neg.start] != clause:
                continue
            if self.tokens_between(neg.end, m.start) <= weights.NEGATION_WINDOW_TOKENS:
                return neg
        return None

    def live(self, *cues: str, quotes: bool = False) -> list[Match]:
        """Matches of ``cues`` that speak for the agent: outside quoted speech unless ``quotes`` or the rule
        says it counts there. (Cached: detectors ask for the same cues many times.)"""
        key = (cues, quotes)
        cached = self._live_cache.get(key)
        if cached is not None:
            return cached
        out = []
        for m in self.cue(*cues):
            rule = self.rule(m)
            allow = rule.in_quotes if rule.in_quotes is not None else quotes
            if not allow and self.in_quotes(m):
                continue
            out.append(m)
        self._live_cache[key] = out
        return out

    def live_between(self, cues: tuple[str, ...], start: int, end: int) -> list[Match]:
        """Live matches of ``cues`` starting in [start, end)."""
        found = self.live(*cues)
        starts = self._live_starts.get(cues)
        if starts is None:  # cached: detectors ask for many windows of the same cues
            starts = self._live_starts[cues] = [m.start for m in found]
        return found[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]

    def offers(self) -> list[Match]:
        """Offer markers ("I can", 给您) that commit the agent: not those inside a rule ("we can only")."""
        offers = self.live("offer")
        rules = self.live("justification")
        if not offers or not rules:
            return offers
        inside = bytearray(len(self.text) + 1)  # linear in the covered length, whatever the number of matches
        for r in rules:
            inside[r.start : r.end] = b"\x01" * (r.end - r.start)
        return [m for m in offers if not (inside[m.start] and inside[m.end - 1])]

    def same_sentence(self, a: int, b: int) -> bool:
        return self.sentence_of[a] == self.sentence_of[b]

    def sentence_span(self, pos: int) -> tuple[int, int]:
        return self.sentences[self.sentence_of[pos]]
