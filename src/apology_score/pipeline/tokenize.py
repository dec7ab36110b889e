"""Stage 2: tokenize. Normalized text -> one token stream for Chinese, English and mixed text.

The text is split into script runs. Han runs go through a Chinese segmenter (a *private*
``jieba.Tokenizer()``, never jieba's global dictionary; or rjieba, the jieba-rs binding, with the ``fast``
extra), runs containing Latin letters go through spaCy's rule-based English tokenizer (a blank pipeline: no
model is downloaded or loaded), template placeholders are single tokens, and everything else is one token
per punctuation mark or digit run. spaCy is imported only when the text has Latin letters.

Sentences and clauses are cut at terminal / clause punctuation of both languages.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from apology_score.cache import cache_dir
from apology_score.pipeline.normalize import HAN_CLASS
from apology_score.registry import segmenters

#: Ends a sentence: Chinese and ASCII terminal punctuation, ellipsis, new line; '.' only before space/end.
_SENTENCE_END = re.compile(r"[。!?;…\n]+|\.(?=\s|$)(?<!\d\.)")
#: Ends a clause (a scope window for negation and quotes): sentence ends plus commas and colons, but not a comma
#: or colon inside a number or a time (5,000 miles; 10:30).
_CLAUSE_END = re.compile(r"[。!?;…\n、—]+|(?<!\d)[,:]+|[,:]+(?!\d)|\.(?=\s|$)(?<!\d\.)|\s[-–]\s")
_LATIN = re.compile(r"[a-z]")
#: Chinese punctuation that NFKC leaves alone; it separates tokens like white space does.
_CJK_PUNCT = re.compile(r"[。、「」『』《》【】〔〕〈〉…·•]")
#: A run of Chinese characters (see :func:`apology_score.pipeline.normalize.is_han`).
HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
#: Longest run without white space given to spaCy's tokenizer (longer runs: see EnglishTokenizer).
MAX_SPACY_RUN = 100
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_SPACY_RUN + 1},}}")
_SIMPLE_TOKEN = re.compile(r"\w+|[^\w\s]")
_MARKUP_TO_SPACE = str.maketrans("<>[]()", "      ")


@dataclass(frozen=True, slots=True)
class Tokens:
    """Token spans in normalized-text coordinates (parallel lists; no per-token objects)."""

    starts: list[int]
    ends: list[int]
    #: token index of each normalized character (-1 for white space)
    index_of_char: list[int]

    def __len__(self) -> int:
        return len(self.starts)

    def texts(self, text: str) -> list[str]:
        return [text[s:e] for s, e in zip(self.starts, self.ends, strict=True)]


def _import_jieba() -> Any:
    """``import jieba``, without letting it import ``pkg_resources`` when nothing else has.

    jieba 0.42 tries ``import pkg_resources`` only to open its bundled data files and falls back to plain
    ``open()`` when that import fails. Importing ``pkg_resources`` scans every installed distribution (0.3 to
    0.5 s, most of a cold start), so it is hidden for the duration of this one import.
    """
    import sys

    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba
    finally:
        if sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


class JiebaSegmenter:
    """jieba with a private dictionary instance and its cache in the user cache directory."""

    name = "jieba"

    def __init__(self) -> None:
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    # jieba's own logger is left alone (process-global); the CLI quiets it as an application
                    jieba = _import_jieba()
                    tk = jieba.Tokenizer()
                    directory = cache_dir()
                    # if the cache directory cannot be made, jieba falls back to its own temporary directory
                    with contextlib.suppress(OSError):
                        directory.mkdir(parents=True, exist_ok=True)
                        tk.tmp_dir = str(directory)
                    tk.initialize()
                    self._tokenizer = tk
        return self._tokenizer

    def cut(self, text: str) -> list[str]:
        words: list[str] = self._load().lcut(text, HMM=True)
        return words


class RJiebaSegmenter:
    """rjieba (jieba-rs): the same dictionary and algorithm, compiled."""

    name = "rjieba"

    def __init__(self) -> None:
        import rjieba

        self._cut: Callable[[str], list[str]] = rjieba.cut

    def cut(self, text: str) -> list[str]:
        return self._cut(text)


segmenters.register("jieba", JiebaSegmenter)
segmenters.register("rjieba", RJiebaSegmenter)


def make_segmenter(name: str) -> Any:
    """``auto`` picks rjieba when it is installed, else jieba."""
    if name == "auto":
        try:
            return RJiebaSegmenter()
        except ImportError:
            return JiebaSegmenter()
    return segmenters.get(name)()


class EnglishTokenizer:
    """spaCy's English tokenizer from a blank pipeline, loaded on first use (thread-safe)."""

    def __init__(self) -> None:
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def __call__(self, text: str) -> Iterable[tuple[int, int]]:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    self._tokenizer = _english_tokenizer()
        # markup glues words to tags ("<b>sorry</b>", "[sorry](url)"): those characters separate tokens
        text = text.translate(_MARKUP_TO_SPACE)
        if len(text) > MAX_SPACY_RUN and _LONG_RUN.search(text):
            return self._split_long_runs(text)
        with self._lock:  # the tokenizer's cache is not documented as thread-safe
            doc = self._tokenizer(text)
            return [(t.idx, t.idx + len(t.text)) for t in doc if not t.text.isspace()]

    def _split_long_runs(self, text: str) -> list[tuple[int, int]]:
        """spaCy's prefix/suffix/URL handling is quadratic in the length of one run without white space
        ("http://a.b/" * 10_000 takes minutes): runs longer than MAX_SPACY_RUN get a simple linear split
        into word-character runs and single symbols; everything between them still goes to spaCy."""
        out: list[tuple[int, int]] = []
        pos = 0
        for run in _LONG_RUN.finditer(text):
            if run.start() > pos:
                out.extend((pos + s, pos + e) for s, e in self(text[pos : run.start()]))
            out.extend(m.span() for m in _SIMPLE_TOKEN.finditer(text, run.start(), run.end()))
            pos = run.end()
        if pos < len(text):
            out.extend((pos + s, pos + e) for s, e in self(text[pos:]))
        return out


