"""``apology-score score``, ``rules`` and ``rule ID`` through the real CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from apology_score import score
from apology_score.cli import main

EVASIVE = "这不是我们的问题,您找快递去。"
GOOD = "非常抱歉,您的订单发错了颜色,是我们仓库的失误。我们今天下午重新发货,并退还5元运费。"


def test_score_json_is_exactly_the_report_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["score", GOOD, "--format", "json", "--isolated"])
    out = capsys.readouterr().out
    assert code == 0
    assert out == score(GOOD).model_dump_json() + "\n"


def test_score_reads_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO((GOOD + "\n").encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["score", "-", "-f", "json", "--isolated"]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == GOOD


def test_score_stdin_not_utf8_is_an_input_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"ok\n\xff\xfe bad"), encoding="utf-8"))
    assert main(["score", "-", "--isolated"]) == 2
    assert "stdin is not valid UTF-8 (line 2" in capsys.readouterr().err


def test_score_text_plain_lists_evidence_and_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", EVASIVE, "--isolated"]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" not in out  # not a terminal
    assert "EVASIVE" in out and "EVA-ZH-DENY" in out and "“这不是我们的问题”" in out
    assert "suggestions" in out
    for dim in ("timeliness", "sincerity", "specificity", "remedy"):
        assert dim in out


def test_score_text_highlights_spans_per_dimension_when_colored(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", GOOD, "--color", "always", "--isolated"]) == 0
    out = capsys.readouterr().out
    report = score(GOOD)
    remedy = report.dimensions["remedy"].findings[0]
    assert f"\x1b[32m{remedy.text}" in out  # remedy spans are green
    evasive = main(["score", EVASIVE, "--color", "always", "--isolated"])
    assert evasive == 0 and "\x1b[4;31m这不是我们的问题\x1b[0m" in capsys.readouterr().out


def test_no_color_env_wins_in_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from apology_score.cli.formats import use_color

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert use_color("auto", Tty()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color("auto", Tty()) is False
    assert use_color("always", Tty()) is True
    assert use_color("auto", io.StringIO()) is False


def test_score_select_flag_and_bad_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", EVASIVE, "-f", "json", "--ignore", "EVA-", "--isolated"]) == 0
    assert json.loads(capsys.readouterr().out)["evasions"] == []
    assert main(["score", EVASIVE, "--ignore", "EVA ZH", "--isolated"]) == 2
    assert "not a rule id" in capsys.readouterr().err


def test_score_too_long_is_an_input_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".apology-score.toml").write_text("max-length = 5\n", encoding="utf-8")
    assert main(["score", GOOD]) == 2
    assert "over the limit of 5" in capsys.readouterr().err


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    from apology_score.lexicon import load_ruleset

    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "DIMENSION", "SEVERITY", "MESSAGE"]
    ruleset = load_ruleset()
    for rule in ruleset.rules:
        row = next(line for line in lines if line.startswith(rule.id + " "))
        assert row.split()[1:3] == [rule.dimension, rule.severity]
        assert rule.message.en in row
    assert main(["rules", "--dimension", "evasion", "-f", "json", "--lang", "zh"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data and {r["dimension"] for r in data} == {"evasion"}
    assert main(["rules", "--dimension", "kindness"]) == 2


def test_rule_shows_full_doc(capsys: pytest.CaptureFixture[str]) -> None:
    from apology_score.lexicon import load_ruleset

    rule = load_ruleset().rule("EVA-ZH-DENY")
    assert main(["rule", "eva-zh-deny"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("EVA-ZH-DENY: " + rule.message.en)
    assert rule.why in out
    assert f"✓ {rule.examples.fires[0]}" in out and f"✗ {rule.examples.silent[0]}" in out
    assert "severity: error" in out and "evasion.zh.yaml:" in out
    assert main(["rule", "EVA-ZH-DENX"]) == 2
    assert "did you mean EVA-ZH-DENY" in capsys.readouterr().err


def test_version_flag_via_subprocess() -> None:
    from apology_score import __version__

    done = subprocess.run(
        [sys.executable, "-m", "apology_score", "rule", "SIN-ZH-IFID"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "SIN-ZH-IFID" in done.stdout
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__
