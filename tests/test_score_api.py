"""The public ``score()`` API: the report's shape, offsets, arithmetic, errors and determinism."""

from __future__ import annotations

import json

import pytest

from apology_score import Config, DimensionWeights, Finding, InputError, ScoreReport, score
from apology_score.report import DIMENSION_NAMES

EXCELLENT_ZH = (
    "我们深表歉意。因为我们的配送站漏派,您周五下单的两箱牛奶至今未送达。"
    "今晚8点前我们会专人送到,并退还全部运费,明天再致电确认。"
)
EXCELLENT_EN = (
    "We're so sorry — our courier left your parcel at the wrong address on Tuesday. A replacement ships "
    "today by express at our cost, and I'll confirm tracking with you tomorrow."
)
ISSUE_EXAMPLE = "非常抱歉!由于仓库打包失误,您的订单发错了颜色。我们今天下午重新发货,并补偿20元优惠券。"


def test_issue_example_has_the_documented_shape() -> None:
    r = score(ISSUE_EXAMPLE)
    assert isinstance(r, ScoreReport)
    assert 0 <= r.overall <= 100
    assert r.grade in {"A", "B", "C", "D", "F"}
    assert set(r.dimensions) == set(DIMENSION_NAMES)
    remedy = r.dimensions["remedy"]
    assert remedy.score > 50
    assert all(isinstance(f, Finding) for f in remedy.findings)
    assert {"REM-ZH-FIX"} <= {f.rule_id for f in remedy.findings}
    assert r.evasions == []
    assert r.language == "zh"
    assert r.ruleset.name and r.ruleset.version and len(r.ruleset.content_hash) == 12
    assert r.suggestions and all(isinstance(s, str) for s in r.suggestions)
    data = json.loads(r.model_dump_json())
    assert data["dimensions"]["remedy"]["findings"][0]["rule_id"]


@pytest.mark.parametrize("text", [EXCELLENT_ZH, EXCELLENT_EN])
def test_excellent_apologies_score_high_on_every_principle(text: str) -> None:
    r = score(text)
    assert r.grade == "A"
    assert all(d.level == 4 for d in r.dimensions.values()), {k: d.level for k, d in r.dimensions.items()}
    assert not r.evasive


@pytest.mark.parametrize(
    "text",
    [
        "这个不归我们管,您找厂家吧。",
        "We're sorry, but you should have checked the size chart.",
        "I'm sorry you feel that way.",
    ],
)
def test_evasions_are_flagged_and_pull_the_overall_down(text: str) -> None:
    r = score(text)
    assert r.evasive
    assert r.overall_breakdown.evasion_penalty < 0
    assert all(f.dimension == "evasion" and f.contribution <= 0 for f in r.evasions)
    assert r.grade == "F"


def test_offsets_point_at_the_original_text_after_normalization() -> None:
    text = "對不起，您的訂單 {order_id} 延誤了。ＳＯＲＲＹ!  我們 馬上 補發。"
    r = score(text)
    assert r.findings
    for f in r.findings:
        assert text[f.start : f.end] == f.text
        assert f.text.strip()


def test_dimension_arithmetic_adds_up() -> None:
    for text in (EXCELLENT_ZH, EXCELLENT_EN, "抱歉抱歉抱歉", "没办法,你去投诉好了。"):
        r = score(text)
        for d in r.dimensions.values():
            total = d.base + sum(f.contribution for f in d.findings) + d.clipped
            assert total == pytest.approx(d.score, abs=1e-3)
        b = r.overall_breakdown
        assert sum(b.weighted.values()) + b.evasion_penalty + b.clipped == pytest.approx(r.overall, abs=1e-3)


def test_suggestions_follow_the_language_of_the_text() -> None:
    zh = score("亲,不好意思哈,给您带来不便了。")
    en = score("Sorry for any inconvenience caused.")
    assert any("\u4e00" <= c <= "\u9fff" for c in "".join(zh.suggestions))
    assert all(not ("\u4e00" <= c <= "\u9fff") for c in "".join(en.suggestions))
    assert score("Sorry 亲,我们马上补发。").language == "mixed"


@pytest.mark.parametrize("bad", [None, b"sorry", 42, 3.5, ["sorry"]])
def test_non_str_raises_type_error_naming_the_type(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        score(bad)  # type: ignore[arg-type]


def test_bytes_get_a_hint_to_decode() -> None:
    with pytest.raises(TypeError, match="decode"):
        score(b"\xe6\x8a\xb1\xe6\xad\x89")  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "🙏🙏", "。。。"])
