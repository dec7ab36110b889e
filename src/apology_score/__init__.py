"""apology-score: explainable scoring of apology text against the four principles of service recovery.

>>> from apology_score import score
>>> r = score("非常抱歉,您的订单发错了颜色,我们今天下午重新发货。")
>>> r.dimensions["remedy"].score > 0
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apology_score._version import __version__
from apology_score.api import score
from apology_score.config import Config, DimensionWeights, GradeThresholds
from apology_score.errors import ApologyScoreError, ConfigError, InputError, LexiconError
from apology_score.report import DimensionScore, Finding, ScoreReport

if TYPE_CHECKING:
    from apology_score.batch import score_frame, score_many

__all__ = [
    "ApologyScoreError",
    "Config",
    "ConfigError",
    "DimensionScore",
    "DimensionWeights",
    "Finding",
    "GradeThresholds",
    "InputError",
    "LexiconError",
    "ScoreReport",
    "__version__",
    "score",
    "score_frame",
    "score_many",
]


def __getattr__(name: str) -> Any:
    # batch helpers are imported lazily so `import apology_score` stays light
    if name in ("score_many", "score_frame"):
        from apology_score import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'apology_score' has no attribute {name!r}")
