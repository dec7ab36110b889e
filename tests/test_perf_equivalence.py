"""The fast paths added for speed (issue 5) give exactly what the straightforward code gives."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from apology_score.lexicon import loader
from apology_score.pipeline.match import ENTITY_GATES, ENTITY_PATTERNS
from apology_score.pipeline.normalize import _normalize_slow, normalize

#: Characters where normalization is subtle: white space of all kinds, format characters (dropped),
#: characters whose fold expands (ß, ﬁ, …, ¨ -> " \u0308"), full-width forms, Traditional Chinese, CJK
#: punctuation, surrogates, astral characters.
TRICKY = [
    *"ab Z9 \n\t\r\x0b\x00\x85\u2028\u3000\u00a0。,!…`’´\u200b\u200d\ufeff\u00a8ＡＢ１ß\ufb01㈱﹏臺灣抱歉【】「」",
    *("\ud800", "\U00020001", "\U0001f642", "\ufe0f"),
]


def same(text: str) -> None:
    fast, slow = normalize(text), _normalize_slow(text)
    assert (fast.text, fast.starts, fast.ends) == (slow.text, slow.starts, slow.ends), repr(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TRICKY), max_size=16).map("".join))
def test_normalize_matches_reference_on_tricky_text(text: str) -> None:
    same(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_normalize_matches_reference_on_any_text(text: str) -> None:
    same(text)


def test_normalize_examples() -> None:
    for text in ("", " ", "\n\n", "  非常 抱歉  ", "抱 \u200b 歉", "a \n b", "Sorry…  we ¨ ship", "ﬁne\u200d\n"):
        same(text)


GATE_ALPHABET = [
    *"0123456789$¥€£元块点时月日号周星期礼拜年一二三十半 .:/-#abcdefnoryjm٣",
    *("monday", "may 3", "order ", "订单号", "usd", "pm", "sept 12th"),
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(GATE_ALPHABET), max_size=8).map("".join))
def test_entity_gates_are_necessary_conditions(text: str) -> None:
    for name, gate in ENTITY_GATES.items():
        if any(m.end() > m.start() for m in ENTITY_PATTERNS[name].finditer(text)):
            assert gate.search(text), (name, text)


def test_libyaml_and_python_loaders_read_the_lexicons_alike() -> None:
    if loader._LexiconCLoader is None:
        return  # PyYAML without libyaml: only the Python loader exists
    for path in loader.discover([loader.builtin_lexicon_dir()]):
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=loader._LexiconCLoader) == yaml.load(text, Loader=loader.LexiconLoader)


def test_yaml_1_2_booleans_with_libyaml() -> None:
    _, data = loader._parse_yaml("phrases: [no, off, yes, on]\nflag: true\n")
    assert data == {"phrases": ["no", "off", "yes", "on"], "flag": True}


def test_sequence_index_finds_what_trying_every_sequence_finds() -> None:
    """A sequence is tried only when a fragment of its most selective element matched; trying every sequence on
    every text must find exactly the same matches (here on the gold replies and every rule example)."""
    import json
    from pathlib import Path

    from apology_score.pipeline.core import get_pipeline
    from apology_score.pipeline.match import CompiledLexicon, match

    pipeline = get_pipeline()
    lex = pipeline.lex
    brute = CompiledLexicon.__new__(CompiledLexicon)
    brute.__dict__.update(lex.__dict__)
    brute.sequences_by_fragment = {}
    brute.sequences_always = list(range(len(lex.sequences)))
    gold = Path(__file__).parents[1] / "benchmarks" / "gold" / "gold.jsonl"
    texts = [json.loads(line)["text"] for line in gold.read_text(encoding="utf-8").splitlines()[::7]]
    texts += [t for r in lex.rules for t in (*r.examples.fires, *r.examples.silent)]
    assert lex.sequences and len(texts) > 1000
    for text in texts:
        doc = pipeline.analyze(text)
        args = (doc.text, set(doc.tokens.starts), set(doc.tokens.ends), doc.placeholders, doc.sentence_of,
                doc.clause_of)
        assert match(lex, *args) == match(brute, *args), text
