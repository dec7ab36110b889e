"""The rubric's pitfalls (RUBRIC.md, "Pitfalls the rules must handle"), as metamorphic pairs.

Every pair in benchmarks/gold/metamorphic.jsonl must hold, plus the explicit cases below.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apology_score import Config, ScoreReport, score

PAIRS_FILE = Path(__file__).resolve().parents[1] / "benchmarks/gold/metamorphic.jsonl"
PAIRS = [json.loads(line) for line in PAIRS_FILE.read_text("utf-8").splitlines() if line.strip()]


def value(report: ScoreReport, dimension: str) -> float:
    if dimension == "overall":
        return report.overall
    if dimension == "evasive":
        return float(report.evasive)
    return report.dimensions[dimension].score  # type: ignore[index]


@pytest.mark.parametrize("pair", PAIRS, ids=[p["id"] for p in PAIRS])
def test_metamorphic_pair(pair: dict[str, str]) -> None:
    a = value(score(pair["a"]), pair["dimension"])
    b = value(score(pair["b"]), pair["dimension"])
    relation = pair["relation"]
    ok = {"a>b": a > b, "a<b": a < b, "a=b": a == b}[relation]
    assert ok, f"{pair['id']} ({pair['pitfall']}): {a} {relation} {b} fails: {pair['why']}"


def S(text: str, dim: str = "sincerity") -> float:
    return score(text).dimensions[dim].score  # type: ignore[index]


def test_negation_scope() -> None:
    owning, evading = score("不是您的错,是我们的失误。"), score("不是我们的错。")
    assert owning.dimensions["sincerity"].score > evading.dimensions["sincerity"].score
    assert evading.evasive and not owning.evasive
    assert S("我们绝不会再发生这种情况,已经加强培训。", "remedy") > 0  # prevention, not a negated remedy
    refused = score("We will not refund this order.")
    assert any(f.cue == "refusal" for f in refused.dimensions["remedy"].findings)
    assert refused.dimensions["remedy"].score == 0
    assert S("We will refund this order.", "remedy") > 0


def test_conditional_apologies_count_less() -> None:
    assert S("若给您造成困扰,我们深感抱歉。") < S("给您造成了困扰,我们深感抱歉。")
    assert S("We apologize if you were disappointed.") < S("We apologize that your order was late.")


def test_but_cancels_unless_a_remedy_follows() -> None:
    justified = score("抱歉,但是这是公司规定。")
    remedied = score("抱歉,但我们今天就补发。")
    assert justified.dimensions["sincerity"].score < remedied.dimensions["sincerity"].score
    assert not remedied.evasive
    assert score("抱歉,但是您下单时自己没有选加急。").evasive


def test_quoted_customer_speech_is_not_the_agents_evasion() -> None:
    quoted = score("您说“根本就不是那么回事”,我们非常理解您的心情,马上为您核实。")
    assert not quoted.evasive
    assert score("根本就不是那么回事。").evasive
    reported = score('You said "the box was crushed". Sorry about that.')
    assert reported.dimensions["specificity"].score > score("Sorry about that.").dimensions["specificity"].score


def test_repetition_does_not_inflate() -> None:
    assert S("抱歉抱歉抱歉") == S("抱歉")
    assert S("I'm so sorry. I'm so sorry. I'm so sorry.") == S("I'm so sorry.")
    assert score("退款,退款,退款。").dimensions["remedy"].score == score("退款。").dimensions["remedy"].score


def test_policy_is_not_evasive_by_itself() -> None:
    assert not score("按规定,超过七天无法退货,我们可以为您申请维修。").evasive
    assert score("这是上级的规定我有什么办法。").evasive


def test_ambiguous_cues() -> None:
    refusal = score("不好意思,这个没办法退。")
    assert refusal.dimensions["sincerity"].score == 0
    assert S("We regret to inform you that the item is discontinued.") == 0
    assert S("亲,在的。") == 0


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("對不起，您的訂單延誤了，我們馬上補發。", "对不起,您的订单延误了,我们马上补发。"),
        ("非常 抱歉 您的 订单 延误 了 我们 马上 补发", "非常抱歉您的订单延误了我们马上补发"),
        ("ＳＯＲＲＹ， ＷＥ’ＬＬ ＲＥＦＵＮＤ ＹＯＵ ＴＯＤＡＹ.", "Sorry, we'll refund you today."),
        ("I apologise for the delay.", "I apologize for the delay."),
        ("抱\u200b歉,马上退\u200b款。", "抱歉,马上退款。"),
    ],
)
def test_normalization_invariance(variant: str, plain: str) -> None:
    a, b = score(variant), score(plain)
    assert a.overall == b.overall
    assert {k: d.score for k, d in a.dimensions.items()} == {k: d.score for k, d in b.dimensions.items()}


@pytest.mark.parametrize("placeholder", ["{order_id}", "{{ order_no }}", "${amount}", "%s", "【商品名】", "[订单x]"])
def test_template_placeholders_count_as_particulars(placeholder: str) -> None:
    with_ph = score(f"非常抱歉,您的订单 {placeholder} 延误了。")
    without = score("非常抱歉,您的订单延误了。")
    assert with_ph.dimensions["specificity"].score > without.dimensions["specificity"].score


def test_a_name_placeholder_is_not_a_particular() -> None:
    assert S("Hi {{ first_name }}, sorry for any inconvenience.", "specificity") == S(
        "Hi there, sorry for any inconvenience.", "specificity"
    )


def test_blame_under_a_conditional_or_in_a_question_is_not_an_accusation() -> None:
    hypothetical = score("如果您填错了地址,可以联系我们修改。")
    assert not hypothetical.evasive
    assert any("conditional" in note for note in hypothetical.notes)
    assert score("您填错了地址。").evasive


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("We have reshipped it by express.", "REM-EN-FIX"),  # reship~ doubles its final consonant
        ("The replacement is shipping today.", "REM-EN-FIX"),
        ("I apologised to the driver's manager.", None),
    ],
)
def test_inflections_match_with_doubled_consonants(text: str, rule_id: str | None) -> None:
    """Lexicon words marked ``~`` match their inflections, including doubled final consonants
    (reship -> reshipped), so a remedy written in the past tense still counts."""
    fired = {f.rule_id for d in score(text).dimensions.values() for f in d.findings if f.contribution > 0}
    if rule_id is not None:
        assert rule_id in fired
    else:
        assert not any(r.startswith("REM-") for r in fired)


@pytest.mark.parametrize(
    ("text", "evasive"),
    [
        ("If you had read the terms, you would have known.", True),  # counterfactual: the 'if' is the blame
        ("If you entered the wrong address, we can change it for you.", False),  # a hypothesis, not blame
        ("是物流的问题吗?我们帮您查一下。", False),  # third-party cause asked as a question
    ],
)
def test_conditional_blame_versus_counterfactual_blame(text: str, evasive: bool) -> None:
    assert bool(score(text).evasions) is evasive


@pytest.mark.parametrize(
    ("text", "particular"),
    [
        ("Sorry, invoice INV-20931 had the wrong VAT number.", "INV-20931"),
        ("The air conditioning in room 412 was broken.", "room 412"),
        ("Your email of 3 March went unanswered.", "3 March"),
        ("航班 MU5123 取消了。", "MU5123"),
    ],
)
def test_reference_codes_and_dates_are_particulars(text: str, particular: str) -> None:
    found = [f.text for f in score(text).dimensions["specificity"].findings if f.rule_id == "SPC-XX-ENTITY"]
    assert particular.casefold() in [t.casefold() for t in found]


def test_a_past_day_month_is_not_a_deadline() -> None:
    """"arrived on 2 January" names when it happened; it is no promise about timing."""
    report = score("Your order arrived on 2 January, so the return window has closed.")
    assert report.dimensions["timeliness"].score == 25.0


#: (dimension, lower, higher, why): the first reply must score below the second on that dimension.
ORDERINGS = [
    ("sincerity", "很抱歉,按照公司规定,超过30天的订单无法退款。", "很抱歉,超过30天的订单我们今天给您退款。",
     "pitfall 7 / level 1: an apology whose sentence refuses by a rule, offering nothing, is a softener"),
    ("sincerity", "I'm sorry, our policy doesn't allow refunds on opened items.",
     "I'm sorry, we'll refund the opened item.",
     "pitfall 7 / level 1: the same in English"),
    ("timeliness", "价保只支持下单后7天内申请,您的订单已经超过时效了。", "我们会在7天内为您办理价保。",
     "a rule's time window is no deadline"),
    ("timeliness", "We can only refund renewals cancelled within 48 hours.",
     "We'll refund the renewal within 48 hours.",
     "a rule's time window is no deadline ('we can only' commits to nothing)"),
    ("timeliness", "关于您的投诉,我们将在15个工作日内给出处理意见。", "关于您的投诉,我们将在3个工作日内给出处理意见。",
     "level 4 needs a near deadline; weeks away is a wait (weights.NEAR_DEADLINE_MAX_DAYS)"),
    ("timeliness", "Disputes are reviewed within 45 business days.", "Disputes are reviewed within 2 business days.",
     "level 4 needs a near deadline"),
    ("remedy", "Refunds go back to the original payment method within 5-7 days of approval.", "I'll refund you today.",
     "remedy is what the agent offers; a policy sentence that names a refund offers nothing"),
    ("remedy", "Repairs outside the warranty are chargeable.", "We've arranged a free repair for Friday.",
     "a chargeable repair is not a remedy"),
    ("remedy", "退款会在审核通过后原路返回到您的支付账户。", "我们今天给您退款。",
     "a status sentence under a condition offers nothing"),
    ("remedy", "We refund orders within 30 days of purchase.", "We refunded your order this morning.",
     "'we' + a past-tense remedy is done by us; 'we refund orders' is a policy"),
    ("timeliness", "If we refunded everyone, we would go bust.", "We refunded your order.",
     "pitfall 2: a done-form under a conditional is a hypothesis"),
    ("timeliness", "您的问题已登记,请耐心等待。", "您的退款已经到账。",
     "logging the complaint (已登记) is escalation, not the fix done; with a wait it is level 0"),
    ("timeliness", "We'll refund you soon.", "We'll refund you within two days.",
     "English number words make a concrete deadline"),
    ("timeliness", "您的投诉我们已收到,会退还您本月的月租费。", "已经给您退还了本月的月租费。",
     "a done-form sequence stays in its clause (within: clause): 已收到,会退还 is no 已…退还"),
    ("timeliness", "多扣的款项将在15个工作日内退回。", "多扣的款项将于3月15日前退回。",
     "a date (3月15日前) is a deadline, not a span of 15 days (or 3 months)"),
    ("timeliness", "We will write to you again in due course.", "We will write to you again by 14 August.",
     "'by' a British date is a deadline"),
    ("timeliness", "请您耐心等待,我们的后台正在处理。", "我们的后台正在处理。",
     "deferral: 'please wait' in the sentence keeps vague words from lifting timeliness"),
    ("timeliness", "Gems can be restored by support.", "restored the 400 gems you lost, sorry about that.",
     "a subjectless past-tense remedy in a chat reply is done by the agent"),
    ("remedy", "Banned accounts are not unbanned.", "Account unbanned.",
     "a headline-style done-form ('Account unbanned.') is a remedy done"),
    ("specificity", "Our branch opens at 9am.", "Sorry, the 9am appointment was cancelled without notice, so sorry.",
     "a time in an informational reply names no case"),
    ("specificity", "Your credit card can be used abroad.", "Sorry about the credit card.",
     "a thing named in a reply to a failure is the matter (level 2); in an informational reply only the topic"),
    ("specificity", "Sorry for any inconvenience.", "就晚了十来分钟,这也值得投诉?",
     "an approximate count (十来分钟) is a particular, and it names the case"),
]


@pytest.mark.parametrize(("dimension", "lower", "higher", "why"), ORDERINGS, ids=[o[3] for o in ORDERINGS])
def test_orderings(dimension: str, lower: str, higher: str, why: str) -> None:
    assert score(lower).dimensions[dimension].score < score(higher).dimensions[dimension].score, why


@pytest.mark.parametrize(
    ("text", "evasive"),
    [
        ("密码是您自己设置的,忘记了怎么能怪银行呢?", True),  # rhetorical: mockery, not a polite check
        ("您都骑了四十多分钟了,现在才说车有问题?", True),
        ("是您自己操作的吗?我们帮您查一下。", False),  # a real question stays a check
        ("I'm sorry, the callback we promised never happened. That's on us.", False),  # an admission, not a denial
        ("That never happened.", True),
        ("You didn't select express shipping.", True),  # "you didn't/never/failed to" stated: blame
        ("Sorry you didn't receive it, I'll resend it today.", False),  # what happened to the customer
        ("Looks like you didn't have a good experience with us.", False),
        ("If you didn't get the code, I can send it again.", False),  # conditional: a hypothesis
    ],
)
def test_rhetorical_blame_and_admissions(text: str, evasive: bool) -> None:
    assert bool(score(text).evasions) is evasive


def test_a_particular_alone_names_the_case_only_in_a_reply_to_a_failure() -> None:
    """Label conventions: particulars without the problem named are level 2 - in a reply that answers a
    failure; an informational reply's times and amounts are not the particulars of a case."""
    apology = score("非常抱歉,您周五下单的两箱牛奶。").dimensions["specificity"]
    info = score("您周五下单的两箱牛奶。").dimensions["specificity"]
    assert apology.score == 50.0
    assert info.score == 25.0
    assert any(f.note and "refers to what happened" in f.note for f in apology.findings)


