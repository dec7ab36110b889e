"""Stage 6 (part): suggestions. What to change, in the language of the text, derived from the findings.

Each suggestion names the rubric level it would reach; the list is ordered by the weighted points the
change would add to the overall (largest first).
"""

from __future__ import annotations

from apology_score import weights
from apology_score.pipeline.score import Scores

#: (dimension, condition key) -> (zh, en). Conditions are computed in ``suggest``.
MESSAGES: dict[str, tuple[str, str]] = {
    "evasion": (
        "删掉推诿或反驳客户的说法(“{span}”):不要否认、顶撞或把责任推给客户或第三方。",
        "Remove the evasive wording (\"{span}\"): do not deny, contradict, or shift blame to the customer "
        "or a third party.",
    ),
    "no_apology": (
        "明确道歉,例如“非常抱歉”“是我们的失误”。",
        "Apologize plainly, e.g. \"I'm sorry, that was our mistake.\"",
    ),
    "conditional": (
        "去掉“如果/如有”之类的条件式道歉,直接为发生的事道歉。",
        "Drop the conditional (\"if\", \"any inconvenience this may have caused\"): apologize for what "
        "happened.",
    ),
    "but": (
        "道歉后不要用“但是”接辩解;如需说明原因,先承担责任再给出补救。",
        "Don't follow the apology with \"but\" and a justification; own it and offer the fix.",
    ),
    "no_responsibility": (
        "承担责任,例如“这是我们的失误”。",
        "Take responsibility, e.g. \"that was our mistake\".",
    ),
    "no_problem": (
        "说清楚具体出了什么问题(哪个订单、什么时候、什么问题),不要只说“给您带来不便”。",
        "Name the actual problem (which order, what went wrong, when), not just \"any inconvenience\".",
    ),
    "no_cause": (
        "说明原因,例如“由于仓库打包失误”。",
        "Explain the cause, e.g. \"because our warehouse mislabeled the parcel\".",
    ),
    "no_particulars": (
        "加上具体信息:订单号、日期、金额或商品。",
        "Add particulars: the order number, date, amount or item.",
    ),
    "no_remedy": (
        "给出具体补救:退款、补发、换货或补偿。",
        "Offer a concrete fix: a refund, replacement, reshipment or credit.",
    ),
    "refusal": (
        "拒绝时给出替代方案,不要只说“没办法”。",
        "When you can't do what was asked, offer an alternative instead of \"nothing we can do\".",
    ),
    "no_follow_up": (
        "说明如何跟进或如何避免再次发生,例如“明天再致电确认”。",
        "Say how you will follow up or prevent a repeat, e.g. \"I'll check back with you tomorrow\".",
    ),
    "deferral": (
        "不要让客户无期限等待,给出明确时间。",
        "Don't ask the customer to wait without a date; give one.",
    ),
    "no_deadline": (
        "给出明确的处理时限,例如“24小时内”“今天18点前”,或说明已经完成了什么。",
        "Commit to a concrete time (\"within 24 hours\", \"by 6 pm today\") or say what is already done.",
    ),
}


def suggest(scores: Scores, language: str, original: str, spans: dict[str, tuple[int, int]]) -> list[str]:
    """Suggestions for ``scores`` in ``language`` ('zh' or 'en')."""
    dims = scores.dimensions
    cues = {
        name: {s.cand.cue for s in d.findings if s.contribution != 0} for name, d in dims.items()
    }
    picks: list[tuple[float, str, str]] = []  # (gain, key, span)

    def add(key: str, dimension: str, levels: float, span: str = "") -> None:
        gain = levels * weights.LEVEL * scores.weights.get(dimension, 0.3)
        picks.append((gain, key, span))

    if scores.evasions:
        s, e = spans["evasion"]
        picks.append((weights.EVASION_OVERALL_PENALTY, "evasion", original[s:e]))
    sin = cues["sincerity"]
    if "apology" not in sin:
        add("no_apology", "sincerity", 2)
    if "conditional" in sin:
        add("conditional", "sincerity", 1)
    if "contrast" in sin:
        add("but", "sincerity", 1)
    if "apology" in sin and "responsibility" not in sin and dims["sincerity"].score < 100:
        add("no_responsibility", "sincerity", 1)
    spc = cues["specificity"]
    if not ({"problem", "echo"} & spc):
        add("no_problem", "specificity", 1)
    if "cause" not in spc and dims["specificity"].score < 100:
        add("no_cause", "specificity", 1)
    if "particular" not in spc and dims["specificity"].score < 100:
        add("no_particulars", "specificity", 1)
    rem = cues["remedy"]
    if "refusal" in rem:
        add("refusal", "remedy", 1)
    if "remedy" not in rem:
        add("no_remedy", "remedy", 2)
    elif not ({"follow_up", "prevention"} & rem):
        add("no_follow_up", "remedy", 1)
    tim = cues["timeliness"]
    if "deferral" in tim:
        add("deferral", "timeliness", 1)
    if not ({"done", "deadline"} & tim):
        add("no_deadline", "timeliness", 1)
    picks.sort(key=lambda p: -p[0])
    index = 0 if language == "zh" else 1
    return [MESSAGES[key][index].format(span=span) for _, key, span in picks]
