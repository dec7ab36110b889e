"""``apology-score batch INPUT -o OUTPUT``: score a corpus (JSONL, CSV, Parquet) or transcripts, streaming.

Every input record ends up in exactly one of two files:

* ``OUTPUT`` (JSON Lines): ``{"line", "id", <flat scores>, "report": {...}}`` per scored record, in input
  order;
* ``OUTPUT.errors.jsonl``: ``{"line", "id", "kind", "field", "reason"}`` per record that could not be scored
  (``kind``: malformed_json, missing_field, wrong_type, bad_value, too_long, error).

``line`` is the input line the record starts on (JSONL: the physical line; CSV: the row's first line, the
header being line 1; Parquet: the 1-based row number; long-form transcripts: the conversation's first row).
Blank JSONL lines are not records. The last line on stderr is ``N scored, M errors``; N + M is the number of
input records. Exit codes: 0 all scored, 1 some record failed, 2 usage or input error (nothing scored).

Crash safety: only whole lines are written (buffered, flushed about twice a second and fsynced every few
seconds), so a killed run leaves at most one partial line at the end of each file. ``--resume`` cuts that
partial line off, skips the input records already present in either file (by line number) and appends the
rest.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import time
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any, Literal

from apology_score.errors import ApologyScoreError

EXAMPLES = """examples:
  apology-score batch replies.jsonl -o scored.jsonl --workers 2 --summary summary.html
  apology-score batch replies.csv -o scored.jsonl --text-field reply --id-field ticket
  apology-score batch replies.parquet -o scored.jsonl --context-field complaint
  apology-score batch chats.jsonl -o conversations.jsonl --transcripts --agent-role assistant
  apology-score batch chats.csv -o conversations.jsonl --transcripts      # long form: conversation_id,turn,role,text,ts
  apology-score batch replies.jsonl -o scored.jsonl --resume              # after an interrupted run