@pytest.mark.parametrize(
    ("cantonese", "mandarin", "evasive"),
    [
        ("唔关我哋事,你去搵佢哋啦。", "不关我们事,您去找他们吧。", True),
        ("我哋已经帮你退咗款。", "我们已经帮您退了款。", False),
    ],
)
def test_written_cantonese_scores_like_mandarin(cantonese: str, mandarin: str, evasive: bool) -> None:
    """Written Cantonese function words fold to Mandarin (normalize.fold_variants), one character for one, so
    offsets still point at the text the user passed in."""
    c, m = score(cantonese), score(mandarin)
    assert c.evasive is m.evasive is evasive
    assert c.dimensions["timeliness"].score == m.dimensions["timeliness"].score
    for finding in c.evasions:
        assert cantonese[finding.start : finding.end] == finding.text


def test_thank_you_in_cantonese_is_not_should_not() -> None:
    """唔该 ("thanks/please") is folded as a word before 唔 -> 不, so it never reads as 不该 ("should not")."""
    from apology_score.pipeline.normalize import normalize

    assert normalize("唔该晒").text == "谢谢晒"
    assert normalize("唔关事").text == "不关事"


@pytest.mark.parametrize(
    ("evasive", "plain"),
    [
        ("The tracking shows you signed for it.", "The tracking shows your parcel is in Leeds."),
        ("It was only 15 minutes late.", "It will take 15 minutes."),
        ("Please take it up with the manufacturer.", "We have contacted the manufacturer for you."),
        ("You'll need to contact the courier yourself.", "I'll contact the courier today."),
        ("Your phone bill is correct.", "Your phone bill was wrong, sorry."),
        ("才晚了十分钟而已。", "只需3天即可到账。"),
        ("这个您直接找厂家吧。", "我们已联系厂家,今天给您回复。"),
        ("我们从来没有这样说过。", "我们会尽快处理。"),
        ("监控显示您已签收。", "监控显示包裹正在派送中。"),
    ],
)
def test_general_evasion_patterns(evasive: str, plain: str) -> None:
    """Word-class patterns (evidence turned on the customer, minimising, redirecting, flat denial) fire on the
    evasive reply and stay silent on its plain counterpart."""
    assert score(evasive).evasions, evasive
    assert not score(plain).evasions, plain


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("下午三点半送到", ["三点半"]),
        ("十一时前办好", ["十一时"]),
        ("3点前回复您", ["3点"]),
        ("有结果会第一时间通知您", []),  # "at once", not one o'clock
        ("请您稍微快一点", []),  # "a bit"
        ("再等一点时间", []),
        ("差一点就赶上了", []),
    ],
)
def test_a_chinese_clock_time_is_not_a_bit_or_at_once(text: str, times: list[str]) -> None:
    from apology_score.pipeline.match import ENTITY_PATTERNS

    assert [m.group() for m in ENTITY_PATTERNS["@time"].finditer(text)] == times


