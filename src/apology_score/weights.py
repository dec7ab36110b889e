"""Every number the scorer uses, named, with where it comes from (in the manner of VADER's constants).

Dimension scores run 0..100 and mirror the rubric's levels 0..4 (``../shared/RUBRIC.md``): one level is
``LEVEL`` = 25 points, so a reply whose cues reach rubric level 3 scores 75 before clipping. Each cue kind
adds the points of the level it earns in the rubric; detectors never contain a literal number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from apology_score.lexicon.schema import Rule

#: One rubric level in points (100 / 4 levels above zero).
LEVEL: Final = 25.0

# --- Base scores: the rubric level a reply gets when it carries no cue at all ----------------------------
#: Timeliness level 1 is "no time cue"; only deferral goes below it (level 0).
BASE_TIMELINESS: Final = 1 * LEVEL
#: Sincerity level 0 is "no apology".
BASE_SINCERITY: Final = 0.0
#: Specificity level 0 is "nothing about what happened".
BASE_SPECIFICITY: Final = 0.0
#: Remedy level 0 is "none".
BASE_REMEDY: Final = 0.0

# --- Default points per cue kind (a rule may override with its own ``weight``) -------------------------------
CUE_POINTS: Final[dict[str, float]] = {
    # timeliness (one group: only the fastest cue counts; rubric levels 4/3/2, deferral level 0)
    "done": 3 * LEVEL,  # level 4: "says it is already done"
    "deadline": 3 * LEVEL,  # level 4: "names a concrete near deadline"
    "immediate": 2 * LEVEL,  # level 3: "immediate action without a deadline"
    "vague_speed": 1 * LEVEL,  # level 2: "vague speed (尽快, ASAP)"
    "deferral": -1 * LEVEL,  # level 0: "defers without a date or tells the customer to wait"
    # sincerity (components add up: Lewicki, Polin & Lount 2016, "more components, more effective")
    "apology": 2 * LEVEL,  # level 2: "plain formulaic apology"
    "responsibility": 1 * LEVEL,  # level 3: apology plus responsibility (the most important component)
    "empathy": 1 * LEVEL,  # level 3: apology plus empathy; alone it is level 1 ("merely empathic")
    "intensifier": 0.5 * LEVEL,  # half a level: intensity matters (Roschk & Kaiser 2013), never alone
    "thanks": 0.5 * LEVEL,  # level 1 is "merely thankful": thanks alone lands between 0 and 1
    "pseudo_apology": 1 * LEVEL,  # level 1: conditional / passive / deflecting forms stand in for apology
    # specificity (naming group: generic < problem; cause and particulars add a level each)
    "generic": 1 * LEVEL,  # level 1: "generic (不便, any inconvenience)"
    "problem": 2 * LEVEL,  # level 2: "names the problem in general terms"
    "thing": 2 * LEVEL,  # level 2 in a reply to a failure: the thing it is about (the boiler, 年费) is the matter
    "cause": 1 * LEVEL,  # level 3: "problem plus cause" (Shapiro, Buttner & Barry 1994)
    "particular": 1 * LEVEL,  # level 3/4: "concrete particulars (order number, date, amount, item)"
    "echo": 2 * LEVEL,  # names what the customer complained about (with context=): the problem is named
    # remedy (offer group: vague < concrete; follow-up and prevention add a level each)
    "vague_remedy": 1 * LEVEL,  # level 1: "vague (我们会处理, we'll do better)"
    "remedy": 2 * LEVEL,  # level 2: "a concrete remedy alone"
    "choice": 1 * LEVEL,  # offering the customer a choice of remedies is a (weak) concrete offer
    # follow-up and prevention form one group: alone they are level 2 ("only follow-up/prevention promises");
    # with a concrete remedy they make level 4 ("concrete remedy plus follow-up and/or prevention")
    "follow_up": 2 * LEVEL,
    "prevention": 2 * LEVEL,
    "refusal": -1 * LEVEL,  # level 0: "refuses (没办法, nothing we can do)"
}

#: Timeliness level 4 asks for a "concrete, near deadline". A deadline further away than this many days ("within
#: 15 working days", "please allow 45 business days") makes the customer wait: it scores as a deferral (level 0),
#: the way the rubric and the gold label conventions treat "please allow 30 business days". A week is the
#: longest wait the rubric's examples call near ("24小时内", "by Friday").
NEAR_DEADLINE_MAX_DAYS: Final = 7

#: Sincerity level 4 is "explicit apology, owns the fault, intensified *or* empathic": next to an apology that owns
#: the fault, an intensifier completes level 4 just as empathy does (a full level instead of half a level).
INTENSIFIER_WITH_RESPONSIBILITY_POINTS: Final = 1 * LEVEL

#: Specificity: outside a reply that answers a failure, naming a thing (the boiler, 年费) is only the topic of an
#: informational reply ("your credit card can be used abroad"): the generic reference of level 1, like "your order".
THING_AS_TOPIC_POINTS: Final = CUE_POINTS["generic"]

#: Specificity: a particular of the case with no word naming the problem (两箱牛奶, "the 3:40 pm train") still
#: refers to what happened, as much as the generic reference of level 1; with the particular's own level that
#: gives the "particulars without the problem named" level 2 of the gold set's label conventions.
PARTICULAR_NAMES_CASE_POINTS: Final = CUE_POINTS["generic"]

#: Specificity: apologising for, owning, explaining or handling what happened refers to it as much as the generic
#: reference of level 1 ("Sorry for any inconvenience", "我们会尽快给您处理的": both level 1 in the rubric's worked
#: examples), so such a reply is not level 0, "nothing about what happened".
REFERENCE_BY_REPLY_POINTS: Final = CUE_POINTS["generic"]

#: Specificity: each further distinct word naming the matter (a second thing or symptom: "the duck ... too many
#: bones") adds a quarter level, for at most two, so names alone never make the next level (the rubric's levels
#: step by cause and particulars) but a reply naming more of the case ranks above one naming less.
FURTHER_NAMING_POINTS: Final = 0.25 * LEVEL
FURTHER_NAMING_MAX: Final = 2

#: Remedy: a remedy talked about but not offered ("a refund may be possible", "refund requests are reviewed case by
#: case", 退款会在审核后原路返回) handles the matter only in general terms: the vague remedy of level 1 ("我们会处理",
#: "passed on" in the label conventions), not the concrete remedy of level 2.
REMEDY_MENTIONED_POINTS: Final = CUE_POINTS["vague_remedy"]

#: Specificity with ``context=``: a content word of the reply that also appears in the customer's complaint names
#: what they complained about (the issue's "lets specificity reward naming what the customer complained about";
#: rubric level 2, "names the problem"). Content words are Latin words of at least ``ECHO_MIN_LATIN`` letters and
#: jieba words of at least ``ECHO_MIN_HAN`` Han characters that are not stop words (spaCy's English and Chinese
#: stop lists) and not apology, timing or generic cues. English forms of one word share a stem: two Latin words
#: match when equal or when they share their first ``ECHO_SHARED_PREFIX`` letters (refund/refunded,
#: rebooked/rebooking, delivery/delivered) - five, because four already joins unrelated words (cont-act/ract).
ECHO_MIN_LATIN: Final = 3
ECHO_MIN_HAN: Final = 2
ECHO_SHARED_PREFIX: Final = 5

#: Timeliness: 了/过 within this many characters after a Chinese time marks it past (今天上午取消了: verb + 了);
#: further on, 了 is usually the sentence-final particle (麻烦您等待一下了), not the past.
CN_PAST_WINDOW_CHARS: Final = 4

#: Remedy: 已/已经 this many characters before a Chinese remedy (or inside it) marks it done (已经帮您全额退款): two
#: words of distance, the span of 已经帮您 / 已为您 plus one character.
CN_DONE_WINDOW_CHARS: Final = 6

#: Remedy: a concrete remedy made together with a deadline or an already-done action earns the rubric's
#: "concrete remedy ... with a time commitment" (level 3); Wirtz & Mattila 2004: speed and compensation interact.
REMEDY_TIME_COMMITMENT_POINTS: Final = 1 * LEVEL

# --- Penalties applied by scope rules (pitfalls 1-3 in the rubric) --------------------------------------------
#: A conditional apology ("如果…给您带来不便", "sorry if") is rubric level 1 instead of 2: minus one level.
CONDITIONAL_APOLOGY_PENALTY: Final = -1 * LEVEL
#: "Sorry, but <justification>" cancels the apology down to level 1: minus one level.
BUT_CANCEL_PENALTY: Final = -1 * LEVEL
#: Each evasion costs sincerity one level (a denial or blame next to an apology leaves level 1 at most).
EVASION_SINCERITY_PENALTY: Final = -1 * LEVEL
#: An intensifier counts when it ends at most this many characters before the apology it modifies
#: ("so sorry", "真的非常抱歉"), or overlaps it ("深表歉意").
INTENSIFIER_MAX_GAP_CHARS: Final = 3

# --- Repetition (pitfall 5) --------------------------------------------------------------------------------------
#: The n-th repeat of the same cue kind earns ``points * REPEAT_DECAY ** n``: 抱歉抱歉抱歉 is one apology.
REPEAT_DECAY: Final = 0.0

#: Specificity: the rubric's level 4 lists several particulars ("which order, when, how much"). With the problem
#: named, one particular is level 3; each further *distinct* particular (another date, amount, item; the same one
#: repeated counts once) adds ``FURTHER_PARTICULAR_POINTS``, for at most ``FURTHER_PARTICULARS_MAX`` of them, so
#: three particulars reach level 4 without a stated cause. From the gold tune split: of replies that name the
#: problem and give particulars but no cause, raters gave level 4 to 19% with one particular, 48% with two and
#: 70% with three or more. Without the problem named, particulars stay level 2 (label conventions).
FURTHER_PARTICULAR_POINTS: Final = 0.5 * LEVEL
FURTHER_PARTICULARS_MAX: Final = 2
#: At most this many occurrences of one rule are listed as findings; the rest are counted in a note.
MAX_FINDINGS_PER_RULE: Final = 20

# --- Overall ---------------------------------------------------------------------------------------------------
#: Default dimension weights of the overall score. Responsibility (inside sincerity) and repair matter most
#: (Lewicki et al. 2016), so sincerity and remedy carry 0.3 each; timing and specificity 0.2 each
#: (Roschk & Kaiser 2013; Shapiro et al. 1994).
DEFAULT_DIMENSION_WEIGHTS: Final[dict[str, float]] = {
    "timeliness": 0.2,
    "sincerity": 0.3,
    "specificity": 0.2,
    "remedy": 0.3,
}
#: Points the overall loses for the first evasion; "evasions pull the whole apology down" (rubric).
EVASION_OVERALL_PENALTY: Final = 20.0
#: Each further evasion costs this fraction of the previous one (diminishing returns).
EVASION_OVERALL_DECAY: Final = 0.5
#: Grade boundaries on the overall score (inclusive lower bounds); below D is F.
DEFAULT_GRADE_THRESHOLDS: Final[dict[str, float]] = {"A": 85.0, "B": 70.0, "C": 55.0, "D": 40.0}

# --- Scope windows --------------------------------------------------------------------------------------------
#: A negator negates a cue when it stands within this many tokens before it, in the same clause.
NEGATION_WINDOW_TOKENS: Final = 3
#: A referral to a third party is the agent's own action, not blame, when an offer marker ("we'll", "I'll", 我来)
#: stands within this many tokens before it: the verb follows the auxiliary directly ("we'll take it up with them",
#: "I'll raise it with the rider team"); "you'll have to take it up with them" (offer marker "you'll have", then
#: "to") still sends the customer away.
AGENT_ACTION_WINDOW_TOKENS: Final = 0
#: Maximum length of text accepted by ``score()`` (characters); ``Config.max_length`` overrides.
DEFAULT_MAX_LENGTH: Final = 2_000_000


def points(rule: Rule) -> float:
    """The points a rule's cue earns: the rule's own ``weight`` when it sets one, else its cue's default."""
    if rule.weight is not None:
        return rule.weight
    return CUE_POINTS.get(rule.cue, 0.0)
