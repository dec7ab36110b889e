"""Stage 1: normalize. Text the user passed in -> normalized text plus an offset map back to the original.

What is folded (rubric pitfall 8): Unicode NFKC (which also turns full-width letters, digits and punctuation
into half-width), case (``str.casefold``), Traditional to Simplified Chinese (OpenCC ``t2s``), 你 to 您 and
written Cantonese function words to Mandarin (咗 了, 嘅 的, 冇 没, 唔 不, 哋 们 …: :func:`fold_variants`), typographic
apostrophes to ``'``, zero-width and bidirectional format characters (removed, so 抱\u200b歉 is 抱歉),
control characters and lone surrogates (to spaces), runs of white space (to one space), and white space
between two Chinese characters (removed: pre-segmented "非常 抱歉" is "非常抱歉").

Every normalized character remembers the span of original characters it came from, so a match on the
normalized text maps back to ``original[start:end]`` exactly.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'", "\u2032": "'"}
_SPACE = " "


def is_han(ch: str) -> bool:
    """A CJK ideograph (the Chinese script), including the common extension blocks."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3134F
    )


def _is_cjk_punct(ch: str) -> bool:
    o = ord(ch)
    return 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or ch in "【】「」『』"


#: The characters of :func:`is_han`, as a regular-expression class.
HAN_CLASS = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = re.compile(f"[{HAN_CLASS}]")
#: Characters that white space between them is removed for (:func:`is_han` or :func:`_is_cjk_punct`).
_JOINER = f"{HAN_CLASS}\u3000-\u303f\uff00-\uffef【】「」『』"


def _joins(ch: str) -> bool:
    return is_han(ch) or _is_cjk_punct(ch)


#: White-space runs of the folded text that normalization changes: leading, trailing, two or more
#: characters, or a single space between two Chinese characters (a single space or new line elsewhere
#: stays as it is).
_WS_EDIT = re.compile(f"^[ \n]+|[ \n]+\\Z|[ \n]{{2,}}|(?<=[{_JOINER}]) (?=[{_JOINER}])")
_JOINER_RE = re.compile(f"[{_JOINER}]")


def _may_need_ws_edit(folded: str) -> bool:
    """False when :data:`_WS_EDIT` surely finds nothing (checked with fast substring tests: scanning the
    regular expression costs about 0.1 us per character, these checks a few ns)."""
    return (
        folded.startswith((" ", "\n"))
        or folded.endswith((" ", "\n"))
        or any(pair in folded for pair in ("  ", " \n", "\n ", "\n\n"))
        or (" " in folded and _JOINER_RE.search(folded) is not None)
    )


#: What :data:`_FOLD` gives a character whose fold is not exactly one character.
_UNFOLDED = re.compile("\x00")


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """What one original character becomes: "" (dropped), " " (a space) or its folded form."""
    cat = unicodedata.category(ch)
    if cat == "Cf":  # zero-width, BOM, bidi marks and isolates, soft hyphen
        return ""
    if ch in "\n\u2028\u2029\x85":
        return "\n"
    if cat in ("Cc", "Cs", "Co", "Cn") or cat.startswith("Z"):
        return _SPACE
    if ch in _APOSTROPHES:
        return "'"
    folded = unicodedata.normalize("NFKC", ch).casefold()
    folded = "".join(_APOSTROPHES.get(c, c) for c in folded)
    # NFKC can produce characters that themselves need folding (e.g. compatibility spaces)
    return "".join(
        _SPACE if (unicodedata.category(c) in ("Cc", "Cs") or unicodedata.category(c).startswith("Z")) else c
        for c in folded
        if unicodedata.category(c) != "Cf"
    )


_converter_lock = threading.Lock()
_converter: Any = None


def _t2s() -> Any:
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC("t2s")
    return _converter


@lru_cache(maxsize=65536)
def _t2s_char(ch: str) -> str:
    out: str = _t2s().convert(ch)
    return out if len(out) == 1 else ch


#: Variants folded one character for one after Traditional -> Simplified, so one lexicon covers them: the
#: plain second person 你 is the polite 您 for the cues (a reply is not less evasive for being curt), and
#: written Cantonese function words become their Mandarin forms (我哋冇办法 is 我们没办法, 唔关我哋事 is 不关我们事,
#: 帮你退咗 is 帮您退了). 唔该 ("thank you, please") is not 不该 ("should not"), so it is folded first.
_VARIANT_WORDS = {"唔该": "谢谢"}
_VARIANTS = str.maketrans({
    "你": "您", "咗": "了", "嘅": "的", "喺": "在", "佢": "他", "哋": "们", "冇": "没", "唔": "不", "嚟": "来",
    "俾": "给", "啲": "些", "睇": "看",
})
_VARIANT_RE = re.compile("[你咗嘅喺佢哋冇唔嚟俾啲睇]")


