"""Dask: score a text column of a ``dask.dataframe`` with ``map_partitions`` (the ``dask`` extra).

The same code runs on a laptop and on a cluster::

    import dask.dataframe as dd
    from distributed import Client
    from apology_score.integrations.dask import score_dataframe

    client = Client()                              # local processes; on a cluster: Client("tcp://scheduler:8786")
    ddf = dd.read_parquet("replies/*.parquet")
    scores = score_dataframe(ddf, text_col="text").compute()

Each worker process compiles the scoring pipeline once (it is cached per process and configuration) and
scores its partitions with :func:`apology_score.batch.score_frame`; the result has the columns of
``score_frame`` and the input's index and divisions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apology_score.batch import result_frame, score_frame
from apology_score.config import Config

if TYPE_CHECKING:
    import pandas as pd


def _score_partition(part: pd.DataFrame, text_col: str, context_col: str | None, config: Config | None) -> pd.DataFrame:
    return score_frame(part, text_col=text_col, context_col=context_col, config=config)


def meta_frame(index: Any) -> pd.DataFrame:
    """The empty frame describing the result's columns and dtypes (Dask's ``meta``)."""
    return result_frame([], index[:0])


def score_dataframe(
    ddf: Any,
    text_col: str = "text",
    context_col: str | None = None,
    config: Config | None = None,
) -> Any:
    """A lazy ``dask.dataframe.DataFrame`` of scores, one row per input row (see ``score_frame``)."""
    try:
        import dask.dataframe  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("score_dataframe needs dask: pip install 'apology-score[dask]'") from exc
    columns = list(ddf.columns)
    for col in (text_col, context_col):
        if col is not None and col not in columns:
            raise KeyError(f"column {col!r} not found; the frame has {', '.join(map(str, columns))}")
    meta = meta_frame(ddf._meta.index)
    return ddf.map_partitions(_score_partition, text_col, context_col, config, meta=meta, enforce_metadata=True)