def test_further_distinct_particulars_raise_specificity_only_with_the_problem_named() -> None:
    """Level 4 is the problem with its particulars: a second and third distinct particular add half a level each;
    the same particular repeated counts once, and without the problem named particulars stay at level 2."""
    one = score("Sorry your parcel was damaged on Tuesday.").dimensions["specificity"]
    three = score("Sorry your parcel was damaged on Tuesday: 2 mugs, order #88213.").dimensions["specificity"]
    repeated = score("Sorry your parcel was damaged on Tuesday, Tuesday, Tuesday.").dimensions["specificity"]
    assert one.level == 3 and three.level == 4 and three.score > one.score
    assert repeated.score == one.score
    assert score("非常抱歉,您周五下单的两箱牛奶。").dimensions["specificity"].level == 2


@pytest.mark.parametrize(
    ("past", "commitment"),
    [
        ("We apologise for the disruption to the 7:15 service this morning.", "The replacement ships this morning."),
        ("Sorry, every other customer today has paid without a problem.", "Sorry, I'll refund you today."),
        ("抱歉，今天上午的课取消了。", "抱歉，今天上午给您补课。"),
    ],
)
def test_a_bare_time_is_a_deadline_only_where_someone_acts(past: str, commitment: str) -> None:
    """"This morning" that says when the failure happened is no deadline; the same time attached to an action
    or a stated future is (by / within / 前 / 内 are commitments by their form)."""
    assert score(past).dimensions["timeliness"].level < 4
    assert score(commitment).dimensions["timeliness"].level == 4


