"""Output formats of ``apology-score check`` (and the text rendering of ``score``).

A format is a function ``(CheckRun, WriteOptions) -> str`` registered with :func:`register`; the command
line offers every registered name. Built in: ``text`` (grouped by file, for people), ``json``
(``CheckRun.model_dump_json``), ``jsonl`` (one record per line), ``sarif`` (2.1.0, for code scanning),
``github`` (workflow-command annotations), ``junit`` (one test case per template) and ``html`` (rendered by
``apology_score.render.html``, imported only when asked for).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from apology_score.checking import CheckRun, TemplateResult

if TYPE_CHECKING:
    from apology_score.report import Finding, ScoreReport


@dataclass(frozen=True)
class WriteOptions:
    color: bool = False
    verbose: bool = False
    quiet: bool = False


class FormatUnavailable(Exception):
    """A format whose implementation is not installed (e.g. the HTML renderer)."""


Writer = Callable[[CheckRun, WriteOptions], str]
CHECK_FORMATS: dict[str, Writer] = {}


def register(name: str) -> Callable[[Writer], Writer]:
    """Decorator: make ``name`` a ``--format`` of ``apology-score check``."""

    def deco(fn: Writer) -> Writer:
        CHECK_FORMATS[name] = fn
        return fn

    return deco


# --- colors --------------------------------------------------------------------------------------------------


def use_color(choice: str, stream: TextIO | None) -> bool:
    """``always``/``never``, or ``auto``: a terminal, ``NO_COLOR`` unset or empty, ``TERM`` not dumb."""
    if choice == "always":
        return True
    if choice == "never" or stream is None:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


RESET = "\x1b[0m"
STYLES = {
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
    "red": "\x1b[31m",
    "green": "\x1b[32m",
    "yellow": "\x1b[33m",
    "blue": "\x1b[34m",
    "magenta": "\x1b[35m",
    "cyan": "\x1b[36m",
}
#: Evidence colors per dimension (the evasion color is also underlined).
DIMENSION_STYLE = {
    "timeliness": "\x1b[34m",
    "sincerity": "\x1b[35m",
    "specificity": "\x1b[36m",
    "remedy": "\x1b[32m",
    "evasion": "\x1b[4;31m",
}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "dim"}


def paint(text: str, style: str, color: bool) -> str:
    if not color or not text:
        return text
    code = STYLES.get(style, style)
    return f"{code}{text}{RESET}"


def highlight(text: str, findings: list[Finding], color: bool) -> str:
    """``text`` with each finding's span in its dimension's color (evasions win overlaps)."""
    if not color or not findings:
        return text
    styles: list[str | None] = [None] * len(text)
    ordered = sorted(findings, key=lambda f: (f.dimension != "evasion", f.start))
    for f in reversed(ordered):  # evasions painted last, so they win
        for i in range(max(f.start, 0), min(f.end, len(text))):
            styles[i] = DIMENSION_STYLE.get(f.dimension)
    out: list[str] = []
    current: str | None = None
    for ch, style in zip(text, styles, strict=True):
        if style != current:
            if current is not None:
                out.append(RESET)
            if style is not None:
                out.append(style)
            current = style
        out.append(ch)
    if current is not None:
        out.append(RESET)
    return "".join(out)


# --- score: one report ----------------------------------------------------------------------------------------


def render_report_text(report: ScoreReport, color: bool) -> str:
    """The human report of ``apology-score score``: scores, highlighted text, findings, suggestions."""
    lines: list[str] = []
    grade_style = {"A": "green", "B": "green", "C": "yellow", "D": "yellow", "F": "red"}[report.grade]
    lines.append(
        f"{paint('overall', 'bold', color)} {paint(f'{report.overall:.1f}', 'bold', color)}  grade "
        f"{paint(report.grade, grade_style, color)}  language {report.language}"
        + (f"  {paint('EVASIVE', 'red', color)}" if report.evasive else "")
    )
    for name, dim in report.dimensions.items():
        bar = "█" * dim.level + "·" * (4 - dim.level)
        label = paint(f"{name:<12}", DIMENSION_STYLE[name], color)
        lines.append(f"  {label} {dim.score:5.1f}  {bar}  level {dim.level}")
    lines.append("")
    lines.append(
        paint("text", "bold", color)
        + ("  (" + ", ".join(paint(n, DIMENSION_STYLE[n], color) for n in DIMENSION_STYLE) + ")" if color else "")
    )
    for text_line in highlight(report.text, report.findings, color).splitlines() or [""]:
        lines.append(f"  {text_line}")
    if report.findings:
        lines.append("")
        lines.append(paint("evidence", "bold", color))
        for f in report.findings:
            sign = f"{f.contribution:+.1f}"
            dim_label = paint(f"{f.dimension:<11}", DIMENSION_STYLE.get(f.dimension, "bold"), color)
            sev = paint(f.severity, SEVERITY_STYLE[f.severity], color) if f.severity != "info" else ""
            note = f"  [{f.note}]" if f.note else ""
            lines.append(
                f"  {dim_label} {sign:>6}  {f.rule_id:<20} “{f.text}”  {f.message}"
                + (f"  ({sev})" if sev else "")
                + note
            )
    if report.suggestions:
        lines.append("")
        lines.append(paint("suggestions", "bold", color))
        lines.extend(f"  - {s}" for s in report.suggestions)
    if report.notes:
        lines.append("")
        lines.append(paint("notes", "bold", color))
        lines.extend(f"  - {n}" for n in report.notes)
    return "\n".join(lines) + "\n"


# --- check: text ---------------------------------------------------------------------------------------------


def summary_line(run: CheckRun) -> str:
    c = run.counts
    parts = [
        f"{c.templates} template{'s' if c.templates != 1 else ''} in {c.files} file{'s' if c.files != 1 else ''}",
        f"{c.passed} passed",
        f"{c.failed} failed",
    ]
    if c.errors:
        parts.append(f"{c.errors} error{'s' if c.errors != 1 else ''}")
    if c.unused_suppressions:
        parts.append(f"{c.unused_suppressions} unused suppression{'s' if c.unused_suppressions != 1 else ''}")
    return ", ".join(parts)


def _score_label(r: TemplateResult) -> str:
    if r.report is None:
        return "not scored"
    return f"{r.report.overall:.1f} ({r.report.grade})"


def _snippet(text: str, limit: int = 100) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


@register("text")
def write_text(run: CheckRun, options: WriteOptions) -> str:
    color = options.color
    lines: list[str] = []
    if not options.quiet:
        by_file: dict[str, list[TemplateResult]] = {}
        for r in run.results:
            if options.verbose or not r.passed:
                by_file.setdefault(r.source, []).append(r)
        for source, results in by_file.items():
            lines.append(paint(source, "bold", color))
            for r in results:
                where = f"{r.line}:{r.column}" if r.column else f"{r.line}" if r.line else "-"
                status = paint("ok  ", "green", color) if r.passed else paint("FAIL", "red", color)
                lines.append(f"  {where:>7}  {status} {r.location}  {_score_label(r)}")
                if r.passed:
                    continue
                text = r.text
                if r.report is not None and color:
                    text = highlight(r.text, r.report.findings, color)
                lines.append(
                    "           "
                    + paint("│", "dim", color)
                    + " "
                    + (_snippet(r.text) if not color else " ".join(text.split()))
                )
                for reason in r.failures:
                    lines.append(f"           - {reason}")
                if r.report is not None and r.report.suggestions:
                    lines.append(f"           {paint('suggestion:', 'dim', color)} {r.report.suggestions[0]}")
            lines.append("")
        for e in run.errors:
            lines.append(f"{e.where()}: {paint('error', 'red', color)}: {e.message}")
        for s in run.unused_suppressions:
            lines.append(
                f"{s.source}:{s.line}: {paint('warning', 'yellow', color)}: unused suppression "
                f"ignore[{', '.join(s.unused)}]: no template it applies to triggers "
                f"{'it' if len(s.unused) == 1 else 'them'}"
            )
        if run.errors or run.unused_suppressions:
            lines.append("")
    verdict = {0: paint("passed", "green", color), 1: paint("failed", "red", color), 2: paint("errors", "red", color)}[
        run.exit_code
    ]
    lines.append(f"apology-score check: {verdict}: {summary_line(run)}")
    return "\n".join(lines) + "\n"


# --- check: json and jsonl -----------------------------------------------------------------------------------


@register("json")
def write_json(run: CheckRun, options: WriteOptions) -> str:
    return run.model_dump_json(indent=2) + "\n"


@register("jsonl")
def write_jsonl(run: CheckRun, options: WriteOptions) -> str:
    """One record per line, each with a ``type``: template, error, unused_suppression, then one summary."""
    out: list[str] = []
    for r in run.results:
        out.append(json.dumps({"type": "template", **r.model_dump(mode="json")}, ensure_ascii=False))
    for e in run.errors:
        out.append(json.dumps({"type": "error", **e.model_dump(mode="json")}, ensure_ascii=False))
    for s in run.unused_suppressions:
        out.append(json.dumps({"type": "unused_suppression", **s.model_dump(mode="json")}, ensure_ascii=False))
    out.append(
        json.dumps(
            {
                "type": "summary",
                "counts": run.counts.model_dump(mode="json"),
                "exit_code": run.exit_code,
                "thresholds": run.thresholds.model_dump(mode="json"),
                "config_file": run.config_file,
                "scorer_version": run.scorer_version,
            },
            ensure_ascii=False,
        )
    )
    return "\n".join(out) + "\n"


# --- check: sarif --------------------------------------------------------------------------------------------

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/apology-score/apology-score"
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
#: Pseudo-rules for results that do not come from one lexicon rule.
CHECK_RULES: dict[str, tuple[str, str]] = {
    "APS-MIN-SCORE": ("min-score", "The overall score is below --min-score"),
    "APS-MIN-DIMENSION": ("min-dimension", "A dimension score is below its --min DIMENSION=N"),
    "APS-INPUT-ERROR": ("input-error", "A template file or entry that cannot be read, decoded, parsed or scored"),
}


def finding_position(r: TemplateResult, f: Finding) -> tuple[int | None, int | None]:
    """File line and column of a finding: exact for verbatim blocks, else the template's position."""
    if not r.verbatim or r.line is None:
        return r.line, r.column
    before = r.text[: f.start]
    newlines = before.count("\n")
    if newlines:
        # continuation lines of a verbatim block keep their own indentation in the text
        return r.line + newlines, len(before) - before.rfind("\n")
    return r.line, (r.column or 1) + len(before)