def _english_tokenizer() -> Any:
    """spaCy's English tokenizer, built from the same defaults as ``spacy.blank("en")`` but without creating a
    ``Language`` (which would import every installed spaCy plugin)."""
    from spacy.lang.en import English
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
    from spacy.vocab import Vocab

    defaults = English.Defaults
    return Tokenizer(
        Vocab(),
        rules=defaults.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(defaults.prefixes or ()).search,
        suffix_search=compile_suffix_regex(defaults.suffixes or ()).search,
        infix_finditer=compile_infix_regex(defaults.infixes).finditer,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


def tokenize(
    text: str,
    placeholders: list[tuple[int, int]],
    segmenter: Any,
    english: EnglishTokenizer,
) -> Tokens:
    """Tokenize normalized ``text``; ``placeholders`` (sorted spans) become single tokens."""
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)

    def emit_other(a: int, b: int) -> None:
        """A run with no Han characters: spaCy when it has Latin letters, else punctuation/digits. Chinese
        punctuation splits the run first (spaCy would glue "299。we" into one token)."""
        if a >= b:
            return
        chunk = text[a:b]
        if _LATIN.search(chunk) and _CJK_PUNCT.search(chunk):
            i = a
            for p in _CJK_PUNCT.finditer(text, a, b):
                emit_other(i, p.start())
                starts.append(p.start())
                ends.append(p.end())
                i = p.end()
            emit_other(i, b)
            return
        if _LATIN.search(chunk):
            for s, e in english(chunk):
                starts.append(a + s)
                ends.append(a + e)
            return
        j = a
        while j < b:
            ch = text[j]
            if ch.isspace():
                j += 1
                continue
            k = j + 1
            if ch.isdigit():
                while k < b and (text[k].isdigit() or (text[k] in ".:," and k + 1 < b and text[k + 1].isdigit())):
                    k += 1
            starts.append(j)
            ends.append(k)
            j = k

    def emit_plain(a: int, b: int) -> None:
        """Han runs go to the segmenter, the pieces between them to :func:`emit_other`."""
        i = a
        for run in HAN_RUN.finditer(text, a, b):
            emit_other(i, run.start())
            pos = run.start()
            for word in segmenter.cut(run.group()):
                starts.append(pos)
                pos += len(word)
                ends.append(pos)
            i = run.end()
        emit_other(i, b)

    pos = 0
    for ps, pe in placeholders:
        emit_plain(pos, ps)
        starts.append(ps)
        ends.append(pe)
        pos = pe
    emit_plain(pos, n)
    index_of_char = [-1] * n
    for idx, (s, e) in enumerate(zip(starts, ends, strict=True)):
        index_of_char[s:e] = [idx] * (e - s)
    return Tokens(starts=starts, ends=ends, index_of_char=index_of_char)


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Cut ``text`` at the separators found by ``pattern``: the pieces in between, separators attached."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in pattern.finditer(text):
        end = m.end()
        if end > start and text[start:end].strip():
            out.append((start, end))
        start = end
    if start < len(text) and text[start:].strip():
        out.append((start, len(text)))
    return out or [(0, len(text))]


def sentences(text: str) -> list[tuple[int, int]]:
    return spans(_SENTENCE_END, text)


def clauses(text: str) -> list[tuple[int, int]]:
    return spans(_CLAUSE_END, text)
