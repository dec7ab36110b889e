"""The public API: ``score()``."""

from __future__ import annotations

from apology_score.config import Config
from apology_score.pipeline.core import get_pipeline
from apology_score.report import ScoreReport


def score(text: str, *, context: str | None = None, config: Config | None = None) -> ScoreReport:
    """Score one apology text.

    :param text: the reply (Chinese, English or both). ``""`` gives an all-zero report with a note.
    :param context: optionally the customer's complaint; specificity then rewards naming what they raised.
    :param config: weights, grades, extra lexicons, rule selection; ``None`` uses the defaults.
    :raises TypeError: ``text`` is not a ``str`` (bytes get a hint to decode).
    :raises InputError: ``text`` is longer than ``config.max_length``.
    :raises LexiconError: an extra lexicon is invalid.
    """
    return get_pipeline(config)(text, context)
