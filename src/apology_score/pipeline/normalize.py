"""Stage 1: normalize. Text the user passed in -> normalized text plus an offset map back to the original.

What is folded (rubric pitfall 8): Unicode NFKC (which also turns full-width letters, digits and punctuation
into half-width), case (``str.casefold``), Traditional to Simplified Chinese (OpenCC ``t2s``), typographic
apostrophes to ``'``, zero-width and bidirectional format characters (removed, so 抱\u200b歉 is 抱歉),
control characters and lone surrogates (to spaces), runs of white space (to one space), and white space
between two Chinese characters (removed: pre-segmented "非常 抱歉" is "非常抱歉").

Every normalized character remembers the span of original characters it came from, so a match on the
normalized text maps back to ``original[start:end]`` exactly.
"""

from __future__ import annotations

import threading
import unicodedata
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


def to_simplified(text: str) -> str:
    """Traditional -> Simplified, guaranteed to keep the length (one character for one)."""
    if not any(is_han(c) for c in text):
        return text
    converted: str = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_t2s_char(c) if is_han(c) else c for c in text)


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
    """Normalize ``original`` (see the module doc)."""
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
