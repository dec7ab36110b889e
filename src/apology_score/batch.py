"""Scoring many texts: :func:`score_many` (ordered, optionally over worker processes) and :func:`score_frame`.

>>> from apology_score.batch import score_many
>>> [r.grade for r in score_many(["Sorry for any inconvenience.", "抱歉。"])]  # doctest: +SKIP
['D', 'D']

Worker processes build the scoring pipeline (lexicons, segmenter dictionary) once each, in their
initializer, and then score chunks of ``chunksize`` texts. Results come back in input order, and at most a
few chunks per worker are in flight, so a generator of any length streams through in flat memory.

pandas is optional (the ``pandas`` extra); it is imported only by :func:`score_frame`.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from apology_score.config import Config
from apology_score.errors import InputError
from apology_score.report import DIMENSION_NAMES, ScoreReport

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")
R = TypeVar("R")

#: Texts per task sent to a worker process: large enough to amortize the inter-process round trip
#: (about 0.1 ms per report), small enough to keep every worker busy until the end of the input.
DEFAULT_CHUNKSIZE = 64
#: Chunks in flight per worker: enough to hide the latency of handing out work, bounded for flat memory.
CHUNKS_IN_FLIGHT_PER_WORKER = 3
#: Columns of :func:`score_frame`, in order.
FRAME_COLUMNS: tuple[str, ...] = (
    "overall",
    "grade",
    *DIMENSION_NAMES,
    "evasive",
    "n_evasions",
    "rule_ids",
    "language",
)


def resolve_jobs(n_jobs: int) -> int:
    """``n_jobs`` as a worker count: ``0`` or negative means one per CPU (``-1`` all, ``-2`` all but one)."""
    if n_jobs > 0:
        return n_jobs
    cpus = os.cpu_count() or 1
    return max(1, cpus + 1 + n_jobs) if n_jobs < 0 else cpus


# --- worker processes --------------------------------------------------------------------------------


def _watch_parent(parent: int) -> None:  # pragma: no cover - runs in worker processes
    # a worker whose parent was killed (kill -9) would otherwise wait forever for work
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def init_worker(config: Config | None, warm_up: bool = True) -> None:  # pragma: no cover - in workers
    """Worker initializer: build the pipeline once (lexicons, jieba dictionary) before the first task."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent, which shuts us down
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    from apology_score.pipeline.core import get_pipeline

    pipeline = get_pipeline(config)
    if warm_up:
        pipeline("抱歉，订单今天补发。Sorry, we will refund it today.")  # loads lazy parts (the dictionary)


def _pool(n_jobs: int, config: Config | None) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    # fork shares the parent's already-built pipeline for free; elsewhere each worker builds its own once
    method = "fork" if "fork" in methods and threading.active_count() == 1 else methods[0]
    if method == "fork":
        # build (and warm) the pipeline once here: every forked worker inherits it instead of building its
        # own copy at the same time as the others
        from apology_score.pipeline.core import get_pipeline

        get_pipeline(config)("抱歉，订单今天补发。Sorry, we will refund it today.")
    return ProcessPoolExecutor(
        max_workers=n_jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=init_worker,
        initargs=(config,),
    )


def ordered_map(
    func: Callable[[list[T]], list[R]],
    items: Iterable[T],
    *,
    n_jobs: int = 1,
    chunksize: int = DEFAULT_CHUNKSIZE,
    config: Config | None = None,
) -> Iterator[R]:
    """``func`` applied to consecutive chunks of ``items``, results flattened in input order.

    ``func`` must be a module-level function (it is pickled to the workers) that returns one result per
    item. With ``n_jobs == 1`` everything runs in this process. Memory stays flat: at most
    ``CHUNKS_IN_FLIGHT_PER_WORKER`` chunks per worker are read ahead.
    """
    if chunksize < 1:
        raise ValueError(f"chunksize must be at least 1, got {chunksize}")
    jobs = resolve_jobs(n_jobs)
    it = iter(items)
    if jobs == 1:
        while chunk := list(islice(it, chunksize)):
            yield from func(chunk)
        return
    pending: deque[Future[list[R]]] = deque()
    limit = jobs * CHUNKS_IN_FLIGHT_PER_WORKER
    with _pool(jobs, config) as pool:
        try:
            exhausted = False
            while True:
                while not exhausted and len(pending) < limit:
                    chunk = list(islice(it, chunksize))
                    if not chunk:
                        exhausted = True
                        break
                    pending.append(pool.submit(func, chunk))
                if not pending:
                    return
                yield from pending.popleft().result()
        finally:
            for fut in pending:
                fut.cancel()


# --- score_many --------------------------------------------------------------------------------------

_Outcome = tuple[bool, Any]  # (True, ScoreReport or its JSON) or (False, the exception score() raised)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _score_chunk(chunk: list[tuple[str, str | None, Config | None]]) -> list[_Outcome]:
    from apology_score.pipeline.core import get_pipeline

    out: list[_Outcome] = []
    for text, context, config in chunk:
        try:
            out.append((True, get_pipeline(config)(text, context)))
        except Exception as exc:  # handed back and re-raised in order by score_many
            out.append((False, exc))
    return out


def _score_chunk_json(chunk: list[tuple[str, str | None, Config | None]]) -> list[_Outcome]:
    """Like :func:`_score_chunk`, for worker processes: reports travel back as JSON, which pydantic writes
    and reads in compiled code at about a third of the cost of pickling the models (the parent shares the
    two cores with the workers). A text with lone surrogates, which JSON cannot carry, travels as the model."""
    out = _score_chunk(chunk)
    return [
        (True, value.model_dump_json()) if ok and not _SURROGATE.search(value.text) else (ok, value)
        for ok, value in out
    ]