@pytest.mark.parametrize(
    ("blame", "denied"),
    [
        ("断网是您家线路单独出的问题。", "断网并不是您家线路单独出的问题,是市政施工挖断了光缆。"),
        ("It's your fault.", "It isn't your fault, it was our mistake."),
        # the negator sits inside a generic reference ("this isn't"): it still scopes what follows
        ("This is your fault.", "This isn't your fault at all. Our system double-booked the slot."),
        ("That's your mistake.", "That's not your mistake, the form was confusing."),
        # 不是 shares its 是 with the blame phrase 是您操作…
        ("是您操作的问题。", "不是您操作的问题,是系统里优惠券没叠加上,差价我给您补退。"),
    ],
)
def test_negated_blame_is_not_blame(blame: str, denied: str) -> None:
    """Pitfall 3 (negation scope) for blame: a negator right before the blame denies it."""
    assert score(blame).evasions
    assert not score(denied).evasions


def test_number_ranges_and_chinese_plans_are_deadlines() -> None:
    """"within 3–5 working days" is one span (a range), and a Chinese time followed by what will be done is a
    plan, while one followed by 了 or qualifying a noun (今天上午的课) says when the failure happened."""
    assert score("The fee will be refunded to your card within 3–5 working days.").dimensions["timeliness"].level == 4
    assert score("今天下午两点重新派人过去补做,不另外收费。").dimensions["timeliness"].level == 4
    assert score("抱歉，今天上午的课取消了。").dimensions["timeliness"].level < 4


