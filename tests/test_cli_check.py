"""``apology-score check`` end to end through the real CLI: exit codes, thresholds, config, suppressions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from apology_score.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "templates"
GOOD_ZH = "非常抱歉,您的订单发错了颜色,是我们仓库的失误。我们今天下午重新发货,并退还5元运费,明天会再联系您确认。"
GENERIC_EN = "Sorry for any inconvenience."
EVASIVE_ZH = "这不是我们的问题,您找快递去。"


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = run_check(capsys, *args, "--format", "json")
    return code, json.loads(out)


@pytest.fixture
def lib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory (no config above it that matters: --isolated is not used here)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".apology-score.toml").write_text("", encoding="utf-8")  # stop discovery at tmp_path
    return tmp_path


def by_location(run: dict[str, Any], source_suffix: str) -> dict[str, dict[str, Any]]:
    return {r["location"]: r for r in run["results"] if r["source"].endswith(source_suffix)}


# --- exit codes ---------------------------------------------------------------------------------------------


def test_exit_0_when_every_template_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_check(capsys, str(FIXTURES / "good"), "--isolated")
    assert code == 0
    assert "passed" in out.splitlines()[-1]
    assert "3 templates in 2 files, 3 passed, 0 failed" in out


def test_exit_1_when_a_template_fails(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "replies.txt").write_text(f"{GOOD_ZH}\n\n{GENERIC_EN}\n", encoding="utf-8")
    code, out, _ = run_check(capsys, "replies.txt")
    assert code == 1
    assert "FAIL block 2" in out
    assert "below min-score 40" in out
    assert "block 1" not in out  # passing templates are listed only with -v


def test_exit_2_on_undecodable_file_and_the_run_goes_on(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES)
    code, run = check_json(capsys, "library", "--isolated")
    assert code == 2
    decode = [e for e in run["errors"] if e["kind"] == "decode"]
    assert len(decode) == 1
    assert decode[0]["source"] == "library/legacy-latin1.txt"
    assert decode[0]["line"] == 3 and decode[0]["column"] == 14
    assert "UTF-8" in decode[0]["message"]
    # the other files were still checked
    sources = {r["source"] for r in run["results"]}
    assert {"library/replies.txt", "library/messages.yaml", "library/messages.po"} <= sources
    # and the bad JSONL line is reported with its line while the following line is scored
    jsonl = [e for e in run["errors"] if e["source"] == "library/replies.jsonl"]
    assert [e["line"] for e in jsonl] == [4]
    assert "line 5" in by_location(run, "replies.jsonl")
    assert run["exit_code"] == 2


def test_exit_2_on_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["check", ".", "--fail-on-severity", "fatal"])
    assert exc.value.code == 2
    code, _, err = run_check(capsys, ".", "--min", "kindness=50", "--isolated")
    assert code == 2
    assert "unknown dimension 'kindness'" in err


def test_exit_2_on_missing_path(capsys: pytest.CaptureFixture[str], lib: Path) -> None:
    code, out, _ = run_check(capsys, "nope/")
    assert code == 2
    assert "nope/: error: no such file or directory" in out


# --- thresholds ----------------------------------------------------------------------------------------------


def test_default_thresholds_fail_generic_and_evasive(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "t.txt").write_text(f"{GOOD_ZH}\n\n{GENERIC_EN}\n\n{EVASIVE_ZH}\n", encoding="utf-8")
    code, run = check_json(capsys, "t.txt")
    assert code == 1
    assert run["thresholds"] == {
        "min_score": 40.0,
        "min_dimension": {},
        "fail_on_evasion": True,
        "fail_on_severity": "error",
    }
    good, generic, evasive = run["results"]
    assert good["passed"] and good["failures"] == []
    assert not generic["passed"] and generic["failures"][0].startswith("overall ")
    assert not evasive["passed"]
    assert any(f.startswith("evasion EVA-ZH-DENY") for f in evasive["failures"])
    assert "EVA-ZH-DENY" in evasive["failing_rule_ids"]
    assert run["counts"] == {
        "files": 1,
        "templates": 3,
        "passed": 1,
        "failed": 2,
        "errors": 0,
        "unused_suppressions": 0,
    }


def test_min_score_zero_and_no_evasion_gate_lets_everything_pass(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "t.txt").write_text(f"{GENERIC_EN}\n\n{EVASIVE_ZH}\n", encoding="utf-8")
    code, _, _ = run_check(capsys, "t.txt", "--min-score", "0", "--no-fail-on-evasion", "--fail-on-severity", "none")
    assert code == 0
    # evasions are severity error: the severity gate alone also catches them
    code, run = check_json(capsys, "t.txt", "--min-score", "0", "--no-fail-on-evasion")
    assert code == 1
    assert run["results"][1]["failures"][0].startswith("error EVA-ZH-DENY")


def test_dimension_minimum(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "t.txt").write_text(GOOD_ZH + "\n", encoding="utf-8")
    code, out, err = run_check(capsys, "t.txt", "--min", "remedy=100.5")
    assert code == 2 and out == ""  # out of range is a usage error
    assert "not between 0 and 100" in err
    from apology_score import score

    text = "抱歉,您的订单发错了颜色。我们今天下午重新发货。"
    (lib / "t.txt").write_text(text + "\n", encoding="utf-8")
    dims = {name: d.score for name, d in score(text).dimensions.items()}
    weakest = min(dims, key=lambda name: dims[name])
    assert dims[weakest] < 99.5 and dims["remedy"] >= 50
    above = dims[weakest] + 0.5
    code, run = check_json(capsys, "t.txt", "--min", "remedy=50", "--min", f"{weakest}={above:g}")
    result = run["results"][0]
    assert code == 1
    assert result["failures"] == [f"{weakest} {dims[weakest]:g} is below min {weakest}={above:g}"]


def test_fail_on_severity_info_ignores_positive_cues(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "t.txt").write_text(GOOD_ZH + "\n", encoding="utf-8")
    code, run = check_json(capsys, "t.txt", "--fail-on-severity", "info")
    dims = run["results"][0]["report"]["dimensions"].values()
    assert any(f["severity"] == "info" for d in dims for f in d["findings"])  # info cues were found...
    assert code == 0, run["results"][0]["failures"]  # ...but positive ones never fail a template
    (lib / "t.txt").write_text("Please wait, we will look into it.\n", encoding="utf-8")
    code, run = check_json(capsys, "t.txt", "--fail-on-severity", "warning", "--min-score", "0")
    assert code == 1  # TIM-EN-WAIT is a warning
    assert any(f.startswith("warning TIM-EN-WAIT") for f in run["results"][0]["failures"])


# --- config ----------------------------------------------------------------------------------------------------


def test_config_discovered_from_a_parent_directory_and_overridden_by_flags(
    lib: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (lib / ".apology-score.toml").unlink()
    (lib / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.apology-score]\nmin-score = 0\nfail-on-evasion = false\n'
        'fail-on-severity = "none"\n',
        encoding="utf-8",
    )
    sub = lib / "templates" / "nested"
    sub.mkdir(parents=True)
    (sub / "t.txt").write_text(f"{GENERIC_EN}\n\n{EVASIVE_ZH}\n", encoding="utf-8")
    monkeypatch.chdir(sub)
    code, run = check_json(capsys, "t.txt")
    assert code == 0
    assert run["config_file"] == str(lib / "pyproject.toml")
    assert run["thresholds"]["min_score"] == 0
    # a flag overrides the file
    code, run = check_json(capsys, "t.txt", "--fail-on-evasion")
    assert code == 1
    assert [r["passed"] for r in run["results"]] == [True, False]
    # --isolated ignores it: the defaults apply again
    code, run = check_json(capsys, "t.txt", "--isolated")
    assert run["config_file"] is None and run["thresholds"]["min_score"] == 40
    assert code == 1


def test_apology_score_toml_wins_over_pyproject_in_the_same_directory(
    lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (lib / "pyproject.toml").write_text("[tool.apology-score]\nmin-score = 10\n", encoding="utf-8")
    (lib / ".apology-score.toml").write_text("min-score = 20\n[min]\nremedy = 5\n", encoding="utf-8")
    (lib / "t.txt").write_text(GOOD_ZH + "\n", encoding="utf-8")
    _, run = check_json(capsys, "t.txt")
    assert run["thresholds"]["min_score"] == 20
    assert run["thresholds"]["min_dimension"] == {"remedy": 5}
    assert run["config_file"].endswith(".apology-score.toml")


@pytest.mark.parametrize(
    ("toml", "key", "needle"),
    [
        ("min-scor = 50\n", "min-scor", "unknown key"),
        ('min-score = "high"\n', "min-score", "valid number"),
        ("min = {kindness = 50}\n", "min.kindness", "unknown dimension"),
        ('select = ["EVA ZH"]\n', "select", "not a rule id"),
        ("max-length = -3\n", "max-length", "greater than 0"),
        ('format = "xml"\n', "format", "unknown format"),
        ('per-file-ignores = {"*.md" = ["SIN/X"]}\n', "per-file-ignores", "not a rule id"),
    ],
)
def test_invalid_config_names_the_key_and_the_file(
    lib: Path, capsys: pytest.CaptureFixture[str], toml: str, key: str, needle: str
) -> None:
    (lib / "pyproject.toml").write_text("[tool.apology-score]\n" + toml, encoding="utf-8")
    (lib / ".apology-score.toml").unlink()
    (lib / "t.txt").write_text(GOOD_ZH + "\n", encoding="utf-8")
    code, out, err = run_check(capsys, "t.txt")
    assert code == 2
    assert out == ""
    assert str(lib / "pyproject.toml") in err
    assert f"key 'tool.apology-score.{key}'" in err
    assert needle in err


def test_invalid_toml_is_a_config_error(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / ".apology-score.toml").write_text("min-score = = 3\n", encoding="utf-8")
    code, _, err = run_check(capsys, ".")
    assert code == 2
    assert ".apology-score.toml" in err and "invalid TOML" in err


def test_select_ignore_and_per_file_ignores(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "a").mkdir()
    (lib / "b").mkdir()
    (lib / "a" / "t.txt").write_text(EVASIVE_ZH + "\n", encoding="utf-8")
    (lib / "b" / "t.txt").write_text(EVASIVE_ZH + "\n", encoding="utf-8")
    (lib / ".apology-score.toml").write_text(
        'min-score = 0\n[per-file-ignores]\n"a/*" = ["EVA-ZH-"]\n', encoding="utf-8"
    )
    code, run = check_json(capsys, ".")
    results = {r["source"]: r for r in run["results"]}
    assert results["a/t.txt"]["passed"] and results["a/t.txt"]["ignored"] == ["EVA-ZH-"]
    assert not results["b/t.txt"]["passed"]
    assert code == 1
    code, run = check_json(capsys, ".", "--extend-ignore", "EVA-ZH-DENY,EVA-ZH-BLAME-OTHERS")
    assert code == 0
    assert all(not r["report"]["evasions"] for r in run["results"])
    code, _, err = run_check(capsys, ".", "--select", "EVA ZH")
    assert code == 2 and "not a rule id" in err


def test_exclude_globs(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "drafts").mkdir()
    (lib / "drafts" / "t.txt").write_text(EVASIVE_ZH + "\n", encoding="utf-8")
    (lib / "ok.txt").write_text(GOOD_ZH + "\n", encoding="utf-8")
    code, run = check_json(capsys, ".", "--exclude", "drafts")
    assert code == 0 and [r["source"] for r in run["results"]] == ["ok.txt"]
    (lib / ".apology-score.toml").write_text('exclude = ["*.txt"]\n', encoding="utf-8")
    _, run = check_json(capsys, ".")
    assert run["results"] == []


def test_extra_lexicon_from_config_is_resolved_relative_to_the_config(
    lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (lib / "rules").mkdir()
    (lib / "rules" / "house.en.yaml").write_text(
        "family: house\nlanguage: en\nrules:\n"
        "  - id: EVA-EN-HOUSE\n    cue: denial\n    polarity: negative\n    severity: error\n"
        "    message: {en: \"Says 'per policy'\", zh: 按规定}\n    why: House style.\n"
        "    phrases: [per our policy]\n"
        '    examples: {fires: ["Per our policy, no."], silent: ["We will refund you today."]}\n',
        encoding="utf-8",
    )
    (lib / ".apology-score.toml").write_text(
        'extra-lexicons = ["rules/house.en.yaml"]\nmin-score = 0\n', encoding="utf-8"
    )
    (lib / "sub").mkdir()
    (lib / "sub" / "t.txt").write_text("Sorry, per our policy, no.\n", encoding="utf-8")
    code, run = check_json(capsys, "sub")
    assert code == 1
    assert "EVA-EN-HOUSE" in run["results"][0]["failing_rule_ids"]


# --- suppression ------------------------------------------------------------------------------------------------


def test_fixture_suppressions_and_unused_report(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES)
    _, run = check_json(capsys, "library", "--isolated")
    yaml_results = by_location(run, "messages.yaml")
    assert yaml_results["delivery.denial"]["suppressed"] == ["EVA-EN-DENY"]
    assert yaml_results["delivery.denial"]["passed"]
    assert yaml_results["complaints[1]"]["suppressed"] == ["EVA-ZH-BLAME-OTHERS", "EVA-ZH-DENY"]
    assert not yaml_results["complaints[0]"]["suppressed"]  # the comment applies to its own line only
    json_results = by_location(run, "messages.json")
    assert json_results["shipping.courier"]["suppressed"] == ["EVA-ZH-BLAME-OTHERS"]
    assert json_results["shipping.courier"]["report"]["evasions"] == []
    csv_results = by_location(run, "replies.csv")
    assert csv_results["id evasive-1"]["report"]["evasions"]
    assert not csv_results["id evasive-2"]["report"]["evasions"]  # ignore[EVA-EN-] prefix
    po_results = by_location(run, "messages.po")
    assert po_results["msgid 'Please calm down.'"]["suppressed"] == ["EVA-ZH-INTERRUPT"]
    md_results = by_location(run, "faq.md")
    suppressed_md = [r for r in md_results.values() if r["suppressed"]]
    assert [r["suppressed"] for r in suppressed_md] == [["EVA-EN-FEELINGS"]]
    unused = {(u["source"], u["line"]): u["unused"] for u in run["unused_suppressions"]}
    assert unused == {
        ("library/faq.md", 19): ["EVA-ZH-DENY"],
        ("library/messages.yaml", 11): ["EVA-ZH-INTERRUPT"],
    }
    assert run["counts"]["unused_suppressions"] == 2


def test_unused_suppression_is_reported_in_text(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "t.txt").write_text(f"# apology-score: ignore[EVA-ZH-DENY]\n{GOOD_ZH}\n", encoding="utf-8")
    code, out, _ = run_check(capsys, "t.txt")
    assert code == 0  # an unused suppression is a warning, not a failure
    assert "t.txt:1: warning: unused suppression ignore[EVA-ZH-DENY]" in out
    assert "1 unused suppression" in out


def test_malformed_suppression_is_an_error_with_its_line(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "t.yaml").write_text(f"a: {GOOD_ZH}\n# apology-score: ignore EVA-ZH-DENY\nb: x\n", encoding="utf-8")
    code, run = check_json(capsys, "t.yaml")
    assert code == 2
    assert run["errors"][0]["line"] == 2
    assert "malformed suppression" in run["errors"][0]["message"]


# --- text output ----------------------------------------------------------------------------------------------


def test_text_output_is_plain_when_not_a_tty_and_colored_when_forced(
    lib: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (lib / "t.txt").write_text(EVASIVE_ZH + "\n", encoding="utf-8")
    _, out, _ = run_check(capsys, "t.txt")
    assert "\x1b[" not in out
    assert "t.txt" in out and "FAIL block 1" in out and "suggestion:" in out
    _, out, _ = run_check(capsys, "t.txt", "--color", "always")
    assert "\x1b[4;31m这不是我们的问题\x1b[0m" in out
    _, out, _ = run_check(capsys, "t.txt", "-q")
    assert out.count("\n") == 1 and out.startswith("apology-score check: failed")


def test_output_file_and_summary_on_stderr(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lib / "t.txt").write_text(GOOD_ZH + "\n", encoding="utf-8")
    code, out, err = run_check(capsys, "t.txt", "-f", "json", "-o", "out.json")
    assert code == 0 and out == ""
    assert "1 template in 1 file, 1 passed, 0 failed" in err
    assert json.loads((lib / "out.json").read_text(encoding="utf-8"))["counts"]["passed"] == 1


# --- subprocess: the installed entry point -------------------------------------------------------------------


def test_module_entry_point_and_version() -> None:
    from apology_score import __version__

    done = subprocess.run(
        [sys.executable, "-m", "apology_score", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"apology-score {__version__}"
    done = subprocess.run(
        [sys.executable, "-m", "apology_score", "check", str(FIXTURES / "good"), "--isolated"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "\x1b[" not in done.stdout


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "exit codes:" in out and "--fail-on-evasion" in out


def test_chinese_library_does_not_import_spacy_or_pandas(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "zh", tmp_path / "zh")
    probe = (
        "import sys\n"
        "from apology_score.cli import main\n"
        "code = main(['check', 'zh', '--isolated', '-q'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'pandas', 'matplotlib', 'dask'))\n"
        "print('HEAVY', ','.join(heavy))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.returncode == 1, done.stderr  # the library has an evasive and a generic template
    assert "HEAVY \n" in done.stdout, done.stdout
    # and English text does load spaCy's tokenizer pieces (so the probe above can see a difference)
    (tmp_path / "zh" / "en.txt").write_text("Sorry, we have refunded the $5 fee today.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert "spacy" in done.stdout


def test_readme_worked_example_is_the_real_output(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("#### Worked example", 1)[1]
    library = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    shown = section.split("$ apology-score check templates/ -v\n", 1)[1].split("$ echo $?", 1)[0]
    (lib / "templates").mkdir()
    (lib / "templates" / "replies.yaml").write_text(library, encoding="utf-8")
    code, out, _ = run_check(capsys, "templates/", "-v")
    assert code == 1
    assert out == shown


def test_pre_commit_hook_definition() -> None:
    import re

    import yaml

    hooks = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "apology-score" and hook["language"] == "python"
    assert hook["entry"].split() == ["apology-score", "check"]
    files = re.compile(hook["files"])
    assert files.search("templates/replies.yaml") and files.search("support/templates/faq.md")
    assert not files.search("README.md") and not files.search(".pre-commit-config.yaml")
