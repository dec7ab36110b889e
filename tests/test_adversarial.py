"""Adversarial inputs: each gives a valid report within a generous time bound, time grows linearly with the
length of the input, wrong types and over-long texts raise clear errors, and a user lexicon cannot make
matching blow up (lexicons accept no raw regular expressions).

The time bounds are deliberately loose (they catch a quadratic or exponential blow-up, not a slow machine):
a 1 MB text must finish in well under a minute, and quadrupling an input may multiply the time by at most 10
(linear: 4, quadratic: 16).
"""

from __future__ import annotations

import gc
import json
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from apology_score import ApologyScoreError, Config, InputError, LexiconError, ScoreReport, score
from apology_score.lexicon import load_ruleset
from apology_score.pipeline.core import fired_rules, get_pipeline

MB = 1_000_000
#: Seconds a 1 MB input may take at most (typically a few seconds; a quadratic blow-up takes hours).
BOUND_1MB = 45.0
#: Seconds a small input may take at most (the first call also loads the lexicons and segmenters).
BOUND_SMALL = 20.0
#: time(4x) / time(x) must stay below this: linear is ~4, quadratic ~16. Two doublings are measured rather
#: than one because small inputs time noisily (caches, garbage collection): at most ~3.2x per doubling.
MAX_QUADRUPLING_RATIO = 10.0


def check(text: str, report: ScoreReport) -> None:
    assert report.text == text
    assert 0 <= report.overall <= 100
    assert report.grade == Config().grades.grade(report.overall)
    for dim in report.dimensions.values():
        assert 0 <= dim.score <= 100
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
    data = json.loads(report.model_dump_json())
    assert len(data["text"]) == len(text)


def timed(fn: Callable[[], ScoreReport]) -> tuple[ScoreReport, float]:
    started = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - started


# --- small odd inputs ------------------------------------------------------------------------------------------
SMALL: dict[str, str] = {
    "empty": "",
    "whitespace": " \t\n\r\u3000\u00a0\u2028\u2029\x0b\x0c ",
    "emoji_only": "😀🙏💔👍🏽👨\u200d👩\u200d👧🇨🇳",
    "control_and_nul": "\x00\x01\x02sorry\x00\x1b[31m 抱歉\x7f\x85\x9f we will refund\x00",
    "lone_surrogates": "\ud800We are so sorry\udfff about the delay \udbff\udc00. 非常抱\ud83d歉。\ud83d",
    "rtl_and_zero_width": "\u202e\u200fنأسف\u202c \u2067We are sorry\u2069 \u200b抱\u200d歉\ufeff\u2060 עברית",
    "html": '<p class="x">We are <b>sorry</b> for the delay.</p><br/><script>alert("x")</script>&amp;&lt;',
    "markdown": "# Sorry\n\n**非常抱歉**,_we will_ [refund you](http://example.com/refund?x=1) `today`.\n> quoted",
    "combining_marks": "s\u0301o\u0302r\u0303r\u0304y" + "a" + "\u0301" * 5000,
    "private_use_and_unassigned": "\ue000\uf8ff\U000f0000\U0010fffd\u0378\U000e0001 sorry",
    "only_punctuation": "!!!???。。。,,,...---***",
}


@pytest.mark.parametrize("name", sorted(SMALL))
def test_odd_small_inputs_give_a_valid_report(name: str) -> None:
    text = SMALL[name]
    report, seconds = timed(lambda: score(text))
    check(text, report)
    assert seconds < BOUND_SMALL


@pytest.mark.parametrize("name", ["empty", "whitespace", "emoji_only", "only_punctuation"])
def test_text_without_words_scores_zero_with_a_note(name: str) -> None:
    report = score(SMALL[name])
    assert report.overall == 0
    assert report.grade == "F"
    assert report.findings == []
    assert report.notes


@pytest.mark.parametrize(
    ("name", "cue"),
    [
        ("control_and_nul", "抱歉"),
        ("control_and_nul", "sorry"),
        ("lone_surrogates", "sorry"),
        ("rtl_and_zero_width", "We are sorry"),
        ("html", "sorry"),
        ("markdown", "非常抱歉"),
        ("markdown", "refund"),
    ],
)
def test_cues_survive_control_format_characters_and_markup(name: str, cue: str) -> None:
    text = SMALL[name]
    report = score(text)
    spans = [f.text for f in report.findings]
    assert any(cue in s or s in cue for s in spans), (cue, spans)


@pytest.mark.parametrize("text", ["抱\u200b歉", "so\u200brry", "抱\u200d歉", "sor\u00adry", "对\ufeff不\u2060起"])
def test_zero_width_characters_inside_a_cue_do_not_hide_it(text: str) -> None:
    report = score(text)
    assert report.dimensions["sincerity"].score > 0, report.explain()
    assert any(f.text == text for f in report.findings)