@pytest.mark.parametrize(
    "text",
    ["已帮您保留了周四下午2点的时段。", "I've popped a free-delivery voucher on your account."],
)
def test_a_remedy_in_the_perfect_or_after_yi_is_done(text: str) -> None:
    r = score(text)
    assert r.dimensions["remedy"].level >= 2 and r.dimensions["timeliness"].level == 4


def test_a_passed_refund_period_is_neither_done_nor_a_remedy() -> None:
    """已经过了退款期限 is "the refund period has passed": no done-form, no refund offered (the refusal stands)."""
    r = score("已经过了退款期限,无法退款。")
    assert r.dimensions["timeliness"].level < 4 and r.dimensions["remedy"].level == 0


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Your refund will land by the 15th.", 4),
        ("The engineer will visit Thursday between 9 and 12.", 4),
        ("It'll be with you in 2 days.", 4),
        ("我们周一给您补发。", 4),
        ("两小时后给您回电。", 4),
        ("It arrives tomorrow.", 4),
        ("Please allow 30 business days.", 0),
        ("We apologise for the disruption on Monday.", 1),
    ],
)
def test_common_deadline_forms(text: str, level: int) -> None:
    assert score(text).dimensions["timeliness"].level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("You'll get a full refund.", 2),
        # a refund process talked about is handling in general terms (level 1, the label conventions' vague
        # remedy), not a refund offered (level 2)
        ("Refunds will take 5-7 days.", 1),
        ("Refunds take 5-7 days.", 1),
        ("A refund may be possible depending on your plan.", 1),
        ("We cannot refund this order.", 0),
    ],
)
def test_a_refund_promised_to_you_is_offered_a_refund_process_is_not(text: str, level: int) -> None:
    assert score(text).dimensions["remedy"].level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("抱歉,但是您下单时自己没有选加急。", 2),
        ("这个不归我们管,您找厂家吧。", 1),
        ("We're sorry, but you should have checked the size chart.", 2),
    ],
)
def test_evasive_worked_examples_specificity(text: str, level: int) -> None:
    """Rubric worked examples: blaming the customer names the problem (2); sending them elsewhere only refers to
    it (1)."""
    assert score(text).dimensions["specificity"].level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # a compensation amount is no particular of the problem; the amount at stake is
        pytest.param("并补偿20元优惠券。", 1, id="compensation-zh"),
        pytest.param("We've added a $20 voucher to your account.", 1, id="compensation-en"),
        pytest.param("I've added 5,000 miles to your account.", 1, id="compensation-thousands-separator"),
        pytest.param("您被多扣了20元。", 3, id="amount-at-stake"),
        # apologising for or handling what happened refers to it: the generic reference of level 1
        pytest.param("Sorry!", 1, id="apology-refers"),
        pytest.param("我们会尽快给您处理的。", 1, id="handling-refers-worked-example-5"),
        pytest.param("Thank you!", 0, id="thanks-names-nothing"),
        pytest.param("您好,请问有什么可以帮您?", 0, id="greeting-names-nothing"),
        # the rubric's level 2, "names the problem in general terms": what the customer cannot do, the trouble
        # with a named thing, the wait itself
        pytest.param("Sorry you're having trouble logging in.", 2, id="customer-trouble-doing"),
        pytest.param("I'm sorry you are unable to access your account.", 2, id="customer-unable-to"),
        pytest.param("Sorry for the trouble with the cashback.", 2, id="trouble-with-the-thing"),
        pytest.param("We're sorry to keep you waiting.", 2, id="keep-you-waiting"),
        pytest.param("真的很抱歉,让您等了这么久。", 2, id="waited-so-long-zh"),
        pytest.param("耽误您的时间了,不好意思。", 2, id="took-your-time-zh"),
        # trouble in general, or offered for the future, names nothing that happened
        pytest.param("Sorry you're having trouble.", 1, id="trouble-alone-is-generic"),
        pytest.param("If you have any issues with the app, let us know.", 1, id="future-issues-offer"),
    ],
)
def test_specificity_of_amounts_references_and_general_names(text: str, level: int) -> None:
    assert score(text).dimensions["specificity"].level == level