def test_empty_text_gives_an_all_zero_report_with_a_note(text: str) -> None:
    r = score(text)
    assert r.overall == 0 and r.grade == "F"
    assert all(d.score == 0 and not d.findings for d in r.dimensions.values())
    assert r.notes and "empty" in r.notes[0]


def test_max_length_raises_input_error() -> None:
    with pytest.raises(InputError, match="max_length"):
        score("抱歉" * 60, config=Config(max_length=100))


def test_context_rewards_naming_what_the_customer_raised() -> None:
    reply = "非常抱歉,您的包裹破损了,我们今天补发。"
    without = score(reply)
    with_ctx = score(reply, context="我收到的包裹破损了,怎么回事?")
    assert any(f.cue == "echo" for f in with_ctx.dimensions["specificity"].findings)
    assert with_ctx.dimensions["specificity"].score >= without.dimensions["specificity"].score


@pytest.mark.parametrize(
    ("reply", "complaint", "word"),
    [
        ("We are sorry if the rebooking did not meet your expectations.",
         "You rebooked me on a flight two days later without asking.", "rebooking"),
        ("抱歉,这边看了下您的茶话会报名。", "茶话会怎么取消了?", "茶话会"),
        ("Sorry about the GAZEBO, someone can call round.", "the gazebo you put up collapsed", "GAZEBO"),
    ],
)
def test_a_word_shared_with_the_complaint_names_the_matter(reply: str, complaint: str, word: str) -> None:
    without = score(reply).dimensions["specificity"]
    with_ctx = score(reply, context=complaint).dimensions["specificity"]
    echo = [f for f in with_ctx.findings if f.rule_id == "SPC-XX-ECHO"]
    assert echo and echo[0].text == word and reply[echo[0].start : echo[0].end] == word
    assert not any(f.rule_id == "SPC-XX-ECHO" for f in without.findings)
    assert with_ctx.score >= 50 > without.score


@pytest.mark.parametrize(
    ("reply", "complaint"),
    [
        ("Sorry for the problem, we will look into it.", "I have a problem!"),  # generic words name nothing
        ("We apologize, please wait.", "Why do I have to wait? I want an apology."),  # apology and timing words
        ("非常抱歉给您带来不便。", "太不方便了,给我道歉!"),
    ],
)
def test_shared_generic_apology_or_timing_words_are_no_echo(reply: str, complaint: str) -> None:
    findings = score(reply, context=complaint).dimensions["specificity"].findings
    assert not any(f.rule_id == "SPC-XX-ECHO" for f in findings)


def test_echo_is_a_rule_that_can_be_ignored() -> None:
    reply, complaint = "Sorry the rebooking upset you.", "You rebooked me without asking."
    assert any(f.rule_id == "SPC-XX-ECHO" for f in score(reply, context=complaint).dimensions["specificity"].findings)
    ignored = score(reply, context=complaint, config=Config(ignore=["SPC-XX-ECHO"]))
    assert not any(f.rule_id == "SPC-XX-ECHO" for f in ignored.dimensions["specificity"].findings)


def test_weights_are_configurable_and_change_the_overall() -> None:
    text = "非常抱歉,我们马上为您全额退款。"
    only_remedy = Config(weights=DimensionWeights(timeliness=0, sincerity=0, specificity=0, remedy=1))
    r = score(text, config=only_remedy)
    assert r.overall == pytest.approx(r.dimensions["remedy"].score)


def test_same_text_same_report() -> None:
    a = score(EXCELLENT_EN).model_dump_json()
    b = score(EXCELLENT_EN).model_dump_json()
    assert a == b


def test_explain_names_rules_and_points() -> None:
    text = score(ISSUE_EXAMPLE).explain()
    assert "REM-ZH-FIX" in text and "remedy" in text and "+50.0" in text


def test_json_schema_is_available() -> None:
    schema = ScoreReport.model_json_schema()
    assert {"overall", "grade", "dimensions", "evasions", "ruleset"} <= set(schema["properties"])


def test_echo_survives_different_chinese_segmentation() -> None:
    """jieba cuts the complaint as 报胎/压 and the reply as 胎压/监测; the shared two-character piece still names
    what the customer complained about."""
    r = score("交车的时候跟您讲过胎压监测要先自学习。", context="刚提的新车仪表盘报胎压警告。")
    echo = [f for f in r.dimensions["specificity"].findings if f.rule_id == "SPC-XX-ECHO"]
    assert echo and echo[0].text == "胎压"
