"""Property-based tests (hypothesis): any ``str`` gives a valid, self-consistent report, and the scores do
not change under the foldings the normalizer promises (width, case, white space, Traditional/Simplified,
zero-width characters).

The normal suite runs a modest number of examples per property. ``pytest -m fuzz`` runs the long fuzz
mode (``APOLOGY_FUZZ_EXAMPLES`` examples, default 100,000); ``benchmarks/fuzz.py`` drives it from several
processes and summarizes the run.
"""

from __future__ import annotations

import json
import os
import unicodedata
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from apology_score import Config, DimensionWeights, GradeThresholds, ScoreReport, score
from apology_score.lexicon import load_ruleset
from apology_score.report import DIMENSION_NAMES

LEVEL_POINTS = 25.0
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- what the generated text is made of --------------------------------------------------------------------
RULESET = load_ruleset()


def _phrases(language: str) -> list[str]:
    out: set[str] = set()
    for rule in RULESET.rules:
        if RULESET.language_of(rule.id) != language:
            continue
        out.update(p.replace("~", "") for p in rule.phrases)
        for seq in rule.sequences:
            for element in seq.elements:
                if isinstance(element, list):
                    out.update(p.replace("~", "") for p in element)
    return sorted(out)


def _examples(language: str | None = None) -> list[str]:
    out: set[str] = set()
    for rule in RULESET.rules:
        if language is None or RULESET.language_of(rule.id) == language:
            out.update(rule.examples.fires)
            out.update(rule.examples.silent)
    return sorted(out)


ZH_PHRASES = _phrases("zh")
EN_PHRASES = _phrases("en")
ZH_EXAMPLES = _examples("zh")
EN_EXAMPLES = _examples("en")
ALL_EXAMPLES = _examples()
#: (rule id, example text) for every "fires" example of a lexicon rule that matches phrases.
FIRING = sorted(
    (rule.id, text)
    for rule in RULESET.rules
    if rule.phrases and rule.dimension != "marker"
    for text in rule.examples.fires
)

ZERO_WIDTH = [
    "\u200b",  # zero width space
    "\u200c",  # zero width non-joiner
    "\u200d",  # zero width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark / zero width no-break space
    "\u00ad",  # soft hyphen
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",  # left-to-right embedding
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2069",  # pop directional isolate
]
SEPARATORS = [" ", ",", ",", "。", "!", "?", ".", ". ", "\n", "\t", ";", ":", "、", "…", " - "]
SCOPE_WORDS = ['"', "「", "」", "“", "”", "但是", "but", "如果", "if", "not", "不", "没有", "您说", "you said"]
PARTICULARS = [
    "{order_id}", "{{ name }}", "【商品名】", "[订单x]", "%s", "¥20", "20元", "$15.50", "3点", "12月5日",
    "#12345", "2024-05-01", "Friday", "10:30 am", "123456789012",
]
MARKUP = ["<b>", "</b>", "<p>", "<br/>", "**", "_", "# ", "> ", "[link](http://example.com)", "&amp;", "`"]
ODD_CHARS = st.characters(categories=["Cs", "Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn", "So", "Mn", "Sk"])

piece = st.one_of(
    st.sampled_from(ZH_PHRASES),
    st.sampled_from(EN_PHRASES),
    st.sampled_from(ALL_EXAMPLES),
    st.sampled_from(SEPARATORS),
    st.sampled_from(SCOPE_WORDS),
    st.sampled_from(PARTICULARS),
    st.sampled_from(MARKUP),
    st.sampled_from(ZERO_WIDTH),
    st.text(max_size=6),
    ODD_CHARS,
    st.integers(0, 10**9).map(str),
)
#: Text that looks like (broken, scraped, adversarial) apology replies, in any language mix.
apology_like = st.lists(piece, max_size=24).map("".join)
#: Any text at all: anything above, or arbitrary code points (including lone surrogates).
any_text = st.one_of(
    apology_like,
    st.text(max_size=60),
    st.text(alphabet=st.one_of(st.characters(), ODD_CHARS), max_size=60),
)

#: A few configurations (each distinct config compiles its own pipeline, so keep the set small).
CONFIGS = [
    Config(),
    Config(grades=GradeThresholds(A=60, B=45, C=30, D=15), weights=DimensionWeights(remedy=1, sincerity=0.1)),
    Config(grades=GradeThresholds(A=95, B=95, C=20, D=5), evasion_penalty=60, ignore=("TIM-",)),
]


