"""The report models (pydantic v2): what ``score()`` returns and what every output format serializes."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_safe(value: str) -> str:
    """JSON is UTF-8, which cannot encode lone surrogates: write each as U+FFFD, one for one, so the
    offsets of the findings stay valid in the JSON."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", value)
    return value


#: Text copied from the input: any ``str`` in Python, UTF-8-encodable in JSON.
JsonText = Annotated[str, PlainSerializer(_json_safe, return_type=str, when_used="json")]

DimensionName = Literal["timeliness", "sincerity", "specificity", "remedy"]
DIMENSION_NAMES: tuple[DimensionName, ...] = ("timeliness", "sincerity", "specificity", "remedy")


class Finding(BaseModel):
    """One piece of evidence: a rule that fired on ``text[start:end]`` and what it contributed."""

    model_config = ConfigDict(frozen=True)
    rule_id: str = Field(description="Stable rule id, e.g. SIN-ZH-IFID")
    dimension: Literal["timeliness", "sincerity", "specificity", "remedy", "evasion"]
    cue: str = Field(description="The cue kind the rule detects (apology, deadline, denial, ...)")
    start: int = Field(ge=0, description="Start offset (characters) in the text passed to score()")
    end: int = Field(ge=0, description="End offset (exclusive); text[start:end] == finding.text")
    text: JsonText
    contribution: float = Field(description="Signed points this finding added to its dimension (or overall)")
    message: str
    severity: Literal["error", "warning", "info"]
    note: JsonText | None = Field(default=None, description="Why it counted differently (negated, repeat, ...)")


class DimensionScore(BaseModel):
    """A dimension's score and how it adds up: score == base + sum(contributions) + clipped."""

    model_config = ConfigDict(frozen=True)
    name: DimensionName
    score: float = Field(ge=0, le=100)
    level: int = Field(ge=0, le=4, description="The rubric level 0..4 the score corresponds to")
    base: float
    clipped: float = Field(description="Points removed (negative) or added (positive) by clipping to 0..100")
    findings: list[Finding]


class OverallBreakdown(BaseModel):
    model_config = ConfigDict(frozen=True)
    weights: dict[str, float]
    weighted: dict[str, float] = Field(description="Each dimension's share of the overall")
    evasion_penalty: float
    clipped: float


class RulesetInfo(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    version: str
    content_hash: str


class ScoreReport(BaseModel):
    """The explainable score of one apology text."""

    model_config = ConfigDict(frozen=True)
    text: JsonText
    language: Literal["zh", "en", "mixed"]
    overall: float = Field(ge=0, le=100)
    grade: Literal["A", "B", "C", "D", "F"]
    dimensions: dict[DimensionName, DimensionScore]
    evasions: list[Finding]
    overall_breakdown: OverallBreakdown
    suggestions: list[JsonText]
    notes: list[JsonText]
    ruleset: RulesetInfo
    scorer_version: str

    @property
    def evasive(self) -> bool:
        return bool(self.evasions)

    @property
    def findings(self) -> list[Finding]:
        """Every finding of the four dimensions and the evasions, in text order."""
        out = [f for d in self.dimensions.values() for f in d.findings] + list(self.evasions)
        return sorted(out, key=lambda f: (f.start, f.end, f.rule_id, f.dimension))

    @property
    def rule_ids(self) -> list[str]:
        return sorted({f.rule_id for f in self.findings})

    def explain(self) -> str:
        """A readable breakdown: which spans earned or cost what, and why."""
        from apology_score.explain import explain

        return explain(self)