def _region(line: int | None, column: int | None) -> dict[str, int]:
    region = {"startLine": line or 1}
    if column:
        region["startColumn"] = column
    return region


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path.removeprefix("./"), safe="/:")


def _rule_descriptor(rule: Any) -> dict[str, Any]:
    fires = rule.examples.fires[0] if rule.examples.fires else ""
    silent = rule.examples.silent[0] if rule.examples.silent else ""
    help_text = f"{rule.message.en} / {rule.message.zh}\n\nWhy: {rule.why}\n\nFires on: {fires}\nSilent on: {silent}"
    return {
        "id": rule.id,
        "name": rule.id.replace("-", "_").lower(),
        "shortDescription": {"text": rule.message.en},
        "fullDescription": {"text": f"{rule.message.en} ({rule.message.zh}). {rule.why}"},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
        "properties": {
            "tags": sorted({rule.dimension, rule.cue}),
            "dimension": rule.dimension,
            "cue": rule.cue,
            "polarity": rule.polarity,
            "severity": rule.severity,
        },
    }


@register("sarif")
def write_sarif(run: CheckRun, options: WriteOptions) -> str:
    from apology_score.lexicon import load_ruleset

    ruleset = load_ruleset()
    rules_by_id = {r.id: r for r in ruleset.rules}
    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}

    def rule_index(rule_id: str) -> int:
        if rule_id not in index:
            index[rule_id] = len(descriptors)
            if rule_id in CHECK_RULES:
                name, text = CHECK_RULES[rule_id]
                descriptors.append(
                    {
                        "id": rule_id,
                        "name": name,
                        "shortDescription": {"text": text},
                        "defaultConfiguration": {"level": "error"},
                    }
                )
            elif rule_id in rules_by_id:
                descriptors.append(_rule_descriptor(rules_by_id[rule_id]))
            else:  # a rule from an extra lexicon
                descriptors.append({"id": rule_id, "shortDescription": {"text": rule_id}})
        return index[rule_id]

    # every built-in rule is described, so that code scanning can show the docs of any result
    for rule in ruleset.rules:
        rule_index(rule.id)

    results: list[dict[str, Any]] = []

    def result(
        rule_id: str, level: str, message: str, source: str, line: int | None, column: int | None, props: dict[str, Any]
    ) -> None:
        results.append(
            {
                "ruleId": rule_id,
                "ruleIndex": rule_index(rule_id),
                "level": level,
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(source), "uriBaseId": "%SRCROOT%"},
                            "region": _region(line, column),
                        },
                    }
                ],
                "properties": props,
            }
        )

    for r in run.results:
        props: dict[str, Any] = {"location": r.location, "passed": r.passed}
        if r.report is not None:
            props.update(
                overall=r.report.overall,
                grade=r.report.grade,
                dimensions={k: v.score for k, v in r.report.dimensions.items()},
            )
        if r.report is None:
            continue  # reported as an input error below
        for reason in r.failures:
            if reason.startswith("overall "):
                result("APS-MIN-SCORE", "error", f"{r.location}: {reason}", r.source, r.line, r.column, props)
            elif " is below min " in reason:
                result("APS-MIN-DIMENSION", "error", f"{r.location}: {reason}", r.source, r.line, r.column, props)
        seen: set[tuple[str, int]] = set()
        for f in r.report.findings:
            failing = f.rule_id in r.failing_rule_ids
            if not failing and f.severity == "info":
                continue
            if (f.rule_id, f.start) in seen:
                continue
            seen.add((f.rule_id, f.start))
            line, column = finding_position(r, f)
            level = "error" if failing else SARIF_LEVEL[f.severity]
            result(
                f.rule_id,
                level,
                f"{r.location}: {f.message}: “{f.text}”",
                r.source,
                line,
                column,
                {**props, "span": f.text, "dimension": f.dimension},
            )
    for e in run.errors:
        result("APS-INPUT-ERROR", "error", f"{e.kind} error: {e.message}", e.source, e.line, e.column, {"kind": e.kind})

    notifications = [
        {
            "level": "warning",
            "message": {"text": f"unused suppression ignore[{', '.join(s.unused)}]"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(s.source), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": s.line},
                    }
                }
            ],
        }
        for s in run.unused_suppressions
    ]
    root = os.getcwd().replace(os.sep, "/")
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "apology-score",
                        "version": run.scorer_version,
                        "semanticVersion": run.scorer_version,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {
                    "%SRCROOT%": {
                        "uri": "file://" + ("" if root.startswith("/") else "/") + _uri(root.rstrip("/") + "/")
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not run.errors,
                        "exitCode": run.exit_code,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
                "properties": {
                    "counts": run.counts.model_dump(mode="json"),
                    "thresholds": run.thresholds.model_dump(mode="json"),
                },
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


# --- check: github annotations ---------------------------------------------------------------------------------


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def _gh(kind: str, message: str, file: str, line: int | None, column: int | None, title: str) -> str:
    props = [f"file={_gh_prop(file)}"]
    if line:
        props.append(f"line={line}")
    if column:
        props.append(f"col={column}")
    props.append(f"title={_gh_prop(title)}")
    return f"::{kind} {','.join(props)}::{_gh_data(message)}"


@register("github")
def write_github(run: CheckRun, options: WriteOptions) -> str:
    """GitHub Actions workflow commands: an ::error per failing template, a ::warning per warning finding."""
    out: list[str] = []
    for r in run.results:
        if r.report is None:
            continue
        if not r.passed:
            score = f"{r.report.overall:g} ({r.report.grade})"
            out.append(
                _gh(
                    "error",
                    "\n".join(r.failures),
                    r.source,
                    r.line,
                    r.column,
                    f"apology-score: {r.location} fails, score {score}",
                )
            )
        for f in r.report.findings:
            if f.severity == "warning" and f.rule_id not in r.failing_rule_ids:
                line, column = finding_position(r, f)
                out.append(
                    _gh("warning", f"{f.message}: “{f.text}”", r.source, line, column, f"apology-score {f.rule_id}")
                )
    for e in run.errors:
        out.append(_gh("error", e.message, e.source, e.line, e.column, f"apology-score: {e.kind} error"))
    for s in run.unused_suppressions:
        out.append(
            _gh(
                "warning",
                f"unused suppression ignore[{', '.join(s.unused)}]",
                s.source,
                s.line,
                None,
                "apology-score: unused suppression",
            )
        )
    out.append(f"apology-score check: {summary_line(run)}")
    return "\n".join(out) + "\n"


# --- check: junit --------------------------------------------------------------------------------------------


@register("junit")
def write_junit(run: CheckRun, options: WriteOptions) -> str:
    """JUnit XML: one test case per template (classname = file, name = location), errors as <error>."""
    import xml.etree.ElementTree as ET

    c = run.counts
    suites = ET.Element(
        "testsuites",
        name="apology-score",
        tests=str(c.templates + c.errors),
        failures=str(sum(1 for r in run.results if not r.passed and r.error is None)),
        errors=str(c.errors),
    )
    by_file: dict[str, ET.Element] = {}

    def suite(source: str) -> ET.Element:
        if source not in by_file:
            by_file[source] = ET.SubElement(suites, "testsuite", name=source, tests="0", failures="0", errors="0")
        return by_file[source]

    def bump(s: ET.Element, key: str) -> None:
        s.set(key, str(int(s.get(key, "0")) + 1))

    for r in run.results:
        s = suite(r.source)
        bump(s, "tests")
        case = ET.SubElement(s, "testcase", classname=r.source, name=r.location, file=r.source)
        if r.line:
            case.set("line", str(r.line))
        if r.error is not None:
            bump(s, "errors")
            ET.SubElement(case, "error", message=r.error, type="input").text = r.error
        elif not r.passed:
            bump(s, "failures")
            failure = ET.SubElement(case, "failure", message="; ".join(r.failures), type="threshold")
            body = [f"text: {r.text}", f"score: {_score_label(r)}", *r.failures]
            if r.report is not None and r.report.suggestions:
                body.append("suggestions:")
                body.extend(f"- {x}" for x in r.report.suggestions)
            failure.text = "\n".join(body)
        if r.report is not None:
            case.set("assertions", str(1 + len(run.thresholds.min_dimension)))
            out = ET.SubElement(case, "system-out")
            out.text = f"overall {r.report.overall:g} grade {r.report.grade}; " + ", ".join(
                f"{k} {v.score:g}" for k, v in r.report.dimensions.items()
            )
    for e in run.errors:
        if e.kind == "input":
            continue  # already a test case with <error>
        s = suite(e.source)
        bump(s, "tests")
        bump(s, "errors")
        case = ET.SubElement(s, "testcase", classname=e.source, name=f"{e.kind} error", file=e.source)
        if e.line:
            case.set("line", str(e.line))
        ET.SubElement(case, "error", message=e.message, type=e.kind).text = e.where() + ": " + e.message
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


# --- html (another module renders it) -------------------------------------------------------------------------


def _html_module() -> Any:
    import importlib

    try:
        return importlib.import_module("apology_score.render.html")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("apology_score"):
            raise FormatUnavailable(
                "the html format needs apology_score.render.html, which is not installed in this version"
            ) from exc
        raise FormatUnavailable(f"the html format needs {exc.name}: pip install 'apology-score[html]'") from exc


@register("html")
def write_html(run: CheckRun, options: WriteOptions) -> str:
    html: str = _html_module().render_check_html(run)
    return html


def render_report_html(report: ScoreReport) -> str:
    html: str = _html_module().render_report_html(report)
    return html
