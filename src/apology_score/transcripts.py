"""Multi-turn transcripts: what the single-text scorer cannot see.

Input forms
-----------
* **Conversation JSONL**: one object per line, ``{"id": ..., "turns": [{"role": "customer" | "agent",
  "text": ..., "ts": ISO-8601 or epoch seconds (optional)}, ...]}``.
* **Long CSV**: one row per turn with the columns ``conversation_id, turn, role, text, ts`` (``turn`` and
  ``ts`` optional). The rows of a conversation must be contiguous; within one conversation they are ordered
  by ``turn`` when that column holds integers, else kept in file order.

Roles are compared case-insensitively. ``agent_roles`` (default ``("agent",)``) are the side that
apologizes; ``customer_roles`` (default: every other role) are the side that complains.

Measures (all in :class:`ConversationReport`)
---------------------------------------------
* **complaint**: the customer's first complaint: the first customer turn containing a complaint cue
  (:data:`COMPLAINT_CUES_ZH`, :data:`COMPLAINT_CUES_EN`: 没收到, 坏了, still, wrong, refund, ...), else the
  first customer turn.
* **first_apology** / **first_remedy**: the first agent turn at or after the complaint whose report has an
  apology finding (cue ``apology``) / a concrete remedy finding (cue ``remedy`` or ``choice``) with positive
  points; measured in agent turns (1 = the first agent reply after the complaint) and, when both turns
  carry a timestamp, in seconds.
* **evasions_after_complaint**: evasion findings (denial, contradiction, interruption, blame, ...) in an
  agent turn that answers a customer turn at or after the complaint.
* **follow_up_promised**: a follow-up cue (回访, "I'll check back") in an agent turn.
  **followed_up**: the agent came back unprompted after the first remedy: an agent turn right after another
  agent turn that is at least :data:`FOLLOW_UP_MIN_GAP_SECONDS` later (with timestamps), or, without
  timestamps, one that reports a completed action or a check-back (cues ``done`` / ``follow_up``).
* **timeliness**: the conversation's timeliness from the measured delays (:func:`delay_level`):

  ============  =======================  ==================================
  level         with timestamps          without (agent replies)
  ============  =======================  ==================================
  4             within 5 minutes         in the first reply
  3             within 1 hour            in the second reply
  2             within 24 hours          in the third reply
  1             later                    later
  0             never                    never
  ============  =======================  ==================================

  The score is ``25 * (apology level + remedy level) / 2`` (0..100). Each delay uses seconds when both of
  its turns have a timestamp, else agent replies; the report says which (``basis``).

Every measure carries :class:`Evidence`: the turn (1-based position in the conversation), the span
(``start``/``end`` offsets into that turn's text) and the rule that produced it; :meth:`ConversationReport.explain`
prints them.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from apology_score.config import Config
from apology_score.errors import InputError
from apology_score.report import DIMENSION_NAMES, Finding, ScoreReport
from apology_score.weights import LEVEL

# --- thresholds --------------------------------------------------------------------------------------

#: (seconds, level): a delay of at most ``seconds`` earns ``level`` (first match wins); later is level 1.
SECONDS_THRESHOLDS: tuple[tuple[float, int], ...] = ((5 * 60, 4), (60 * 60, 3), (24 * 60 * 60, 2))
#: (agent replies, level): the n-th agent reply after the complaint earns ``level``; later is level 1.
TURN_THRESHOLDS: tuple[tuple[int, int], ...] = ((1, 4), (2, 3), (3, 2))
#: An unprompted agent turn at least this long after the previous turn counts as coming back (follow-up).
FOLLOW_UP_MIN_GAP_SECONDS = 10 * 60

#: Complaint cues in customer turns (substring match).
COMPLAINT_CUES_ZH: tuple[str, ...] = (
    "投诉", "没收到", "没有收到", "还没到", "还没有", "还没", "怎么回事", "怎么还", "坏了", "破了", "破损",
    "发错", "错了", "不对", "少了", "漏发", "太慢", "差评", "退款", "退货", "失望", "生气", "不满", "骗",
    "质量问题", "问题", "催", "为什么", "一直", "不能用", "用不了",
)
#: Complaint cues in customer turns (whole words, case-insensitive).
COMPLAINT_CUES_EN: tuple[str, ...] = (
    "complain", "complaint", "still", "never", "not received", "haven't received", "hasn't arrived",
    "didn't receive", "did not receive", "wrong", "broken", "damaged", "missing", "late", "delayed", "delay",
    "refund", "terrible", "awful", "disappointed", "angry", "unacceptable", "ridiculous", "problem", "issue",
    "charged twice", "not working", "doesn't work", "does not work", "cancel", "why",
)
_EN_CUE_RE = re.compile(r"\b(" + "|".join(re.escape(c) for c in COMPLAINT_CUES_EN) + r")\b", re.IGNORECASE)
_ZH_CUE_RE = re.compile("|".join(re.escape(c) for c in COMPLAINT_CUES_ZH))

APOLOGY_CUES = frozenset({"apology"})
REMEDY_CUES = frozenset({"remedy", "choice"})
FOLLOW_UP_CUES = frozenset({"follow_up"})
DONE_CUES = frozenset({"done"})

# --- errors ------------------------------------------------------------------------------------------

RecordErrorKind = Literal["malformed_json", "missing_field", "wrong_type", "bad_value", "too_long", "error"]


class RecordError(InputError):
    """A batch record (a reply or a conversation) that cannot be scored: ``kind`` says why."""

    def __init__(
        self, kind: RecordErrorKind, reason: str, *, field: str | None = None, record_id: str | None = None
    ) -> None:
        self.kind = kind
        self.field = field
        self.record_id = record_id
        self.reason = reason
        super().__init__(reason)


# --- models ------------------------------------------------------------------------------------------


class Turn(BaseModel):
    model_config = ConfigDict(frozen=True)
    turn: int = Field(ge=1, description="1-based position in the conversation")
    role: str
    text: str
    ts: datetime | None = None
    label: str | None = Field(default=None, description="The turn number as given in the input, if any")


class Conversation(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str | None = None
    turns: list[Turn]


class Evidence(BaseModel):
    """Which turn and span produced a measure."""

    model_config = ConfigDict(frozen=True)
    turn: int = Field(description="1-based position of the turn in the conversation")
    role: str
    start: int = Field(ge=0, description="Offset into the turn's text")
    end: int = Field(ge=0)
    text: str = Field(description="text[start:end] of the turn")
    rule_id: str | None = Field(default=None, description="The rule behind it (None for a complaint cue)")
    cue: str
    message: str


class Delay(BaseModel):
    """How long it took from the complaint to something the agent did."""

    model_config = ConfigDict(frozen=True)
    found: bool
    turn: int | None = Field(default=None, description="The turn where it happened")
    agent_turns: int | None = Field(default=None, description="1 = in the first agent reply after the complaint")
    seconds: float | None = Field(default=None, description="Seconds after the complaint (both timestamped)")
    basis: Literal["seconds", "turns", "none"]
    level: int = Field(ge=0, le=4)
    evidence: Evidence | None = None


class ConversationTimeliness(BaseModel):
    model_config = ConfigDict(frozen=True)
    score: float = Field(ge=0, le=100)
    apology_level: int
    remedy_level: int
    explanation: str


class AgentTurnReport(BaseModel):
    model_config = ConfigDict(frozen=True)
    turn: int
    role: str
    ts: datetime | None
    seconds_since_complaint: float | None
    replies_to_customer: bool = Field(description="The previous turn is the customer's")
    report: ScoreReport


class ConversationReport(BaseModel):
    """Everything measured about one conversation; every measure names its turn and span."""

    model_config = ConfigDict(frozen=True)
    id: str | None
    n_turns: int
    n_agent_turns: int
    has_timestamps: bool
    complaint: Evidence | None
    first_apology: Delay
    first_remedy: Delay
    evasions_after_complaint: list[Evidence]
    follow_up_promised: Evidence | None
    followed_up: Evidence | None
    timeliness: ConversationTimeliness
    dimensions: dict[str, float] = Field(
        description="timeliness: the conversation's; the others: the best agent turn's score"
    )
    best_turns: dict[str, int | None] = Field(description="The agent turn behind each dimension's best score")
    evasive: bool
    agent_turns: list[AgentTurnReport]
    notes: list[str]

    def explain(self) -> str:
        """A readable account: which turn and span produced each measure."""
        lines = [f"conversation {self.id!r}: {self.n_turns} turns, {self.n_agent_turns} by the agent"]
        if self.complaint is None:
            lines.append("  no customer turn: nothing to measure from")
        else:
            c = self.complaint
            lines.append(f"  complaint: turn {c.turn} ({c.role}) {c.message}: {c.text!r}")
        for name, delay in (("first apology", self.first_apology), ("first concrete remedy", self.first_remedy)):
            lines.append(f"  {name}: {_describe_delay(delay)}")
        for e in self.evasions_after_complaint:
            lines.append(f"  evasion after the complaint: turn {e.turn} [{e.rule_id}] {e.text!r}: {e.message}")
        if self.follow_up_promised:
            e = self.follow_up_promised
            lines.append(f"  follow-up promised: turn {e.turn} [{e.rule_id}] {e.text!r}")
        if self.followed_up:
            e = self.followed_up
            lines.append(f"  followed up: turn {e.turn} {e.message}")
        else:
            lines.append("  followed up: no")
        lines.append(f"  conversation timeliness {self.timeliness.score:g}: {self.timeliness.explanation}")
        for name in DIMENSION_NAMES:
            turn = self.best_turns.get(name)
            src = "measured delays" if name == "timeliness" else (f"turn {turn}" if turn else "no agent turn")
            lines.append(f"  {name}: {self.dimensions[name]:g} ({src})")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def _describe_delay(d: Delay) -> str:
    if not d.found or d.evidence is None:
        return "never (level 0)"
    when = f"agent reply {d.agent_turns} after the complaint"
    if d.seconds is not None:
        when += f", {_fmt_seconds(d.seconds)} later"
    return f"turn {d.turn} [{d.evidence.rule_id}] {d.evidence.text!r}, {when} (level {d.level} by {d.basis})"


def _fmt_seconds(s: float) -> str:
    if s < 120:
        return f"{s:g} s"
    if s < 7200:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"


# --- parsing -----------------------------------------------------------------------------------------


def parse_ts(value: object, *, field: str) -> datetime | None:
    """ISO-8601 text or epoch seconds -> an aware datetime (naive times are taken as UTC); None/"" -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordError("wrong_type", f"field {field!r}: expected ISO-8601 text or epoch seconds, got bool",
                          field=field)
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise RecordError("bad_value", f"field {field!r}: {value!r} is not a valid epoch time ({exc})",
                              field=field) from None
    if isinstance(value, str):
        s = value.strip()
        try:
            return datetime.fromtimestamp(float(s), tz=UTC)
        except ValueError:
            pass
        except (OverflowError, OSError):
            raise RecordError("bad_value", f"field {field!r}: {value!r} is not a valid epoch time",
                              field=field) from None
        try:
            dt = datetime.fromisoformat(s)
        except ValueError:
            raise RecordError(
                "bad_value", f"field {field!r}: {value!r} is neither ISO-8601 nor epoch seconds", field=field
            ) from None
        return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
    raise RecordError(
        "wrong_type",
        f"field {field!r}: expected ISO-8601 text or epoch seconds, got {type(value).__name__}",
        field=field,
    )