@pytest.mark.parametrize("text", ["不会耽误您太多时间的。", "您不用等那么久的,明天就到。", "占用您一点时间做个回访。"])
def test_time_and_waiting_not_lost_name_no_delay(text: str) -> None:
    findings = score(text).dimensions["specificity"].findings
    assert not [f.text for f in findings if f.rule_id == "SPC-ZH-PROBLEM"]


@pytest.mark.parametrize(
    ("text", "counted"),
    [("少发了两盒草莓", True), ("少发了一盒草莓", True), ("让您多跑了一趟", False), ("这次有一笔费用", False)],
)
def test_a_lone_yi_counts_items_but_not_events(text: str, counted: bool) -> None:
    findings = score(text).dimensions["specificity"].findings
    assert any(f.rule_id == "SPC-ZH-PARTICULAR" for f in findings) is counted


@pytest.mark.parametrize(
    ("explained_away", "with_remedy"),
    [
        ("剪发的价格本来就不含洗,价目表上有写。", "剪发的价格本来就不含洗,今天洗头的部分我帮您免掉。"),
        ("深色衣物掉色是正常现象。", "深色衣物掉色是正常现象,我们给您补发一件新的。"),
        ("Some fading after the first wash is perfectly normal.",
         "Some fading after the first wash is perfectly normal, but I've refunded the shirt anyway."),
    ],
)
def test_an_explanation_evades_unless_a_remedy_is_offered(explained_away: str, with_remedy: str) -> None:
    """Pitfall 6: explaining a rule is fine when something is put right; explaining the complaint away and
    offering nothing evades. The waived finding is reported in the notes, so the decision stays visible."""
    alone = score(explained_away)
    assert [f.rule_id.split("-")[2] for f in alone.evasions] == ["EXPLAIN"]
    fixed = score(with_remedy)
    assert fixed.evasions == []
    assert any("offers a remedy" in n and "EXPLAIN" in n for n in fixed.notes)