def fold_variants(text: str) -> str:
    """Fold the variants of :data:`_VARIANTS` (one character for one: offsets are kept)."""
    if not _VARIANT_RE.search(text):
        return text
    for word, plain in _VARIANT_WORDS.items():
        text = text.replace(word, plain)
    return text.translate(_VARIANTS)


def to_simplified(text: str) -> str:
    """Traditional -> Simplified and :func:`fold_variants`, guaranteed to keep the length (one character for
    one)."""
    if not HAN_RE.search(text):
        return text
    converted: str = _t2s().convert(text)
    if len(converted) != len(text):
        converted = "".join(_t2s_char(c) if is_han(c) else c for c in text)
    return fold_variants(converted)


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table: code point -> its fold when that is one character, else ``"\\x00"`` (the
    character is dropped or expands). Filled on first use of each character; ``"\\x00"`` itself folds to
    a space, so it never stands for a real fold."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        value = folded if len(folded) == 1 else "\x00"
        self[code] = value
        return value


_FOLD = _FoldTable()


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """The normalized text and, for each of its characters, the original span it came from."""

    original: str
    text: str
    starts: list[int]
    ends: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span [start, end) to the original text."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def normalize(original: str) -> NormalizedText:
    """Normalize ``original`` (see the module doc).

    Two passes over whole strings instead of one Python step per character:

    1. fold: ``str.translate`` with :data:`_FOLD` maps every character to its one-character fold; the rare
       characters that are dropped or expand to several characters come out as ``\\x00`` and are patched
       one by one. ``src[k]`` is the original index of folded character ``k``.
    2. white space: only the runs that change (leading, trailing, two or more characters, or one space
       between two Chinese characters) are found by :data:`_WS_EDIT` and collapsed or dropped exactly as
       :func:`_normalize_slow` does; everything between them is copied as slices.
    """
    mapped = original.translate(_FOLD)
    n = len(original)
    src: Sequence[int] = range(n)
    folded = mapped
    if "\x00" in mapped:
        pieces: list[str] = []
        src_list: list[int] = []
        pos = 0
        for m in _UNFOLDED.finditer(mapped):
            i = m.start()
            full = fold_char(original[i])
            if " " in full or "\n" in full:  # e.g. NFKC("¨") == " \u0308": keep the reference behaviour
                return _normalize_slow(original)
            pieces += (mapped[pos:i], full)
            src_list += range(pos, i)
            src_list += [i] * len(full)
            pos = i + 1
        pieces.append(mapped[pos:])
        src_list += range(pos, n)
        folded = "".join(pieces)
        src = src_list
    ends: Sequence[int] = range(1, n + 1) if isinstance(src, range) else [i + 1 for i in src]
    edits = list(_WS_EDIT.finditer(folded)) if _may_need_ws_edit(folded) else []
    if not edits:
        return NormalizedText(original, to_simplified(folded), list(src), list(ends))
    out: list[str] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    pos = 0
    last = len(folded)
    for m in edits:
        a, b = m.span()
        out.append(folded[pos:a])
        out_starts += src[pos:a]
        out_ends += ends[pos:a]
        if a > 0 and b < last:  # an inside run (leading and trailing runs are dropped)
            newline = "\n" in folded[a:b]
            if newline or not (_joins(folded[a - 1]) and _joins(folded[b])):
                out.append("\n" if newline else " ")
                out_starts.append(src[a])
                out_ends.append(ends[b - 1])
        pos = b
    out.append(folded[pos:])
    out_starts += src[pos:]
    out_ends += ends[pos:]
    return NormalizedText(original, to_simplified("".join(out)), out_starts, out_ends)


def _normalize_slow(original: str) -> NormalizedText:
    """The reference algorithm, one character at a time (used when a fold expands to white space)."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending_space: int = -1  # original index where a pending run of white space began
    pending_end: int = -1
    pending_newline = False
    prev_char = ""
    for i, ch in enumerate(original):
        folded = fold_char(ch)
        if not folded:
            continue
        if folded == " " or folded == "\n":
            if pending_space < 0:
                pending_space = i
            pending_end = i + 1
            pending_newline = pending_newline or folded == "\n"
            continue
        if pending_space >= 0:
            first = folded[0]
            joins_han = prev_char and (
                (is_han(prev_char) or _is_cjk_punct(prev_char)) and (is_han(first) or _is_cjk_punct(first))
            )
            if prev_char and (pending_newline or not joins_han):
                chars.append("\n" if pending_newline else " ")
                starts.append(pending_space)
                ends.append(pending_end)
            pending_space = -1
            pending_newline = False
        for c in folded:
            chars.append(c)
            starts.append(i)
            ends.append(i + 1)
        prev_char = folded[-1]
    text = "".join(chars)
    simplified = to_simplified(text)
    return NormalizedText(original=original, text=simplified, starts=starts, ends=ends)