exit codes: 0 all records scored, 1 some record failed (see OUTPUT.errors.jsonl), 2 usage or input error.
"""

#: Flush buffered output lines at least this often (seconds), so a killed run loses little work.
FLUSH_INTERVAL = 0.5
#: fsync the output files at least this often (seconds): a crash of the machine loses at most this much.
FSYNC_INTERVAL = 5.0
#: Flush when this many bytes are buffered.
FLUSH_BYTES = 1 << 18

Format = Literal["jsonl", "csv", "parquet"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    parser.add_argument("input", metavar="INPUT", help="JSONL, CSV or Parquet file (- reads JSONL/CSV from stdin)")
    parser.add_argument("-o", "--output", required=True, metavar="OUTPUT", help="JSON Lines file to write")
    parser.add_argument("--input-format", choices=("jsonl", "csv", "parquet"), default=None,
                        help="input format (default: from the extension; .csv, .parquet/.pq, else jsonl)")
    f = parser.add_argument_group("fields")
    f.add_argument("--text-field", default="text", metavar="NAME", help="field holding the text (default: text)")
    f.add_argument("--id-field", default=None, metavar="NAME",
                   help="field holding the record id (default: id; long-form transcripts: conversation_id)")
    f.add_argument("--context-field", default=None, metavar="NAME",
                   help="field holding the customer's complaint (optional; null or missing is fine)")
    t = parser.add_argument_group("transcripts")
    t.add_argument("--transcripts", action="store_true",
                   help="records are conversations: JSONL {id, turns: [{role, text, ts}]} or long CSV/Parquet "
                        "(conversation_id, turn, role, text, ts)")
    t.add_argument("--agent-role", action="append", metavar="ROLE", dest="agent_roles",
                   help="role name of the agent (repeatable; default: agent)")
    t.add_argument("--customer-role", action="append", metavar="ROLE", dest="customer_roles",
                   help="role name of the customer (repeatable; default: every role that is not an agent role)")
    r = parser.add_argument_group("run")
    r.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes (default 1; 0 = one per CPU)")
    r.add_argument("--chunksize", type=int, default=None, metavar="N", help="records per task sent to a worker")
    r.add_argument("--resume", action="store_true",
                   help="complete an interrupted run: keep OUTPUT and its errors file, skip records already there")
    r.add_argument("--max-records", type=int, default=None, metavar="N", help="stop after the first N input records")
    r.add_argument("--summary", metavar="PATH", help="also write a corpus summary (.html or .md)")
    r.add_argument("--no-progress", action="store_true", help="never show the progress bar")
    c = parser.add_argument_group("scoring")
    c.add_argument("--config", metavar="FILE", help="read settings from FILE instead of discovering one")
    c.add_argument("--isolated", action="store_true", help="ignore configuration files")
    c.add_argument("--select", action="append", metavar="IDS", help="only these rule ids/prefixes (comma-separated)")
    c.add_argument("--ignore", action="append", metavar="IDS", help="switch off these rule ids/prefixes")


# --- records -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """What a worker needs to turn a raw record into an output line (pickled once per task)."""

    transcripts: bool
    text_field: str
    id_field: str
    context_field: str | None
    agent_roles: tuple[str, ...]
    customer_roles: tuple[str, ...] | None
    config: Any  # Config | None (Any keeps this module import-light)


Payload = str | bytes | dict[str, Any] | Exception
Result = tuple[int, bool, str]  # (line, scored?, the JSON line to write)


def process_chunk(chunk: list[tuple[int, Payload]], spec: Spec) -> list[Result]:
    """Score a chunk of raw records (runs in the workers): one output or error line per record."""
    return [_process(line, payload, spec) for line, payload in chunk]


def _process(line: int, payload: Payload, spec: Spec) -> Result:
    from apology_score.transcripts import RecordError

    rec_id: str | None = None
    try:
        obj = _decode(payload)
        if not isinstance(obj, dict):
            raise RecordError("wrong_type", f"expected a JSON object, got {_json_type(obj)}")
        rec_id = _record_id(obj, spec.id_field)
        if spec.transcripts:
            return line, True, _score_conversation(line, rec_id, obj, spec)
        return line, True, _score_reply(line, rec_id, obj, spec)
    except RecordError as exc:
        return line, False, _error_line(line, rec_id or exc.record_id, exc.kind, exc.reason, exc.field)
    except ApologyScoreError as exc:
        return line, False, _error_line(line, rec_id, "too_long" if "limit" in str(exc) else "error", str(exc), None)
    except Exception as exc:  # never lose a record: anything unexpected is reported in the errors file
        return line, False, _error_line(line, rec_id, "error", f"{type(exc).__name__}: {exc}", None)


def _decode(payload: Payload) -> object:
    from apology_score.transcripts import RecordError

    if isinstance(payload, Exception):
        raise payload
    if isinstance(payload, dict):
        return payload
    if isinstance(payload, bytes):
        try:
            payload = payload.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RecordError("malformed_json", f"not UTF-8: {exc.reason} at byte {exc.start}") from None
    try:
        return json.loads(payload)
    except json.JSONDecodeError as exc:
        raise RecordError("malformed_json", f"malformed JSON: {exc.msg} (column {exc.colno})") from None


def _json_type(value: object) -> str:
    from apology_score.transcripts import _json_type as jt

    return jt(value)


def _record_id(obj: dict[str, Any], id_field: str) -> str | None:
    value = obj.get(id_field)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)[:200]


def _string_field(obj: dict[str, Any], name: str, *, optional: bool) -> str | None:
    from apology_score.transcripts import RecordError

    if name not in obj or obj[name] is None:
        if optional:
            return None
        what = "missing" if name not in obj else "null"
        raise RecordError("missing_field", f"missing field {name!r}" + (" (it is null)" if what == "null" else ""),
                          field=name)
    value = obj[name]
    if not isinstance(value, str):
        raise RecordError("wrong_type", f"field {name!r}: expected a string, got {_json_type(value)}", field=name)
    return value


def _score_reply(line: int, rec_id: str | None, obj: dict[str, Any], spec: Spec) -> str:
    from apology_score.batch import report_row
    from apology_score.pipeline.core import get_pipeline

    text = _string_field(obj, spec.text_field, optional=False) or ""
    context = _string_field(obj, spec.context_field, optional=True) if spec.context_field else None
    report = get_pipeline(spec.config)(text, context)
    row = report_row(report)
    row["rule_ids"] = report.rule_ids
    head = json.dumps({"line": line, "id": rec_id, **row}, ensure_ascii=False)
    return head[:-1] + ', "report": ' + report.model_dump_json() + "}"


def _score_conversation(line: int, rec_id: str | None, obj: dict[str, Any], spec: Spec) -> str:
    from apology_score.transcripts import parse_conversation, score_conversation

    conv = parse_conversation(obj, id_field=spec.id_field, text_field=spec.text_field)
    rep = score_conversation(conv, agent_roles=spec.agent_roles, customer_roles=spec.customer_roles,
                             config=spec.config)
    flat = {
        "line": line,
        "id": rec_id,
        **rep.dimensions,
        "evasive": rep.evasive,
        "n_turns": rep.n_turns,
        "n_agent_turns": rep.n_agent_turns,
        "turns_to_apology": rep.first_apology.agent_turns,
        "seconds_to_apology": rep.first_apology.seconds,
        "turns_to_remedy": rep.first_remedy.agent_turns,
        "seconds_to_remedy": rep.first_remedy.seconds,
        "n_evasions_after_complaint": len(rep.evasions_after_complaint),
        "followed_up": rep.followed_up is not None,
    }
    head = json.dumps(flat, ensure_ascii=False)
    return head[:-1] + ', "report": ' + rep.model_dump_json() + "}"


def _error_line(line: int, rec_id: str | None, kind: str, reason: str, field_name: str | None) -> str:
    return json.dumps({"line": line, "id": rec_id, "kind": kind, "field": field_name, "reason": reason},
                      ensure_ascii=False)


# --- reading -----------------------------------------------------------------------------------------


class UsageError(Exception):
    """Bad arguments or an unreadable input: exit 2 before anything is scored."""


class CountingReader(io.RawIOBase):
    """A binary stream wrapper that counts the bytes read (for the progress bar's ETA)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self.raw.read(len(b))
        n = len(data)
        b[:n] = data
        self.count += n
        return n


@dataclass
class Source:
    """The input records as ``(line, payload)`` and how far through the input we are."""

    records: Iterator[tuple[int, Payload]]
    total: int | None  # bytes (jsonl/csv) or rows (parquet); None when unknown (stdin)
    unit: Literal["bytes", "rows"]
    position: Any = field(default=lambda: 0)


def detect_format(path: str, explicit: str | None) -> Format:
    if explicit:
        return explicit  # type: ignore[return-value]
    lower = path.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith((".parquet", ".pq")):
        return "parquet"
    return "jsonl"


def open_source(path: str, fmt: Format, spec: Spec) -> tuple[Source, list[IO[bytes]]]:
    if path == "-":
        if fmt == "parquet":
            raise UsageError("Parquet cannot be read from stdin; pass a file")
        binary: IO[bytes] = sys.stdin.buffer
        size = None
    else:
        if not os.path.isfile(path):
            raise UsageError(f"{path}: no such file")
        size = os.path.getsize(path)
        if fmt == "parquet":
            return _parquet_source(path, spec), []
        binary = open(path, "rb")  # noqa: SIM115 - closed by the caller
    counter = CountingReader(binary)
    if fmt == "jsonl":
        return Source(_jsonl_records(counter), size, "bytes", lambda: counter.count), [binary]
    return Source(_csv_records(counter, path, spec), size, "bytes", lambda: counter.count), [binary]


def _jsonl_records(stream: CountingReader) -> Iterator[tuple[int, Payload]]:
    buffered = io.BufferedReader(stream, buffer_size=1 << 16)
    for line_no, raw in enumerate(buffered, 1):
        if raw.strip():
            yield line_no, raw


def _csv_records(stream: CountingReader, path: str, spec: Spec) -> Iterator[tuple[int, Payload]]:
    from apology_score.transcripts import csv_rows, iter_csv_conversation_records

    text = io.TextIOWrapper(io.BufferedReader(stream, buffer_size=1 << 16), encoding="utf-8", newline="")
    rows = csv_rows(text)
    try:
        first = next(rows)
    except StopIteration:
        return
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 ({exc.reason})") from None
    header = list(first[1].keys())
    needed = ["role", spec.text_field] if spec.transcripts else [spec.text_field]
    if spec.transcripts:
        needed.insert(0, spec.id_field)
    missing = [n for n in needed if n not in header]
    if missing:
        raise UsageError(f"{path}: no column {', '.join(map(repr, missing))}; the header has {', '.join(header)}")

    def all_rows() -> Iterator[tuple[int, dict[str, Any]]]:
        yield first
        yield from rows

    if spec.transcripts:
        yield from iter_csv_conversation_records(all_rows(), id_field=spec.id_field, text_field=spec.text_field)
    else:
        yield from all_rows()


def _parquet_source(path: str, spec: Spec) -> Source:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError("reading Parquet needs pyarrow: pip install 'apology-score[parquet]'") from None
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise UsageError(f"{path}: not a readable Parquet file ({exc})") from None
    names = list(pf.schema_arrow.names)
    needed = [spec.id_field, "role", spec.text_field] if spec.transcripts else [spec.text_field]
    missing = [n for n in needed if n not in names]
    if missing:
        raise UsageError(f"{path}: no column {', '.join(map(repr, missing))}; it has {', '.join(names)}")
    state = {"rows": 0}

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for batch in pf.iter_batches(batch_size=4096):
            for row in batch.to_pylist():
                state["rows"] += 1
                yield state["rows"], row

    records: Iterator[tuple[int, Payload]]
    if spec.transcripts:
        from apology_score.transcripts import iter_csv_conversation_records

        records = iter_csv_conversation_records(rows(), id_field=spec.id_field, text_field=spec.text_field)
    else:
        records = rows()
    return Source(records, pf.metadata.num_rows, "rows", lambda: state["rows"])


# --- writing and resuming ----------------------------------------------------------------------------

_LINE_KEY = re.compile(rb'^\{"line": ?(\d+)')


class Done:
    """Input line numbers already present in the output files (8 bytes each, sorted, for bisect)."""

    def __init__(self, lines: Iterable[int] = ()) -> None:
        self.lines = array("q", sorted(lines))
        self.count = len(self.lines)

    def __contains__(self, line: int) -> bool:
        i = bisect_left(self.lines, line)
        return i < len(self.lines) and self.lines[i] == line

    def merge(self, other: Done) -> Done:
        return Done([*self.lines, *other.lines])


def scan_output(path: Path) -> Done:
    """Line numbers recorded in an output/errors file; cuts off a partial trailing line (a killed run)."""
    if not path.exists():
        return Done()
    lines = array("q")
    good = 0
    with open(path, "r+b") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.endswith(b"\n"):
                break  # the partial line a crash left behind: not counted, cut off below
            m = _LINE_KEY.match(raw)
            if m is None or not raw.rstrip().endswith(b"}"):
                raise UsageError(f"{path}:{n}: not a line written by apology-score batch; cannot resume from it")
            lines.append(int(m.group(1)))
            good += len(raw)
        fh.truncate(good)
    return Done(lines)


class LineWriter:
    """Appends whole lines; flushes and fsyncs in chunks (never a partial line on purpose)."""

    def __init__(self, path: Path, *, append: bool) -> None:
        self.path = path
        self.fh = open(path, "ab" if append else "wb")  # noqa: SIM115 - closed in close()
        self.buf: list[bytes] = []
        self.size = 0
        self.count = 0

    def write(self, line: str) -> None:
        data = (line + "\n").encode("utf-8")
        self.buf.append(data)
        self.size += len(data)
        self.count += 1

    def flush(self, *, fsync: bool = False) -> None:
        if self.buf:
            self.fh.write(b"".join(self.buf))
            self.buf.clear()
            self.size = 0
        self.fh.flush()
        if fsync:
            os.fsync(self.fh.fileno())

    def close(self) -> None:
        self.flush(fsync=True)
        self.fh.close()


# --- progress ----------------------------------------------------------------------------------------


class Progress:
    """count, rate and ETA on stderr, redrawn at most 5 times a second; tqdm when installed."""

    def __init__(self, source: Source, enabled: bool) -> None:
        self.source = source
        self.enabled = enabled
        self.start = time.monotonic()
        self.last = 0.0
        self.bar: Any = None
        if enabled:
            try:
                from tqdm import tqdm

                unit_bytes = source.unit == "bytes"
                self.bar = tqdm(total=source.total, unit="B" if unit_bytes else " rows", unit_scale=unit_bytes,
                                unit_divisor=1024, file=sys.stderr, dynamic_ncols=True, mininterval=0.2)
            except ImportError:
                self.bar = None

    def update(self, n: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        pos = self.source.position()
        elapsed = max(now - self.start, 1e-9)
        rate = n / elapsed
        if self.bar is not None:
            self.bar.update(pos - self.bar.n)
            self.bar.set_postfix_str(f"{n:,} records, {rate:,.0f} rec/s", refresh=False)
            return
        eta = ""
        if self.source.total and pos:
            left = elapsed * (self.source.total - pos) / pos
            eta = f", {100 * pos / self.source.total:.0f}%, ETA {int(left // 60)}:{int(left % 60):02d}"
        sys.stderr.write(f"\r{n:,} records, {rate:,.0f} rec/s{eta}   ")
        sys.stderr.flush()

    def close(self) -> None:
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.close()
        else:
            sys.stderr.write("\n")


# --- run ---------------------------------------------------------------------------------------------


def _config(args: argparse.Namespace) -> Any:
    from apology_score.cli import settings as cfg

    loaded = cfg.discover_settings(args.config, isolated=args.isolated)
    try:
        effective = cfg.merge(loaded, select=args.select, ignore=args.ignore)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return effective.config


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageError as exc:
        print(f"apology-score batch: {exc}", file=sys.stderr)
        return 2
    except ApologyScoreError as exc:
        print(f"apology-score batch: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from apology_score.batch import DEFAULT_CHUNKSIZE, ordered_map, resolve_jobs

    if args.workers < 0:
        raise UsageError("--workers must be 0 (one per CPU) or more")
    if args.max_records is not None and args.max_records < 0:
        raise UsageError("--max-records must be 0 or more")
    if args.summary and not args.summary.lower().endswith((".html", ".htm", ".md")):
        raise UsageError(f"--summary {args.summary}: use a .html or .md file name")
    if args.resume and args.input == "-":
        raise UsageError("--resume needs an input file (stdin cannot be read again)")
    fmt = detect_format(args.input, args.input_format)
    id_field = args.id_field or ("conversation_id" if args.transcripts and fmt != "jsonl" else "id")
    config = _config(args)
    spec = Spec(
        transcripts=args.transcripts,
        text_field=args.text_field,
        id_field=id_field,
        context_field=args.context_field,
        agent_roles=tuple(args.agent_roles or ("agent",)),
        customer_roles=tuple(args.customer_roles) if args.customer_roles else None,
        config=config,
    )
    out_path = Path(args.output)
    err_path = Path(str(out_path) + ".errors.jsonl")
    if out_path.parent and not out_path.parent.exists():
        raise UsageError(f"{out_path.parent}: no such directory")

    done = Done()
    if args.resume:
        done_out, done_err = scan_output(out_path), scan_output(err_path)
        done = done_out.merge(done_err)
        prior_scored, prior_errors = done_out.count, done_err.count
    else:
        prior_scored = prior_errors = 0

    source, handles = open_source(args.input, fmt, spec)
    progress = Progress(source, enabled=sys.stderr.isatty() and not args.no_progress)
    out = LineWriter(out_path, append=args.resume)
    err = LineWriter(err_path, append=args.resume)
    seen = 0

    def todo() -> Iterator[tuple[int, Payload]]:
        nonlocal seen
        for line, payload in source.records:
            if args.max_records is not None and seen >= args.max_records:
                return
            seen += 1
            if line not in done:
                yield line, payload

    chunksize = args.chunksize or (DEFAULT_CHUNKSIZE if resolve_jobs(args.workers) > 1 else 16)
    processed = 0
    last_flush = last_sync = time.monotonic()
    try:
        for _line, ok, text in ordered_map(partial(process_chunk, spec=spec), todo(),
                                           n_jobs=args.workers, chunksize=chunksize, config=config):
            (out if ok else err).write(text)
            processed += 1
            progress.update(processed)
            if out.size + err.size >= FLUSH_BYTES or processed % 64 == 0:
                now = time.monotonic()
                if out.size + err.size >= FLUSH_BYTES or now - last_flush >= FLUSH_INTERVAL:
                    sync = now - last_sync >= FSYNC_INTERVAL
                    out.flush(fsync=sync)
                    err.flush(fsync=sync)
                    last_flush = now
                    last_sync = now if sync else last_sync
    finally:
        out.close()
        err.close()
        progress.close()
        for h in handles:
            h.close()

    n_scored = prior_scored + out.count
    n_errors = prior_errors + err.count
    if args.resume and (prior_scored or prior_errors):
        print(f"resumed: {prior_scored + prior_errors} records were already done", file=sys.stderr)
    if args.summary:
        from apology_score.render.summary import summarize_output

        summarize_output(out_path, Path(args.summary), transcripts=args.transcripts, errors=n_errors)
        print(f"summary written to {args.summary}", file=sys.stderr)
    if n_errors:
        print(f"errors written to {err_path}", file=sys.stderr)
    print(f"{n_scored} scored, {n_errors} errors", file=sys.stderr)
    return 1 if n_errors else 0