@pytest.mark.parametrize(
    ("contradiction", "check"),
    [
        ("Our records show it was delivered.", "Our records show it was delivered. Could you ask a neighbour?"),
        ("系统显示您已签收。", "系统显示您已签收,方便问下家人或门卫有没有代收吗?"),
    ],
)
def test_records_followed_by_a_question_are_a_check_not_a_contradiction(contradiction: str, check: str) -> None:
    """Records turned on the customer contradict them; the same records with a question asked are a polite check
    (``waived_by_question``), and the note says so."""
    assert [e.rule_id.split("-")[-1] for e in score(contradiction).evasions] == ["EVIDENCE"]
    report = score(check)
    assert not any(e.rule_id.endswith("-EVIDENCE") for e in report.evasions)
    assert any("-EVIDENCE) not counted: the reply asks the customer to check" in n for n in report.notes), report.notes


@pytest.mark.parametrize(
    ("contradiction", "check"),
    [
        ("Tracking shows the parcel was signed for at 2:14pm.",
         "Tracking shows the parcel was signed for at 2:14pm. Please check with your neighbours or the front desk."),
        ("The system shows it was delivered yesterday.",
         "The system shows it was delivered yesterday. Could you check with your building's reception?"),
        ("物流显示已签收。", "物流显示已签收,麻烦您先问下家人或者驿站。"),
        ("监控显示已经签收了。", "监控显示已经签收了,您看下是不是放在门口了。"),
        ("Our system shows the appointment was cancelled on Monday.",
         "Our system shows the appointment was cancelled on Monday. If that wasn't you, tell me and I'll rebook."),
    ],
)
def test_records_followed_by_a_request_to_check_are_a_check(contradiction: str, check: str) -> None:
    """Any form of records turned on the customer ("tracking shows the parcel was signed for") contradicts them;
    a request to check (``check_request`` markers: "please check with your neighbours", 麻烦问下家人) or an offer to
    put things right if the records are wrong waives it as a question does, and the note names what was asked."""
    assert [e.rule_id.split("-")[-1] for e in score(contradiction).evasions] == ["EVIDENCE"]
    report = score(check)
    assert report.evasions == [], [(e.rule_id, e.text) for e in report.evasions]
    assert any("-EVIDENCE) not counted: the reply asks the customer to check" in n for n in report.notes), report.notes


