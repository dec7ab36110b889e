"""Every ``--format`` of ``apology-score check`` on the fixture library, through the real CLI."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from apology_score.checking import CheckRun
from apology_score.cli import formats, main

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    """Each format's output on the fixture library (run once per module: scoring is the slow part)."""
    import contextlib
    import io
    import os

    here = os.getcwd()
    os.chdir(FIXTURES / "templates")
    out: dict[str, tuple[int, str]] = {}
    try:
        for name in ("text", "json", "jsonl", "sarif", "github", "junit"):
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                code = main(["check", "library", "--isolated", "--format", name])
            out[name] = (code, buf.getvalue())
    finally:
        os.chdir(here)
    return out


def test_every_format_exits_2_on_the_library_with_an_undecodable_file(outputs: dict[str, tuple[int, str]]) -> None:
    assert {name: code for name, (code, _) in outputs.items()} == dict.fromkeys(outputs, 2)


def test_json_round_trips_to_the_shared_model(outputs: dict[str, tuple[int, str]]) -> None:
    run = CheckRun.model_validate_json(outputs["json"][1])
    assert run.exit_code == 2
    kinds = {r.source_type for r in run.results}
    assert kinds == {"txt", "md", "json", "yaml", "csv", "jsonl", "po"}
    good = [r for r in run.results if r.passed]
    failed = [r for r in run.results if not r.passed]
    assert good and failed
    assert all(r.report is not None for r in run.results)
    assert all(r.line is not None for r in run.results)
    # the shared model serializes its computed fields
    data = json.loads(outputs["json"][1])
    assert data["counts"]["templates"] == len(run.results)
    assert data["exit_code"] == 2


def test_jsonl_has_one_record_per_template_error_and_a_summary(outputs: dict[str, tuple[int, str]]) -> None:
    records = [json.loads(line) for line in outputs["jsonl"][1].splitlines()]
    types = [r["type"] for r in records]
    run = json.loads(outputs["json"][1])
    assert types.count("template") == len(run["results"])
    assert types.count("error") == len(run["errors"])
    assert types.count("unused_suppression") == 2
    assert types[-1] == "summary"
    assert records[-1]["exit_code"] == 2
    assert records[-1]["counts"] == run["counts"]


def test_sarif_is_valid_against_the_2_1_0_schema(outputs: dict[str, tuple[int, str]]) -> None:
    log = json.loads(outputs["sarif"][1])
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    assert log["version"] == "2.1.0"


def test_sarif_has_rule_metadata_and_physical_locations(outputs: dict[str, tuple[int, str]]) -> None:
    run = json.loads(outputs["sarif"][1])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    deny = rules[ids.index("EVA-ZH-DENY")]
    assert deny["defaultConfiguration"]["level"] == "error"
    assert deny["shortDescription"]["text"] and deny["fullDescription"]["text"]
    assert "Fires on:" in deny["help"]["text"]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].startswith("library/")
        assert loc["region"]["startLine"] >= 1
    by_rule = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in run["results"]}
    assert ("EVA-ZH-DENY", "library/replies.txt") in by_rule
    assert ("APS-MIN-SCORE", "library/replies.txt") in by_rule
    decode = [
        r
        for r in run["results"]
        if r["ruleId"] == "APS-INPUT-ERROR"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "library/legacy-latin1.txt"
    ]
    assert decode[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 14}
    # a finding in a verbatim .txt block points at its own column
    deny_txt = next(
        r
        for r in run["results"]
        if r["ruleId"] == "EVA-ZH-DENY"
        and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "library/replies.txt"
    )
    assert deny_txt["locations"][0]["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 1}
    assert run["invocations"][0]["executionSuccessful"] is False
    assert len(run["invocations"][0]["toolExecutionNotifications"]) == 2  # the unused suppressions


def test_github_annotations(outputs: dict[str, tuple[int, str]]) -> None:
    lines = outputs["github"][1].splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert any(
        line.startswith("::error file=library/replies.txt,line=6,col=1,title=apology-score%3A block 3 fails")
        for line in errors
    )
    decode = [line for line in errors if "legacy-latin1.txt" in line]
    assert decode and decode[0].startswith("::error file=library/legacy-latin1.txt,line=3,col=14,")
    # messages are escaped: no raw newline inside an annotation
    assert all("::" in line for line in lines[:-1])
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert any("unused suppression ignore[EVA-ZH-DENY]" in w for w in warnings)
    assert lines[-1].startswith("apology-score check: ")


def test_junit_has_one_test_case_per_template(outputs: dict[str, tuple[int, str]]) -> None:
    root = ET.fromstring(outputs["junit"][1])
    run = json.loads(outputs["json"][1])
    cases = root.findall(".//testcase")
    template_cases = [c for c in cases if c.find("error") is None or c.find("error").get("type") == "input"]
    assert len(template_cases) == len(run["results"])
    failures = root.findall(".//testcase/failure")
    assert len(failures) == run["counts"]["failed"]
    assert int(root.get("failures", "0")) == run["counts"]["failed"]
    assert int(root.get("errors", "0")) == run["counts"]["errors"]
    evasive = next(c for c in cases if c.get("classname") == "library/replies.txt" and c.get("name") == "block 3")
    failure = evasive.find("failure")
    assert failure is not None and "EVA-ZH-DENY" in (failure.get("message") or "")
    assert evasive.get("line") == "6"
    decode = [c for c in cases if c.get("classname") == "library/legacy-latin1.txt"]
    assert decode and decode[0].find("error") is not None


def test_text_groups_by_file(outputs: dict[str, tuple[int, str]]) -> None:
    out = outputs["text"][1]
    assert "library/replies.txt\n" in out
    assert "library/legacy-latin1.txt:3:14: error: not valid UTF-8" in out
    assert out.splitlines()[-1].startswith("apology-score check: errors: ")


def test_html_format_uses_the_renderer(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "templates")
    code = main(["check", "good", "--isolated", "-f", "html"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.lstrip().lower().startswith("<!doctype html")
    # without the renderer the format fails with a clear message
    monkeypatch.setitem(sys.modules, "apology_score.render.html", None)
    code = main(["check", "good", "--isolated", "-f", "html"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "html format needs apology_score.render.html" in captured.err


def test_registry_accepts_a_new_format(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def count(run: CheckRun, options: formats.WriteOptions) -> str:
        return f"{run.counts.templates}\n"

    monkeypatch.setitem(formats.CHECK_FORMATS, "count", count)
    from apology_score.cli.check import check_paths
    from apology_score.cli.settings import FileSettings, LoadedSettings, merge

    effective = merge(LoadedSettings(path=None, data=FileSettings()), fmt="count")
    run = check_paths([str(FIXTURES / "templates" / "good")], effective)
    assert formats.CHECK_FORMATS[effective.format](run, formats.WriteOptions()) == "3\n"