def score_many(
    texts: Iterable[str],
    *,
    n_jobs: int = 1,
    chunksize: int = DEFAULT_CHUNKSIZE,
    config: Config | None = None,
    contexts: Iterable[str | None] | None = None,
) -> Iterator[ScoreReport]:
    """Score every text, yielding the reports in input order.

    :param texts: any iterable of ``str`` (a generator is read lazily, a few chunks ahead).
    :param n_jobs: worker processes; ``1`` scores in this process, ``-1`` uses one per CPU. Each worker
        loads the lexicons and the segmenter dictionary once.
    :param chunksize: texts per task handed to a worker.
    :param config: as for :func:`apology_score.score`.
    :param contexts: optionally the customer's complaint for each text (same length as ``texts``).
    :raises TypeError, InputError: as :func:`apology_score.score` would for the offending text, after the
        reports of every text before it were yielded.
    """
    items: Iterable[tuple[str, str | None, Config | None]] = (
        ((text, None, config) for text in texts) if contexts is None else _zip_strict(texts, contexts, config)
    )
    worker = _score_chunk if resolve_jobs(n_jobs) == 1 else _score_chunk_json
    for ok, value in ordered_map(worker, items, n_jobs=n_jobs, chunksize=chunksize, config=config):
        if not ok:
            raise value
        yield ScoreReport.model_validate_json(value) if isinstance(value, str) else value


def _zip_strict(
    texts: Iterable[str], contexts: Iterable[str | None], config: Config | None
) -> Iterator[tuple[str, str | None, Config | None]]:
    ctx = iter(contexts)
    n = 0
    for text in texts:
        try:
            context = next(ctx)
        except StopIteration:
            raise ValueError(f"contexts is shorter than texts: it ended before text {n + 1}") from None
        n += 1
        yield text, context, config
    if next(ctx, _END) is not _END:
        raise ValueError(f"contexts is longer than texts ({n} texts)")


_END: Any = object()


# --- pandas ------------------------------------------------------------------------------------------


def report_row(report: ScoreReport) -> dict[str, Any]:
    """The flat columns of one report (as in :func:`score_frame`; ``rule_ids`` comma-separated)."""
    row: dict[str, Any] = {"overall": report.overall, "grade": report.grade}
    for name in DIMENSION_NAMES:
        row[name] = report.dimensions[name].score
    row["evasive"] = report.evasive
    row["n_evasions"] = len(report.evasions)
    row["rule_ids"] = ",".join(report.rule_ids)
    row["language"] = report.language
    return row


def _require_pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "score_frame needs pandas: pip install 'apology-score[pandas]'"
        ) from exc
    return pandas


def result_frame(rows: Sequence[dict[str, Any]], index: pd.Index) -> pd.DataFrame:
    """Build the :func:`score_frame` result with fixed dtypes (also the ``meta`` of the Dask integration)."""
    pdm = _require_pandas()
    data = {
        "overall": pdm.Series([r["overall"] for r in rows], index=index, dtype="float64"),
        "grade": pdm.Series([r["grade"] for r in rows], index=index, dtype="str"),
    }
    for name in DIMENSION_NAMES:
        data[name] = pdm.Series([r[name] for r in rows], index=index, dtype="float64")
    data["evasive"] = pdm.Series([r["evasive"] for r in rows], index=index, dtype="bool")
    data["n_evasions"] = pdm.Series([r["n_evasions"] for r in rows], index=index, dtype="int64")
    data["rule_ids"] = pdm.Series([r["rule_ids"] for r in rows], index=index, dtype="str")
    data["language"] = pdm.Series([r["language"] for r in rows], index=index, dtype="str")
    frame: pd.DataFrame = pdm.DataFrame(data, index=index, columns=list(FRAME_COLUMNS))
    return frame


def _column_values(df: pd.DataFrame, col: str, *, optional: bool) -> list[Any]:
    if col not in df.columns:
        raise InputError(f"column {col!r} not found; the frame has {', '.join(map(str, df.columns))}")
    pd = _require_pandas()
    values: list[Any] = []
    for label, value in zip(df.index, df[col].tolist(), strict=True):
        if isinstance(value, str):
            values.append(value)
        elif optional and (value is None or (not isinstance(value, list | tuple) and pd.isna(value))):
            values.append(None)
        else:
            what = "missing (NaN/None)" if value is None or _isna_scalar(pd, value) else type(value).__name__
            hint = "; fill it first, e.g. df[col].fillna('')" if what.startswith("missing") else ""
            raise InputError(f"row {label!r}, column {col!r}: expected a str, got {what}{hint}")
    return values


def _isna_scalar(pd: Any, value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def score_frame(
    df: pd.DataFrame,
    text_col: str = "text",
    context_col: str | None = None,
    config: Config | None = None,
    n_jobs: int = 1,
    chunksize: int = DEFAULT_CHUNKSIZE,
) -> pd.DataFrame:
    """Score a text column; one row per input row, same index, flat columns.

    Columns: ``overall``, ``grade``, ``timeliness``, ``sincerity``, ``specificity``, ``remedy`` (0..100),
    ``evasive`` (bool), ``n_evasions`` (int), ``rule_ids`` (comma-separated, sorted; ``""`` for none;
    ``df.rule_ids.str.split(",")`` makes lists) and ``language`` (zh/en/mixed).

    :raises InputError: a column is missing or a text is not a ``str`` (names the row label); contexts
        may be missing (None/NaN).
    """
    texts = _column_values(df, text_col, optional=False)
    contexts = _column_values(df, context_col, optional=True) if context_col is not None else None
    reports = score_many(texts, n_jobs=n_jobs, chunksize=chunksize, config=config, contexts=contexts)
    rows = [report_row(r) for r in reports]
    return result_frame(rows, df.index)