@pytest.mark.parametrize(
    ("sends_away", "takes_it_up"),
    [
        ("That's the courier's problem. You'll have to take it up with them.",
         "That's not the service we expect from our couriers, and we'll take it up with them."),
        ("The rider left it at the wrong gate. Please raise it with the rider team.",
         "The rider left it at the wrong gate. I'll raise it with the rider team and reship today."),
    ],
)
def test_a_referral_the_agent_makes_is_not_blame(sends_away: str, takes_it_up: str) -> None:
    """Sending the customer to a third party shifts the blame; the agent taking the case up with that third party
    itself ("we'll take it up with them") is an action, and the note says why it was not counted."""
    assert [e.rule_id for e in score(sends_away).evasions if "BLAME" in e.rule_id]
    report = score(takes_it_up)
    assert not [e.rule_id for e in report.evasions if "BLAME" in e.rule_id], report.evasions
    assert any("not counted: the agent does it" in n for n in report.notes), report.notes


@pytest.mark.parametrize(
    ("check", "rhetorical"),
    [
        ("You forgot to charge it?", "You forgot to charge it, didn't you?"),
        ("Maybe you entered the wrong code?", "You entered the wrong code, don't you think?"),
        ("您自己没看说明书吗?", "难道您自己没看说明书吗?"),
    ],
)
def test_a_rhetorical_question_argues_and_waives_no_blame(check: str, rhetorical: str) -> None:
    """Blame asked as a question is a check (pitfall 2's reading of scope); a rhetorical or tag question
    (``rhetorical`` markers: 难道, "don't you think?", "didn't you?") argues, so its blame counts."""
    off = Config(ignore=("EVA-ZH-MODEL", "EVA-EN-MODEL"))
    asked = score(check, config=off)
    assert not [e for e in asked.evasions if "BLAME" in e.rule_id]
    assert any("asked as a question" in n for n in asked.notes), asked.notes
    argued = score(rhetorical, config=off)
    assert [e for e in argued.evasions if "BLAME" in e.rule_id], argued.notes


@pytest.mark.parametrize("reply", [
    "@user Sorry about that, you may return the product for a replacement here. Also, please (1/2) ^SH",
    "i understand. however, pricing and offers are decision of the sellers. 1/2",
])
def test_a_thread_counter_is_not_a_date(reply: str) -> None:
    """Social-media replies split over several posts end in a counter ("(1/2) ^SH"); it is no particular of the
    case, while the same shape inside a sentence is a date ("delivered on 1/2 at noon")."""
    spans = [f.text for f in score(reply).dimensions["specificity"].findings]
    assert "1/2" not in spans, spans
    dated = score("Your parcel was delivered on 1/2 at noon.")
    assert "1/2" in [f.text for f in dated.dimensions["specificity"].findings]


def test_a_link_is_an_address_not_a_particular() -> None:
    """Digits and words inside a link the agent gives (an archived help page, an article id) are no particulars of
    the case; the same reply's own order number still is, at its offsets in the text passed in."""
    text = ("Hi there, this guide may help: https://web.archive.org/web/20200407065207/https://support.example.com/"
            "answer/7177579 Your order 12345678 was late.")
    report = score(text)
    found = report.dimensions["specificity"].findings
    assert not [f for f in found if f.start < text.index(" Your")], [(f.rule_id, f.text) for f in found]
    assert any(f.text == "order 12345678" and text[f.start:f.end] == f.text for f in found)


def test_a_masked_emoticon_code_is_not_a_particular() -> None:
    """Chat logs mark emoticons as #E-s<number>, and masked logs turn the number into [数字x]: no particular of the
    case, while a masked number elsewhere still is (pitfall 9: placeholders count as particulars)."""
    spans = [f.text for f in score("我们会努力改进 #E-s[数字x]#E-s[数字x]").dimensions["specificity"].findings]
    assert "[数字x]" not in spans, spans
    spans = [f.text for f in score("订单[数字x]已经发货 #E-s[数字x]").dimensions["specificity"].findings]
    assert spans.count("[数字x]") == 1, spans
