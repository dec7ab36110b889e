"""Transcripts: both input forms, with and without timestamps, and the conversation measures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apology_score.cli import main
from apology_score.errors import InputError
from apology_score.transcripts import (
    Conversation,
    RecordError,
    Turn,
    delay_level,
    parse_conversation,
    parse_ts,
    read_conversations,
    score_conversation,
)

FIXTURES = Path(__file__).parent / "fixtures" / "batch"


def _by_id(path: Path, **kw: str) -> dict[str | None, Conversation]:
    return {c.id: c for c in read_conversations(path, **kw)}


def test_jsonl_with_timestamps_measures_delays_in_seconds() -> None:
    with pytest.raises(InputError, match=r"conversations.jsonl:4: .*'yesterday' is neither ISO-8601"):
        list(read_conversations(FIXTURES / "conversations.jsonl"))
    conv = parse_conversation(json.loads((FIXTURES / "conversations.jsonl").read_text().splitlines()[0]))
    r = score_conversation(conv)
    assert r.has_timestamps and r.n_turns == 8 and r.n_agent_turns == 5
    assert r.complaint is not None and r.complaint.turn == 3 and r.complaint.text in conv.turns[2].text
    # apology: turn 6, the second agent reply after the complaint, 3 minutes later -> level 4 (<= 5 min)
    a = r.first_apology
    assert (a.turn, a.agent_turns, a.seconds, a.basis, a.level) == (6, 2, 180.0, "seconds", 4)
    assert a.evidence is not None and a.evidence.rule_id
    assert conv.turns[5].text[a.evidence.start:a.evidence.end] == a.evidence.text
    # remedy: turn 7, 90 minutes after the complaint -> level 2 (<= 24 h)
    m = r.first_remedy
    assert (m.turn, m.agent_turns, m.seconds, m.level) == (7, 3, 5400.0, 2)
    assert r.timeliness.score == 25 * (4 + 2) / 2 == r.dimensions["timeliness"]
    # the denial right after the complaint is an evasion of turn 4
    assert [e.turn for e in r.evasions_after_complaint] == [4]
    assert r.evasions_after_complaint[0].rule_id.startswith("EVA-")
    assert r.follow_up_promised is not None and r.follow_up_promised.turn == 7
    assert r.followed_up is not None and r.followed_up.turn == 8  # came back unprompted the next morning
    assert r.best_turns["remedy"] == 7
    text = r.explain()
    assert "turn 6" in text and "turn 4" in text and "3.0 min" in text


def test_jsonl_without_timestamps_measures_agent_replies() -> None:
    conv = parse_conversation(json.loads((FIXTURES / "conversations.jsonl").read_text().splitlines()[1]))
    r = score_conversation(conv)
    assert not r.has_timestamps
    assert (r.first_apology.agent_turns, r.first_apology.seconds, r.first_apology.basis) == (1, None, "turns")
    assert r.first_remedy.level == 4 and r.timeliness.score == 100
    assert r.followed_up is not None and r.followed_up.turn == 3 and r.followed_up.rule_id
    assert r.evasions_after_complaint == []


def test_epoch_seconds_and_a_slow_recovery() -> None:
    conv = parse_conversation(json.loads((FIXTURES / "conversations.jsonl").read_text().splitlines()[2]))
    r = score_conversation(conv)
    assert r.first_apology.seconds == 48 * 3600 and r.first_apology.level == 1  # later than a day
    assert r.timeliness.score == 25.0


def test_long_csv_with_timestamps_sorted_by_turn() -> None:
    convs = _by_id(FIXTURES / "conversations_long.csv")
    assert list(convs) == ["c1", "c2"]
    c1 = convs["c1"]
    assert [t.role for t in c1.turns] == ["customer", "agent", "agent"]  # rows were out of order
    r = score_conversation(c1)
    assert (r.first_apology.turn, r.first_apology.seconds, r.first_apology.level) == (2, 180.0, 4)
    r2 = score_conversation(convs["c2"])
    # 请耐心等待 is not a remedy; the apology and the fix come a day later, in the second reply
    assert (r2.first_remedy.turn, r2.first_remedy.agent_turns, r2.first_remedy.level) == (4, 2, 1)
    assert r2.first_remedy.seconds == 26 * 3600 + 5 * 60


def test_long_csv_without_timestamps_custom_roles_and_non_contiguous_rows() -> None:
    with pytest.raises(InputError, match=r":8: rows of conversation 'k1' are not contiguous"):
        list(read_conversations(FIXTURES / "conversations_long_nots.csv"))
    first = next(iter(read_conversations(FIXTURES / "conversations_long_nots.csv")))
    r = score_conversation(first, agent_roles=["Assistant"])
    assert r.n_agent_turns == 2 and not r.has_timestamps
    assert [e.turn for e in r.evasions_after_complaint] == [2]
    assert (r.first_apology.agent_turns, r.first_apology.level) == (1, 4)  # "Sorry, but ..." still apologizes
    assert (r.first_remedy.turn, r.first_remedy.agent_turns, r.first_remedy.level) == (4, 2, 3)
    none = score_conversation(first)  # with the default role nobody is the agent
    assert none.n_agent_turns == 0 and none.timeliness.score == 0 and any("no agent turn" in n for n in none.notes)


def test_cli_transcripts_both_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "conv.jsonl"
    assert main(["batch", str(FIXTURES / "conversations.jsonl"), "-o", str(out), "--transcripts",
                 "--summary", str(tmp_path / "s.md")]) == 1
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    errors = [json.loads(x) for x in Path(str(out) + ".errors.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["ts-1", "plain-2", "epoch-3"]
    assert rows[0]["seconds_to_apology"] == 180.0 and rows[0]["turns_to_remedy"] == 3
    assert rows[1]["seconds_to_apology"] is None and rows[1]["turns_to_apology"] == 1
    assert {(e["line"], e["kind"], e["field"]) for e in errors} == {
        (4, "bad_value", "turns[0].ts"), (5, "missing_field", "turns[0].text"), (6, "wrong_type", "turns")}
    assert capsys.readouterr().err.strip().endswith("3 scored, 3 errors")
    assert "## Conversations" in (tmp_path / "s.md").read_text()

    out2 = tmp_path / "long.jsonl"
    assert main(["batch", str(FIXTURES / "conversations_long_nots.csv"), "-o", str(out2), "--transcripts",
                 "--agent-role", "assistant"]) == 1
    rows = [json.loads(x) for x in out2.read_text().splitlines()]
    [err] = [json.loads(x) for x in Path(str(out2) + ".errors.jsonl").read_text().splitlines()]
    assert [(r["line"], r["id"]) for r in rows] == [(2, "k1"), (6, "k2")]
    assert (err["line"], err["id"], err["kind"]) == (8, "k1", "bad_value")
    assert rows[0]["n_evasions_after_complaint"] == 1


def test_timestamps_and_thresholds() -> None:
    assert parse_ts("2024-05-01T10:00:00Z", field="ts") == parse_ts(1714557600, field="ts")
    assert parse_ts("2024-05-01 10:00:00", field="ts") == parse_ts("1714557600", field="ts")  # naive is UTC
    assert parse_ts(None, field="ts") is None
    with pytest.raises(RecordError, match="got bool"):
        parse_ts(True, field="turns[0].ts")
    assert delay_level(300, 9) == (4, "seconds") and delay_level(301, 1) == (3, "seconds")
    assert delay_level(3600, None) == (3, "seconds") and delay_level(86400, None) == (2, "seconds")
    assert delay_level(86401, None) == (1, "seconds")
    assert [delay_level(None, n)[0] for n in (1, 2, 3, 4)] == [4, 3, 2, 1]
    assert delay_level(None, None) == (0, "none")


def test_complaint_falls_back_to_the_first_customer_turn() -> None:
    conv = Conversation(id="x", turns=[Turn(turn=1, role="customer", text="hello there"),
                                       Turn(turn=2, role="agent", text="Sorry for the wait.")])
    r = score_conversation(conv)
    assert r.complaint is not None and r.complaint.cue == "first_customer_turn"
    assert r.first_apology.agent_turns == 1