# --- the invariants every report satisfies -------------------------------------------------------------------
def check_report(text: str, report: ScoreReport, config: Config | None = None) -> None:
    """Assert everything a user may rely on in a report of ``text``."""
    config = config or Config()
    assert isinstance(report, ScoreReport)
    assert report.text == text
    assert report.language in ("zh", "en", "mixed")
    assert 0.0 <= report.overall <= 100.0
    assert report.grade == config.grades.grade(report.overall)
    assert set(report.dimensions) == set(DIMENSION_NAMES)
    for name, dim in report.dimensions.items():
        assert dim.name == name
        assert 0.0 <= dim.score <= 100.0, (name, dim.score)
        assert 0 <= dim.level <= 4
        assert abs(dim.level * LEVEL_POINTS - dim.score) <= LEVEL_POINTS / 2 + 1e-9, (name, dim)
        total = dim.base + sum(f.contribution for f in dim.findings) + dim.clipped
        assert total == pytest.approx(dim.score, abs=1e-3 + 1e-4 * len(dim.findings)), (name, dim)
        if dim.clipped:
            assert dim.score in (0.0, 100.0), (name, dim)
        assert all(f.dimension == name for f in dim.findings)
    assert all(f.dimension == "evasion" for f in report.evasions)
    assert all(f.contribution <= 0 for f in report.evasions)
    breakdown = report.overall_breakdown
    total = sum(breakdown.weighted.values()) + breakdown.evasion_penalty + breakdown.clipped
    assert total == pytest.approx(report.overall, abs=1e-3), breakdown
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text), f
        assert text[f.start : f.end] == f.text, f
        assert f.rule_id in RULESET.origin or any(f.rule_id == r.id for r in RULESET.rules), f
    starts = [(f.start, f.end) for f in report.findings]
    assert starts == sorted(starts)
    assert set(report.rule_ids) == {f.rule_id for f in report.findings}
    # serializable (lone surrogates, which UTF-8 cannot encode, are written as U+FFFD one for one)
    data = json.loads(report.model_dump_json())
    assert len(data["text"]) == len(text)
    for f in data["dimensions"]["sincerity"]["findings"] + data["evasions"]:
        assert data["text"][f["start"] : f["end"]] == f["text"]
    assert isinstance(report.explain(), str)


def scores_of(report: ScoreReport) -> dict[str, Any]:
    """What must not change under a folding: the scores, the grade and which rules fired."""
    return {
        "overall": report.overall,
        "grade": report.grade,
        "evasive": report.evasive,
        **{name: dim.score for name, dim in report.dimensions.items()},
        "rules": report.rule_ids,
    }


# --- any text -----------------------------------------------------------------------------------------------
@SETTINGS
@given(text=any_text)
def test_any_text_gives_a_valid_report(text: str) -> None:
    check_report(text, score(text))


@settings(SETTINGS, max_examples=30)
@given(text=apology_like, context=st.one_of(st.none(), any_text))
def test_any_context_gives_a_valid_report(text: str, context: str | None) -> None:
    check_report(text, score(text, context=context))


@settings(SETTINGS, max_examples=30)
@given(text=apology_like, config=st.sampled_from(CONFIGS))
def test_grade_follows_the_configured_thresholds(text: str, config: Config) -> None:
    report = score(text, config=config)
    check_report(text, report, config)
    grades = config.grades
    expected = next((g for g in "ABCD" if report.overall >= getattr(grades, g)), "F")
    assert report.grade == expected


@SETTINGS
@given(text=st.text(alphabet=st.characters(categories=["Cs"]), min_size=1, max_size=5), prefix=apology_like)
def test_lone_surrogates_anywhere(text: str, prefix: str) -> None:
    check_report(prefix + text, score(prefix + text))


# --- invariances ---------------------------------------------------------------------------------------------
def to_fullwidth(text: str) -> str:
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


def to_halfwidth(text: str) -> str:
    return "".join(
        " " if c == "\u3000" else chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text
    )


@SETTINGS
@given(text=apology_like)
def test_fullwidth_and_halfwidth_score_the_same(text: str) -> None:
    base = scores_of(score(text))
    assert scores_of(score(to_fullwidth(text))) == base
    assert scores_of(score(to_halfwidth(text))) == base


english_like = st.lists(
    st.one_of(
        st.sampled_from(EN_PHRASES), st.sampled_from(EN_EXAMPLES), st.sampled_from(SEPARATORS),
        st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=6),
    ),
    max_size=20,
).map("".join)


@SETTINGS
@given(text=english_like, flips=st.lists(st.booleans(), min_size=64, max_size=64))
def test_case_does_not_change_the_scores(text: str, flips: list[bool]) -> None:
    mixed = "".join(c.swapcase() if flips[i % len(flips)] else c for i, c in enumerate(text))
    base = scores_of(score(text))
    assert scores_of(score(mixed)) == base
    assert scores_of(score(text.upper())) == base