def test_every_unicode_block() -> None:
    """Every Unicode block starts at a multiple of 16 and spans a multiple of 16 code points, so one code
    point from every aligned group of 16 samples every block (planes 0-16, surrogates, private use and
    unassigned code points included). Each 4,096-code-point range is scored as one text, then all at once."""
    samples = [chr(cp) for cp in range(7, 0x110000, 16)]
    started = time.perf_counter()
    for i in range(0, len(samples), 256):
        chunk = "".join(samples[i : i + 256])
        check(chunk, score(chunk))
    whole = "".join(samples)
    check(whole, score(whole))
    assert time.perf_counter() - started < 60


# --- big inputs --------------------------------------------------------------------------------------------
BIG: dict[str, Callable[[int], str]] = {
    "latin_no_space_or_punctuation": lambda n: "abcdefghij" * (n // 10),
    "han_no_space_or_punctuation": lambda n: "我们的订单已经处理完" * (n // 10),
    "url_like_run": lambda n: "http://a.b/c?d=e&" * (n // 17),
    "english_cue_repeated": lambda n: "sorry " * (n // 6),
    "chinese_cue_repeated": lambda n: "抱歉" * (n // 2),
    "newlines": lambda n: "\n" * n,
    "newlines_between_words": lambda n: "a\n" * (n // 2),
    "unclosed_quotes": lambda n: "「a" * (n // 2),
    "negators_and_cues": lambda n: "不抱歉没有退款" * (n // 7),
    "digits": lambda n: "1" * n,
}


def _apology_mix(n: int) -> str:
    rng = random.Random(1234)
    ruleset = load_ruleset()
    pieces = [t for r in ruleset.rules for t in (*r.examples.fires, *r.examples.silent)]
    out: list[str] = []
    size = 0
    while size < n:
        piece = rng.choice(pieces) + rng.choice([" ", "", "\n", ","])
        out.append(piece)
        size += len(piece)
    return "".join(out)[:n]


BIG["realistic_mix"] = _apology_mix


@pytest.mark.slow
def test_one_megabyte_without_space_or_punctuation() -> None:
    text = "abcdefghij" * (MB // 10)
    report, seconds = timed(lambda: score(text))
    check(text, report)
    assert seconds < BOUND_1MB, f"1 MB took {seconds:.1f} s"


@pytest.mark.slow
def test_one_cue_repeated_100_000_times() -> None:
    once = score("抱歉")
    for text in ("抱歉" * 100_000, "sorry " * 100_000):
        report, seconds = timed(lambda text=text: score(text))  # type: ignore[misc]
        check(text, report)
        assert seconds < BOUND_1MB
        # a repeated cue counts once (rubric pitfall 5) and the listing is capped, with a note
        assert report.dimensions["sincerity"].score == once.dimensions["sincerity"].score
        assert len(report.findings) < 100
        assert any("not listed" in note for note in report.notes), report.notes


def test_100_000_newlines() -> None:
    for text in ("\n" * 100_000, "sorry" + "\n" * 100_000 + "we will refund you today"):
        report, seconds = timed(lambda text=text: score(text))  # type: ignore[misc]
        check(text, report)
        assert seconds < BOUND_1MB


def _best_of(text: str, repeats: int = 2, config: Config | None = None) -> float:
    """CPU seconds of the fastest of ``repeats`` runs. CPU time, so other processes on a busy CI runner do not
    count; the cyclic garbage collector is paused while timing, as its pauses are noise here."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            check(text, score(text, config=config))
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BIG))
def test_time_is_linear_in_the_input_length(name: str) -> None:
    size = 20_000
    score("warm up: 抱歉 sorry")
    small, large = BIG[name](size), BIG[name](4 * size)
    t1, t4 = _best_of(small), _best_of(large)
    # tiny timings are all noise: only compare when the larger input takes measurable time
    if t4 > 0.05:
        assert t4 / max(t1, 1e-3) < MAX_QUADRUPLING_RATIO, f"{name}: {t1:.3f}s -> {t4:.3f}s"
    assert t4 < BOUND_1MB


# --- wrong inputs --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "type_name"),
    [(None, "NoneType"), (b"sorry", "bytes"), (bytearray(b"sorry"), "bytearray"), (42, "int"),
     (["sorry"], "list"), (3.5, "float")],
)
def test_non_str_text_raises_type_error_naming_the_type(value: object, type_name: str) -> None:
    with pytest.raises(TypeError) as info:
        score(value)  # type: ignore[arg-type]
    message = str(info.value)
    assert type_name in message
    assert "str" in message
    if isinstance(value, bytes | bytearray):
        assert "decode" in message


def test_non_str_context_raises_type_error() -> None:
    with pytest.raises(TypeError, match=r"context.*bytes.*decode"):
        score("抱歉", context=b"my order")  # type: ignore[arg-type]


def test_text_over_max_length_raises_input_error() -> None:
    config = Config(max_length=1000)
    assert score("a" * 1000, config=config).text == "a" * 1000
    with pytest.raises(InputError) as info:
        score("a" * 1001, config=config)
    assert isinstance(info.value, ApologyScoreError)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert "1,001" in message and "1,000" in message and "max_length" in message
    with pytest.raises(InputError, match="context"):
        score("抱歉", context="x" * 1001, config=config)


def test_default_max_length_is_documented_and_enforced() -> None:
    from apology_score import weights

    limit = Config().max_length
    assert limit == weights.DEFAULT_MAX_LENGTH
    assert f"{limit:,}" in Path(__file__).resolve().parents[1].joinpath("README.md").read_text(encoding="utf-8")
    with pytest.raises(InputError):
        score(" " * (limit + 1))


# --- user lexicons cannot blow up ---------------------------------------------------------------------------
PATHOLOGICAL = """\
family: sincerity
language: en
rules:
  - id: SIN-EN-PATHO
    cue: apology
    polarity: positive
    message: {en: "pathological", zh: "病态"}
    why: "a lexicon that would be catastrophic as a backtracking regex"
    phrases: ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "(a+)+$", "(a|aa)*c", ".*.*.*=.*"]
    sequences:
      - {elements: [[a, aa, aaa], [a, aa, aaa], [a, aa, aaa], [a, aa, aaa], [a, aa, aaa], [b]], max_gap: 12}
    examples:
      fires: ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "a aa aaa a aa b"]
      silent: ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "hello"]
"""


def test_pathological_phrases_in_a_user_lexicon_stay_linear(tmp_path: Path) -> None:
    path = tmp_path / "patho.en.yaml"
    path.write_text(PATHOLOGICAL, encoding="utf-8")
    config = Config(extra_lexicons=(path,))
    pipeline = get_pipeline(config)  # validates the examples too
    # regex syntax is literal text: "(a+)+$" is matched as those six characters, never as a pattern
    assert "SIN-EN-PATHO" in fired_rules(pipeline.analyze("x (a+)+$ y"))
    assert "SIN-EN-PATHO" not in fired_rules(pipeline.analyze("aaaa"))
    # every position starts a partial match of every phrase and sequence
    t1, t4 = (_best_of("a " * (n // 2) + "a" * n, config=config) for n in (15_000, 60_000))
    assert t4 < BOUND_1MB
    if t4 > 0.05:
        assert t4 / max(t1, 1e-3) < MAX_QUADRUPLING_RATIO, f"{t1:.3f}s -> {t4:.3f}s"


@pytest.mark.parametrize("key", ["regex", "pattern", "patterns"])
def test_a_raw_regex_field_is_rejected(tmp_path: Path, key: str) -> None:
    text = PATHOLOGICAL.replace('    phrases: ["aaaa', f'    {key}: "(a+)+$"\n    phrases: ["aaaa', 1)
    assert key in text
    path = tmp_path / "regex.en.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_ruleset([path])
    err = info.value
    assert err.file == str(path)
    assert err.rule_id == "SIN-EN-PATHO"
    assert err.field == key
    assert err.line == 9  # the line of the offending key
    message = str(err)
    assert str(path) in message and "SIN-EN-PATHO" in message and key in message
    with pytest.raises(LexiconError):
        score("sorry", config=Config(extra_lexicons=(path,)))


def test_batch_records_over_max_length_go_to_the_errors_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = pytest.importorskip("apology_score.cli")
    (tmp_path / "settings.toml").write_text("max-length = 50\n", encoding="utf-8")
    records = [
        {"id": "short", "text": "sorry we will refund you"},
        {"id": "long", "text": "x" * 60},
        {"id": "surrogate", "text": "sorry \ud800 抱\udfff歉"},
        {"id": "nul", "text": "ok \x00 抱歉"},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = cli.main(["batch", str(source), "-o", str(out), "--config", str(tmp_path / "settings.toml"),
                     "--no-progress"])
    assert code == 1
    scored = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    errors = [json.loads(line) for line in Path(f"{out}.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in scored) == ["nul", "short", "surrogate"]
    assert [(e["id"], e["kind"], e["line"]) for e in errors] == [("long", "too_long", 2)]
    assert "60" in errors[0]["reason"] and "50" in errors[0]["reason"]
    assert capsys.readouterr().err.strip().splitlines()[-1] == "3 scored, 1 errors"