def _id_value(value: object, field: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise RecordError("wrong_type", f"field {field!r}: expected a string or number id, got {type(value).__name__}",
                      field=field)


def parse_conversation(
    obj: object,
    *,
    id_field: str = "id",
    turns_field: str = "turns",
    role_field: str = "role",
    text_field: str = "text",
    ts_field: str = "ts",
    turn_field: str = "turn",
) -> Conversation:
    """Validate one conversation object; :class:`RecordError` names the field (``turns[2].text``)."""
    if not isinstance(obj, dict):
        raise RecordError("wrong_type", f"expected a JSON object per conversation, got {_json_type(obj)}")
    conv_id = _id_value(obj.get(id_field), id_field)
    if turns_field not in obj:
        raise RecordError("missing_field", f"missing field {turns_field!r}", field=turns_field)
    raw_turns = obj[turns_field]
    if not isinstance(raw_turns, list):
        raise RecordError("wrong_type", f"field {turns_field!r}: expected a list of turns, got "
                          f"{_json_type(raw_turns)}", field=turns_field)
    turns: list[Turn] = []
    for i, raw in enumerate(raw_turns):
        where = f"{turns_field}[{i}]"
        if not isinstance(raw, dict):
            raise RecordError("wrong_type", f"field {where!r}: expected an object, got {_json_type(raw)}",
                              field=where)
        for key in (role_field, text_field):
            if key not in raw or raw[key] is None:
                raise RecordError("missing_field", f"missing field '{where}.{key}'", field=f"{where}.{key}")
            if not isinstance(raw[key], str):
                raise RecordError("wrong_type", f"field '{where}.{key}': expected a string, got "
                                  f"{_json_type(raw[key])}", field=f"{where}.{key}")
        label = raw.get(turn_field)
        turns.append(
            Turn(
                turn=i + 1,
                role=raw[role_field].strip(),
                text=raw[text_field],
                ts=parse_ts(raw.get(ts_field), field=f"{where}.{ts_field}"),
                label=None if label is None else str(label),
            )
        )
    return Conversation(id=conv_id, turns=turns)


def _json_type(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def read_conversations_jsonl(path: str | Path, **fields: str) -> Iterator[Conversation]:
    """Conversations from a JSONL file, lazily; :class:`InputError` names the file and line."""
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield parse_conversation(json.loads(line), **fields)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{line_no}: malformed JSON: {exc.msg} (column {exc.colno})") from None
            except RecordError as exc:
                raise InputError(f"{path}:{line_no}: {exc.reason}") from None


#: Column names of the long CSV form.
CSV_COLUMNS = {"id": "conversation_id", "turn": "turn", "role": "role", "text": "text", "ts": "ts"}


def csv_rows(fh: Iterable[str]) -> Iterator[tuple[int, dict[str, str | None]]]:
    """``csv.DictReader`` rows with the line number each row starts on (the header is line 1)."""
    reader = csv.DictReader(fh)
    last = 1
    for row in reader:
        yield last + 1, row
        last = reader.line_num


def iter_csv_conversation_records(
    rows: Iterable[tuple[int, dict[str, str | None]]],
    *,
    id_field: str = "conversation_id",
    turn_field: str = "turn",
    role_field: str = "role",
    text_field: str = "text",
    ts_field: str = "ts",
) -> Iterator[tuple[int, dict[str, Any] | RecordError]]:
    """Group long-form rows into conversation objects (as in the JSONL form), streaming.

    ``rows`` are ``(line, row)`` pairs as :func:`csv_rows` gives. Yields ``(line of the conversation's
    first row, object or RecordError)``; the object has ``id`` and
    ``turns`` (each with role, text, ts, turn). A conversation whose rows are not contiguous is an error.
    """
    seen: dict[str, int] = {}
    current: str | None = None
    first_line = 0
    group: list[tuple[int, dict[str, str | None]]] = []

    def flush() -> tuple[int, dict[str, Any] | RecordError]:
        return first_line, _group_to_object(current, group, id_field, turn_field, role_field, text_field, ts_field)

    for line, row in rows:
        conv = row.get(id_field)
        if conv is None or conv == "":
            if group:
                yield flush()
                group, current = [], None
            yield line, RecordError("missing_field", f"missing field {id_field!r}", field=id_field)
            continue
        if conv != current:
            if group:
                yield flush()
            if conv in seen:
                group, current = [], None
                yield line, RecordError(
                    "bad_value",
                    f"rows of conversation {conv!r} are not contiguous (it started at line {seen[conv]}); "
                    f"sort the file by {id_field}",
                    field=id_field,
                    record_id=str(conv),
                )
                continue
            seen[conv] = line
            current, first_line, group = conv, line, []
        group.append((line, row))
    if group:
        yield flush()


def _group_to_object(
    conv: str | None,
    group: list[tuple[int, dict[str, str | None]]],
    id_field: str,
    turn_field: str,
    role_field: str,
    text_field: str,
    ts_field: str,
) -> dict[str, Any] | RecordError:
    turns: list[dict[str, Any]] = []
    for line, row in group:
        for key in (role_field, text_field):
            if row.get(key) is None:
                return RecordError("missing_field", f"line {line}: missing field {key!r}", field=key,
                                   record_id=None if conv is None else str(conv))
        turns.append({"role": row[role_field], text_field: row[text_field], "ts": row.get(ts_field) or None,
                      "turn": row.get(turn_field) or None, "_line": line})
    labels = [t["turn"] for t in turns]
    if all(lab is not None for lab in labels):
        try:
            keys = [int(str(lab)) for lab in labels]
        except ValueError:
            bad = next(t for t in turns if not str(t["turn"]).lstrip("-").isdigit())
            return RecordError("bad_value", f"line {bad['_line']}: field {turn_field!r} is {bad['turn']!r}, "
                               "not an integer", field=turn_field, record_id=None if conv is None else str(conv))
        order = sorted(range(len(turns)), key=lambda i: keys[i])
        turns = [turns[i] for i in order]
    for t in turns:
        del t["_line"]
    return {id_field: conv, "turns": turns}


def read_conversations_csv(path: str | Path, **fields: str) -> Iterator[Conversation]:
    """Conversations from a long CSV file (columns :data:`CSV_COLUMNS`); errors name the file and line."""
    with open(path, encoding="utf-8", newline="") as fh:
        for line, obj in iter_csv_conversation_records(csv_rows(fh), **fields):
            if isinstance(obj, RecordError):
                raise InputError(f"{path}:{line}: {obj.reason}")
            try:
                yield parse_conversation(obj, id_field=fields.get("id_field", "conversation_id"),
                                         text_field=fields.get("text_field", "text"))
            except RecordError as exc:
                raise InputError(f"{path}:{line}: {exc.reason}") from None


def read_conversations(path: str | Path, **fields: str) -> Iterator[Conversation]:
    """Conversations from ``.csv`` (long form) or JSONL (anything else)."""
    if str(path).lower().endswith(".csv"):
        return read_conversations_csv(path, **fields)
    return read_conversations_jsonl(path, **fields)


# --- scoring -----------------------------------------------------------------------------------------


def find_complaint(text: str) -> tuple[int, int] | None:
    """The first complaint cue in a customer turn, as a span."""
    spans = [m.span() for m in (_ZH_CUE_RE.search(text), _EN_CUE_RE.search(text)) if m is not None]
    return min(spans) if spans else None


def delay_level(seconds: float | None, agent_turns: int | None) -> tuple[int, Literal["seconds", "turns", "none"]]:
    """The timeliness level 0..4 of a delay (seconds preferred) and the basis used."""
    if seconds is not None:
        for limit, level in SECONDS_THRESHOLDS:
            if seconds <= limit:
                return level, "seconds"
        return 1, "seconds"
    if agent_turns is not None:
        for limit_turns, level in TURN_THRESHOLDS:
            if agent_turns <= limit_turns:
                return level, "turns"
        return 1, "turns"
    return 0, "none"


def _first_finding(report: ScoreReport, dimension: str, cues: frozenset[str]) -> Finding | None:
    for f in report.findings:
        if f.dimension == dimension and f.cue in cues and f.contribution > 0:
            return f
    return None


def _evidence(turn: Turn, f: Finding) -> Evidence:
    return Evidence(turn=turn.turn, role=turn.role, start=f.start, end=f.end, text=f.text, rule_id=f.rule_id,
                    cue=f.cue, message=f.message)


def _seconds(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return (b - a).total_seconds()


def score_conversation(
    conversation: Conversation,
    *,
    agent_roles: Sequence[str] = ("agent",),
    customer_roles: Sequence[str] | None = None,
    config: Config | None = None,
) -> ConversationReport:
    """Score every agent turn and measure the conversation (see the module documentation)."""
    from apology_score.pipeline.core import get_pipeline

    pipeline = get_pipeline(config)
    agents = {r.casefold() for r in agent_roles}
    customers = {r.casefold() for r in customer_roles} if customer_roles is not None else None

    def is_agent(t: Turn) -> bool:
        return t.role.casefold() in agents

    def is_customer(t: Turn) -> bool:
        return not is_agent(t) and (customers is None or t.role.casefold() in customers)

    turns = conversation.turns
    notes: list[str] = []
    reports: dict[int, ScoreReport] = {}
    for t in turns:
        if is_agent(t):
            reports[t.turn] = pipeline(t.text, None)

    # the complaint
    complaint_turn: Turn | None = None
    complaint: Evidence | None = None
    for t in turns:
        if is_customer(t):
            span = find_complaint(t.text)
            if span is not None:
                complaint_turn = t
                complaint = Evidence(turn=t.turn, role=t.role, start=span[0], end=span[1],
                                     text=t.text[span[0]:span[1]], cue="complaint",
                                     message="complaint cue")
                break
    if complaint_turn is None:
        complaint_turn = next((t for t in turns if is_customer(t)), None)
        if complaint_turn is not None:
            complaint = Evidence(turn=complaint_turn.turn, role=complaint_turn.role, start=0,
                                 end=len(complaint_turn.text), text=complaint_turn.text, cue="first_customer_turn",
                                 message="first customer turn (no complaint cue found)")
    if complaint_turn is None:
        notes.append("no customer turn: delays are measured from the start of the conversation")

    start_index = complaint_turn.turn if complaint_turn is not None else 0
    start_ts = complaint_turn.ts if complaint_turn is not None else None
    after = [t for t in turns if t.turn > start_index and is_agent(t)]
    ordinal = {t.turn: i + 1 for i, t in enumerate(after)}

    def measure(dimension: str, cues: frozenset[str]) -> Delay:
        for t in after:
            f = _first_finding(reports[t.turn], dimension, cues)
            if f is not None:
                secs = _seconds(start_ts, t.ts)
                if secs is not None and secs < 0:
                    notes.append(f"turn {t.turn} is timestamped before the complaint; delay measured in turns")
                    secs = None
                level, basis = delay_level(secs, ordinal[t.turn])
                return Delay(found=True, turn=t.turn, agent_turns=ordinal[t.turn], seconds=secs, basis=basis,
                             level=level, evidence=_evidence(t, f))
        return Delay(found=False, basis="none", level=0)

    first_apology = measure("sincerity", APOLOGY_CUES)
    first_remedy = measure("remedy", REMEDY_CUES)

    # evasions right after a customer turn (at or after the complaint)
    evasions: list[Evidence] = []
    prev: Turn | None = None
    replies: dict[int, bool] = {}
    for t in turns:
        if is_agent(t):
            replies[t.turn] = prev is not None and is_customer(prev)
            if replies[t.turn] and prev is not None and prev.turn >= start_index:
                found = [f for f in reports[t.turn].evasions if f.contribution < 0] or reports[t.turn].evasions[:1]
                evasions.extend(_evidence(t, f) for f in found)
        if is_agent(t) or is_customer(t):
            prev = t

    # follow-up
    promised: Evidence | None = None
    for t in turns:
        if is_agent(t):
            f = _first_finding(reports[t.turn], "remedy", FOLLOW_UP_CUES)
            if f is not None:
                promised = _evidence(t, f)
                break
    followed: Evidence | None = None
    if first_remedy.found and first_remedy.turn is not None:
        prev = None
        for t in turns:
            if prev is not None and is_agent(t) and is_agent(prev) and t.turn > first_remedy.turn:
                gap = _seconds(prev.ts, t.ts)
                if gap is not None:
                    if gap >= FOLLOW_UP_MIN_GAP_SECONDS:
                        followed = Evidence(turn=t.turn, role=t.role, start=0, end=len(t.text), text=t.text,
                                            cue="unprompted_turn",
                                            message=f"came back unprompted {_fmt_seconds(gap)} after turn {prev.turn}")
                        break
                else:
                    r = reports[t.turn]
                    f = _first_finding(r, "remedy", FOLLOW_UP_CUES) or next(
                        (x for x in r.findings if x.cue in DONE_CUES and x.contribution > 0), None)
                    if f is not None:
                        followed = Evidence(turn=t.turn, role=t.role, start=f.start, end=f.end, text=f.text,
                                            rule_id=f.rule_id, cue=f.cue,
                                            message=f"came back unprompted after turn {prev.turn}: {f.message}")
                        break
            if is_agent(t) or is_customer(t):
                prev = t

    score_value = LEVEL * (first_apology.level + first_remedy.level) / 2
    timeliness = ConversationTimeliness(
        score=score_value,
        apology_level=first_apology.level,
        remedy_level=first_remedy.level,
        explanation=(f"apology level {first_apology.level} ({_basis_text(first_apology)}), remedy level "
                     f"{first_remedy.level} ({_basis_text(first_remedy)}): 25 x mean level"),
    )
    dims: dict[str, float] = {"timeliness": score_value}
    best: dict[str, int | None] = {"timeliness": None}
    for name in DIMENSION_NAMES[1:]:
        scored = [(reports[t.turn].dimensions[name].score, -t.turn) for t in turns if is_agent(t)]
        if scored:
            value, neg_turn = max(scored)
            dims[name], best[name] = value, -neg_turn
        else:
            dims[name], best[name] = 0.0, None
    if not reports:
        notes.append(f"no agent turn (agent roles: {', '.join(sorted(agents))})")

    agent_reports = [
        AgentTurnReport(turn=t.turn, role=t.role, ts=t.ts, seconds_since_complaint=_seconds(start_ts, t.ts),
                        replies_to_customer=replies.get(t.turn, False), report=reports[t.turn])
        for t in turns if is_agent(t)
    ]
    return ConversationReport(
        id=conversation.id,
        n_turns=len(turns),
        n_agent_turns=len(agent_reports),
        has_timestamps=any(t.ts is not None for t in turns),
        complaint=complaint,
        first_apology=first_apology,
        first_remedy=first_remedy,
        evasions_after_complaint=evasions,
        follow_up_promised=promised,
        followed_up=followed,
        timeliness=timeliness,
        dimensions=dims,
        best_turns=best,
        evasive=any(r.evasive for r in reports.values()),
        agent_turns=agent_reports,
        notes=notes,
    )


def _basis_text(d: Delay) -> str:
    if not d.found:
        return "never"
    if d.basis == "seconds" and d.seconds is not None:
        return f"{_fmt_seconds(d.seconds)} after the complaint"
    return f"agent reply {d.agent_turns} after the complaint"