@SETTINGS
@given(text=apology_like, runs=st.lists(st.sampled_from(["  ", "\t", " \t ", "\u3000", "\u00a0", "   "]),
                                         min_size=1, max_size=8))
def test_extra_white_space_does_not_change_the_scores(text: str, runs: list[str]) -> None:
    pieces = text.split(" ")
    widened = "".join(
        p + (" " + runs[i % len(runs)] if i < len(pieces) - 1 else "") for i, p in enumerate(pieces)
    )
    padded = runs[0] + widened + runs[-1]
    base = scores_of(score(text))
    assert scores_of(score(padded)) == base


@cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


chinese_apology = st.lists(
    st.one_of(
        st.sampled_from(ZH_PHRASES), st.sampled_from(ZH_EXAMPLES),
        st.sampled_from(["我们", "您的", "订单", "今天", "已经", "非常", "会", "的", "了"]),
        st.sampled_from([",", "。", "!", "?", ";", ","]),
    ),
    min_size=1,
    max_size=12,
).map("".join)


@SETTINGS
@given(text=chinese_apology)
def test_traditional_and_simplified_score_the_same(text: str) -> None:
    traditional: str = _s2t().convert(text)
    assume(len(traditional) == len(text))
    assert scores_of(score(traditional)) == scores_of(score(text))


@SETTINGS
@given(text=chinese_apology)
def test_plain_and_polite_second_person_score_the_same(text: str) -> None:
    """你 and 您 are one cue (normalize.fold_variants): "你误会了" is the denial "您误会了"."""
    assert scores_of(score(text.replace("您", "你"))) == scores_of(score(text.replace("你", "您")))


@SETTINGS
@given(
    case=st.sampled_from(FIRING),
    mark=st.sampled_from(ZERO_WIDTH),
    where=st.floats(0, 1, exclude_max=True),
)
def test_zero_width_inside_a_cue_does_not_hide_it(case: tuple[str, str], mark: str, where: float) -> None:
    rule_id, example = case
    report = score(example)
    hits = [f for f in report.findings if f.rule_id == rule_id and f.end - f.start >= 2]
    assume(hits)
    f = hits[0]
    at = f.start + 1 + int(where * (f.end - f.start - 1))
    broken = example[:at] + mark + example[at:]
    again = score(broken)
    assert rule_id in again.rule_ids, (broken, again.rule_ids)
    assert scores_of(again) == scores_of(report)
    check_report(broken, again)


@SETTINGS
@given(text=apology_like, marks=st.lists(st.tuples(st.sampled_from(ZERO_WIDTH), st.floats(0, 1)), max_size=6))
def test_format_characters_anywhere_change_nothing(text: str, marks: list[tuple[str, float]]) -> None:
    broken = text
    for mark, where in marks:
        at = int(where * len(broken))
        broken = broken[:at] + mark + broken[at:]
    assert scores_of(score(broken)) == scores_of(score(text))


REMEDY_SENTENCES = [
    "我们今天为您全额退款。",
    "我们已为您补发一件新的。",
    "We will send you a replacement today.",
    "We have refunded the full amount.",
]


@SETTINGS
@given(text=apology_like, remedy=st.sampled_from(REMEDY_SENTENCES), sep=st.sampled_from(["\n", "。", "!\n"]))
def test_appending_a_concrete_remedy_never_lowers_remedy(text: str, remedy: str, sep: str) -> None:
    before = score(text).dimensions["remedy"].score
    after = score(text + sep + remedy).dimensions["remedy"].score
    assert after >= before
    assert after >= 2 * LEVEL_POINTS or '"' in text or "“" in text or "「" in text


# --- fuzz mode ---------------------------------------------------------------------------------------------
FUZZ_EXAMPLES = int(os.environ.get("APOLOGY_FUZZ_EXAMPLES", "100000"))
_fuzz_count = {"examples": 0, "chars": 0, "nonascii": 0}


@pytest.mark.fuzz
@pytest.mark.timeout(0)
def test_fuzz_any_text() -> None:
    """The long run: every generated text, context and config gives a valid report."""

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(text=any_text, context=st.one_of(st.none(), apology_like), config=st.sampled_from(CONFIGS))
    def run(text: str, context: str | None, config: Config) -> None:
        _fuzz_count["examples"] += 1
        _fuzz_count["chars"] += len(text)
        _fuzz_count["nonascii"] += any(unicodedata.category(c) in ("Cs", "Cf", "Cc") for c in text)
        check_report(text, score(text, context=context, config=config), config)

    run()
    print(
        f"\nFUZZ-RESULT examples={_fuzz_count['examples']} chars={_fuzz_count['chars']} "
        f"with_control_format_or_surrogate={_fuzz_count['nonascii']}"
    )
    assert _fuzz_count["examples"] >= FUZZ_EXAMPLES * 0.9
