"""The pipeline: normalize -> tokenize -> match -> detect -> score -> report, compiled once per config.

``Pipeline(config)`` loads and compiles the lexicons, picks the segmenter from the registry and runs the
registered detectors in order. Pipelines are cached per distinct :class:`Config` and shared by threads
(everything they hold is read-only after construction; lazy parts are guarded by locks).
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import replace

from apology_score import detect as _detect  # noqa: F401  (registers the detectors)
from apology_score._version import __version__
from apology_score.config import DEFAULT_CONFIG, Config
from apology_score.errors import InputError, LexiconError
from apology_score.lexicon.loader import Ruleset, load_ruleset
from apology_score.pipeline.doc import Candidate, Doc
from apology_score.pipeline.match import CompiledLexicon, find_placeholders, match
from apology_score.pipeline.normalize import is_han, normalize
from apology_score.pipeline.score import Scored, Scores, score_doc
from apology_score.pipeline.suggest import suggest
from apology_score.pipeline.tokenize import (
    HAN_RUN,
    EnglishTokenizer,
    clauses,
    make_segmenter,
    sentences,
    tokenize,
)
from apology_score.registry import detectors
from apology_score.report import (
    DIMENSION_NAMES,
    DimensionScore,
    Finding,
    OverallBreakdown,
    RulesetInfo,
    ScoreReport,
)

#: A text is "mixed" when the smaller script has at least this share (Han characters vs Latin words).
MIXED_MIN_SHARE = 0.15
#: Latin letters per word, to compare Latin text with Han characters (one Han character ~ one word unit).
LATIN_LETTERS_PER_UNIT = 4.0
_LATIN_RUN = re.compile("[a-z]+")


def _span_index(spans: list[tuple[int, int]], n: int) -> list[int]:
    out = [0] * n
    for idx, (s, e) in enumerate(spans):
        out[s:e] = [idx] * (e - s)
        if idx + 1 < len(spans):
            nxt = spans[idx + 1][0]
            out[e:nxt] = [idx] * (nxt - e)
    return out


def detect_language(text: str, placeholders: list[tuple[int, int]]) -> tuple[str, str]:
    """(language, primary) with language in zh/en/mixed and primary in zh/en."""
    parts: list[str] = []
    pos = 0
    for s, e in placeholders:  # placeholders are not words of either language
        parts.append(text[pos:s])
        pos = e
    parts.append(text[pos:])
    masked = " ".join(parts)
    han = sum(map(len, HAN_RUN.findall(masked)))
    latin = sum(map(len, _LATIN_RUN.findall(masked))) / LATIN_LETTERS_PER_UNIT
    if han == 0 and latin == 0:
        return "en", "en"
    primary = "zh" if han >= latin else "en"
    if min(han, latin) / (han + latin) >= MIXED_MIN_SHARE:
        return "mixed", primary
    return primary, primary


class Pipeline:
    """A compiled scorer for one configuration."""

    def __init__(self, config: Config = DEFAULT_CONFIG) -> None:
        self.config = config
        full = load_ruleset(config.extra_lexicons)
        self.ruleset = _filtered(full, config)
        self.lex = CompiledLexicon(self.ruleset)
        self.segmenter = make_segmenter(config.segmenter)
        self.english = EnglishTokenizer()
        self.detectors = [detectors.get(name) for name in detectors.names()]
        if config.extra_lexicons:
            extra_files = {f.path for f in full.files if not f.builtin}
            check_examples(self, [r for r in self.ruleset.rules if self.ruleset.origin[r.id][0] in extra_files])

    # --- stages 1-4 ------------------------------------------------------------------------------------
    def analyze(self, text: str, context: str | None = None) -> Doc:
        norm = normalize(text)
        t = norm.text
        placeholders = find_placeholders(t)
        tokens = tokenize(t, placeholders, self.segmenter, self.english)
        sents = sentences(t)
        sentence_of = _span_index(sents, len(t))
        cls = clauses(t)
        clause_of = _span_index(cls, len(t))
        matches = match(self.lex, t, set(tokens.starts), set(tokens.ends), placeholders, sentence_of, clause_of)
        language, primary = detect_language(t, placeholders)
        doc = Doc(
            lex=self.lex,
            norm=norm,
            tokens=tokens,
            sentences=sents,
            sentence_of=sentence_of,
            clauses=cls,
            clause_of=clause_of,
            matches=matches,
            placeholders=placeholders,
            language=language,
            primary=primary,
            context=self.analyze(context) if context else None,
        )
        for detector in self.detectors:
            detector(doc)
        return doc

    # --- stages 5-6 ------------------------------------------------------------------------------------
    def __call__(self, text: str, context: str | None = None) -> ScoreReport:
        check_text(text, self.config)
        if context is not None:
            check_text(context, self.config, what="context")
        if not any(c.isalnum() for c in text):
            return self._empty(text)
        doc = self.analyze(text, context)
        scores = score_doc(doc, self.config)
        return self._report(doc, scores)

    def _finding(self, doc: Doc, s: Scored, language: str) -> Finding:
        c: Candidate = s.cand
        start, end = doc.norm.original_span(c.start, c.end)
        message = c.rule.message.zh if language == "zh" else c.rule.message.en
        return Finding(
            rule_id=c.rule.id,
            dimension=c.dimension,  # type: ignore[arg-type]
            cue=c.cue,
            start=start,
            end=end,
            text=doc.norm.original[start:end],
            contribution=round(s.contribution, 4),
            message=message,
            severity=c.rule.severity,
            note=s.note,
        )

    def _report(self, doc: Doc, scores: Scores) -> ScoreReport:
        lang = doc.primary
        dims = {
            name: DimensionScore(
                name=name,  # type: ignore[arg-type]
                score=r.score,
                level=r.level,
                base=r.base,
                clipped=r.clipped,
                findings=[self._finding(doc, s, lang) for s in r.findings],
            )
            for name, r in scores.dimensions.items()
        }
        evasions = [self._finding(doc, s, lang) for s in scores.evasions]
        notes = list(doc.notes)
        for rule_id, n in sorted(scores.truncated.items()):
            notes.append(f"{n} more repeats of {rule_id} are not listed (they add no points)")
        spans = {"evasion": (evasions[0].start, evasions[0].end)} if evasions else {}
        return ScoreReport(
            text=doc.norm.original,
            language=doc.language,  # type: ignore[arg-type]
            overall=scores.overall,
            grade=scores.grade,  # type: ignore[arg-type]
            dimensions=dims,  # type: ignore[arg-type]
            evasions=evasions,
            overall_breakdown=OverallBreakdown(
                weights=scores.weights,
                weighted=scores.weighted,
                evasion_penalty=scores.evasion_penalty,
                clipped=scores.overall_clipped,
            ),
            suggestions=suggest(scores, lang, doc.norm.original, spans),
            notes=notes,
            ruleset=self.ruleset_info,
            scorer_version=__version__,
        )

    @functools.cached_property
    def ruleset_info(self) -> RulesetInfo:
        """(Built once: the model is frozen and the same for every report of this pipeline.)"""
        return RulesetInfo(
            name=self.ruleset.name, version=self.ruleset.version, content_hash=self.ruleset.content_hash
        )

    def _empty(self, text: str) -> ScoreReport:
        has_han = any(is_han(c) for c in text)
        return ScoreReport(
            text=text,
            language="zh" if has_han else "en",
            overall=0.0,
            grade=self.config.grades.grade(0.0),  # type: ignore[arg-type]
            dimensions={
                name: DimensionScore(name=name, score=0.0, level=0, base=0.0, clipped=0.0, findings=[])
                for name in DIMENSION_NAMES
            },
            evasions=[],
            overall_breakdown=OverallBreakdown(
                weights={k: round(v, 4) for k, v in self.config.weights.model_dump().items()},
                weighted={name: 0.0 for name in DIMENSION_NAMES},
                evasion_penalty=0.0,
                clipped=0.0,
            ),
            suggestions=[],
            notes=["empty text: no letters, digits or Chinese characters to score"],
            ruleset=self.ruleset_info,
            scorer_version=__version__,
        )


def check_text(text: object, config: Config, *, what: str = "text") -> None:
    if not isinstance(text, str):
        hint = "; decode it first, e.g. data.decode('utf-8')" if isinstance(text, bytes | bytearray) else ""
        raise TypeError(f"score() expects the {what} as str, got {type(text).__name__}{hint}")
    if len(text) > config.max_length:
        raise InputError(
            f"the {what} is {len(text):,} characters long, over the limit of {config.max_length:,} "
            "(Config.max_length)"
        )


def _filtered(ruleset: Ruleset, config: Config) -> Ruleset:
    if not config.select and not config.ignore:
        return ruleset
    rules = tuple(r for r in ruleset.rules if config.rule_enabled(r.id))
    if not rules:
        raise LexiconError("select/ignore switched off every rule")
    digest = hashlib.sha256(
        (ruleset.content_hash + "|" + ",".join(config.select) + "|" + ",".join(config.ignore)).encode()
    ).hexdigest()[:12]
    return replace(ruleset, rules=rules, content_hash=digest)


def fired_rules(doc: Doc) -> set[str]:
    """Rule ids that fired: every rule behind a finding of its own dimension that counted (non-zero points, or
    an evasion), plus
    scope markers that matched outside quoted speech. A cue that was negated, or an ambiguous opener that
    turned out to open a refusal, did not fire."""
    fired = {
        c.rule.id
        for c in doc.candidates
        if c.dimension == c.rule.dimension and (c.points != 0 or c.dimension == "evasion")
    }
    for m in doc.matches:
        rule = doc.lex.rules[m.rule]
        if rule.dimension == "marker" and not (doc.in_quotes(m) and rule.cue != "quote_intro"):
            fired.add(rule.id)
    return fired


def check_examples(pipeline: Pipeline, rules: list[object]) -> None:
    """Raise LexiconError when a rule's examples do not behave as declared."""
    from apology_score.lexicon.schema import Rule

    for rule in rules:
        assert isinstance(rule, Rule)
        file, line, _ = pipeline.ruleset.origin[rule.id]
        for field, texts, should in (("fires", rule.examples.fires, True), ("silent", rule.examples.silent, False)):
            for i, example in enumerate(texts):
                fired = rule.id in fired_rules(pipeline.analyze(example, rule.examples.context))
                if fired != should:
                    verb = "does not fire" if should else "fires"
                    raise LexiconError(
                        f"example {example!r} {verb}, but it is listed under {field}",
                        file=file,
                        line=line,
                        rule_id=rule.id,
                        field=f"examples.{field}[{i}]",
                    )


#: Compiled pipelines kept per process, least recently used dropped first (a service that builds a new Config
#: per request must not grow without bound).
MAX_CACHED_PIPELINES = 16
_cache: OrderedDict[str, Pipeline] = OrderedDict()
_cache_lock = threading.Lock()
#: (config, key, pipeline) of the last lookup: scoring many texts with one Config object skips building the
#: key (a JSON dump of the config) on every call.
_last: tuple[Config, str, Pipeline] | None = None


def get_pipeline(config: Config | None = None) -> Pipeline:
    """The compiled pipeline for ``config`` (built once per process and config, thread-safe)."""
    global _last
    config = config or DEFAULT_CONFIG
    last = _last
    if last is not None and last[0] is config and _cache.get(last[1]) is last[2]:
        return last[2]
    key = config.model_dump_json()
    with _cache_lock:
        pipeline = _cache.get(key)
        if pipeline is None:
            pipeline = Pipeline(config)
            _cache[key] = pipeline
            while len(_cache) > MAX_CACHED_PIPELINES:
                _cache.popitem(last=False)
        else:
            _cache.move_to_end(key)
    _last = (config, key, pipeline)
    return pipeline
