"""Configuration: one pydantic model, passed as ``score(text, config=Config(...))``.

Defaults come from :mod:`apology_score.weights`; every field is documented in the README.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from apology_score import weights as defaults
from apology_score.errors import ConfigError


class DimensionWeights(BaseModel):
    """Weights of the four dimensions in the overall score (normalized by their sum)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    timeliness: float = Field(default=defaults.DEFAULT_DIMENSION_WEIGHTS["timeliness"], ge=0)
    sincerity: float = Field(default=defaults.DEFAULT_DIMENSION_WEIGHTS["sincerity"], ge=0)
    specificity: float = Field(default=defaults.DEFAULT_DIMENSION_WEIGHTS["specificity"], ge=0)
    remedy: float = Field(default=defaults.DEFAULT_DIMENSION_WEIGHTS["remedy"], ge=0)

    @model_validator(mode="after")
    def _positive_sum(self) -> DimensionWeights:
        if self.timeliness + self.sincerity + self.specificity + self.remedy <= 0:
            raise ValueError("at least one dimension weight must be positive")
        return self


class GradeThresholds(BaseModel):
    """Inclusive lower bounds of the grades on the overall score; below D is F."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    A: float = Field(default=defaults.DEFAULT_GRADE_THRESHOLDS["A"], ge=0, le=100)
    B: float = Field(default=defaults.DEFAULT_GRADE_THRESHOLDS["B"], ge=0, le=100)
    C: float = Field(default=defaults.DEFAULT_GRADE_THRESHOLDS["C"], ge=0, le=100)
    D: float = Field(default=defaults.DEFAULT_GRADE_THRESHOLDS["D"], ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> GradeThresholds:
        if not (self.A >= self.B >= self.C >= self.D):
            raise ValueError("grade thresholds must satisfy A >= B >= C >= D")
        return self

    def grade(self, overall: float) -> str:
        for letter in ("A", "B", "C", "D"):
            if overall >= getattr(self, letter):
                return letter
        return "F"


class Config(BaseModel):
    """How to score. Immutable and hashable, so pipelines are compiled once per distinct config."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    weights: DimensionWeights = Field(default_factory=DimensionWeights)
    grades: GradeThresholds = Field(default_factory=GradeThresholds)
    #: Extra lexicon files or folders; a rule whose id equals a built-in id replaces it.
    extra_lexicons: tuple[Path, ...] = ()
    #: Only rules whose id equals or starts with one of these (empty: all rules).
    select: tuple[str, ...] = ()
    #: Rules whose id equals or starts with one of these are switched off.
    ignore: tuple[str, ...] = ()
    #: Chinese segmenter: ``auto`` uses rjieba when installed (the ``fast`` extra), else jieba.
    segmenter: Literal["auto", "jieba", "rjieba"] = "auto"
    #: Longest text ``score()`` accepts, in characters; longer raises ``InputError``.
    max_length: int = Field(default=defaults.DEFAULT_MAX_LENGTH, gt=0)
    #: Points the overall loses for the first evasion (each further one costs half the previous).
    evasion_penalty: float = Field(default=defaults.EVASION_OVERALL_PENALTY, ge=0, le=100)

    @field_validator("select", "ignore")
    @classmethod
    def _ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not item or not item.replace("-", "").isalnum():
                raise ValueError(f"{item!r} is not a rule id or id prefix (like SIN-ZH-IFID or EVA-)")
        return tuple(v.upper() for v in value)

    def rule_enabled(self, rule_id: str) -> bool:
        if self.select and not any(rule_id.startswith(p) for p in self.select):
            return False
        return not any(rule_id.startswith(p) for p in self.ignore)

    @classmethod
    def from_mapping(cls, data: dict[str, object], *, source: str | None = None) -> Config:
        """Build from a plain mapping (e.g. a TOML table); errors name the key and the source file."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            key = ".".join(str(p) for p in err["loc"]) or None
            raise ConfigError(err["msg"], file=source, key=key) from exc


DEFAULT_CONFIG = Config()
