"""``apology-score check PATH...``: score every template of a library and gate on thresholds (for CI).

Exit codes: 0 every template passed; 1 some template failed a threshold; 2 usage, configuration or input
error (a file that cannot be read, decoded or parsed is reported with its line, the run goes on, and the
exit code is 2 at the end).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from apology_score.checking import (
    EXIT_ERROR,
    CheckError,
    CheckRun,
    Suppression,
    TemplateResult,
    Thresholds,
    severity_at_least,
)
from apology_score.cli import add_config_options, sources
from apology_score.cli import formats as fmt
from apology_score.cli import settings as cfg
from apology_score.errors import ApologyScoreError, ConfigError

if TYPE_CHECKING:
    from apology_score.config import Config
    from apology_score.lexicon.schema import Rule
    from apology_score.report import Finding, ScoreReport

EXAMPLES = """examples:
  apology-score check templates/
  apology-score check templates/ --min-score 60 --min remedy=50 --fail-on-severity warning
  apology-score check replies.csv --column reply --format github
  apology-score check templates/ --format sarif -o apology-score.sarif

sources: .txt (blocks split by blank lines or ---), .md (sections split by headings or ---), .json/.yaml
(every string leaf), .csv (--column, default text), .jsonl (field --column or a string per line),
.po (msgstr). Suppress a rule in a template with `# apology-score: ignore[RULE-ID]` (Markdown:
`<!-- apology-score: ignore[RULE-ID] -->`, JSON: a "//apology-score": "ignore[RULE-ID]" key,
CSV/JSONL: an apology-score column/field).

exit codes: 0 all passed, 1 some template failed a threshold, 2 usage, config or input error.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories of templates")
    out = parser.add_argument_group("output")
    out.add_argument(
        "--format",
        "-f",
        dest="format",
        default=None,
        choices=list(fmt.CHECK_FORMATS),
        help="output format (default: text, or `format` in the config)",
    )
    out.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    out.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colors in text output (auto: when stdout is a terminal and NO_COLOR is unset)",
    )
    out.add_argument("--verbose", "-v", action="store_true", help="text output: list passing templates too")
    out.add_argument("--quiet", "-q", action="store_true", help="text output: only the summary line")
    th = parser.add_argument_group("thresholds (defaults: --min-score 40, --fail-on-evasion, --fail-on-severity error)")
    th.add_argument("--min-score", type=float, metavar="N", help="fail a template whose overall score is below N")
    th.add_argument(
        "--min",
        action="append",
        metavar="DIMENSION=N",
        dest="minima",
        help="fail a template whose DIMENSION score is below N (repeatable), e.g. remedy=50",
    )
    th.add_argument(
        "--fail-on-evasion",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="fail a template that contains an evasion (default: on)",
    )
    th.add_argument(
        "--fail-on-severity",
        choices=("error", "warning", "info", "none"),
        default=None,
        help="fail a template with a finding of this severity or above (default: error)",
    )
    rules = parser.add_argument_group("rules and config")
    rules.add_argument(
        "--select", action="append", metavar="IDS", help="only these rule ids or prefixes (comma-separated, repeatable)"
    )
    rules.add_argument(
        "--ignore",
        action="append",
        metavar="IDS",
        help="switch off these rule ids or prefixes (replaces the config's `ignore`)",
    )
    rules.add_argument(
        "--extend-ignore",
        action="append",
        metavar="IDS",
        help="switch off these rule ids or prefixes in addition to the config's",
    )
    rules.add_argument(
        "--exclude", action="append", metavar="GLOB", help="skip files or directories matching GLOB (repeatable)"
    )
    rules.add_argument("--column", metavar="NAME", help="CSV column / JSONL field with the text (default: text)")
    rules.add_argument(
        "--key",
        action="append",
        metavar="GLOB",
        dest="keys",
        help="JSON/YAML: only string leaves whose key matches GLOB (repeatable; default: all)",
    )
    add_config_options(rules)


def run(args: argparse.Namespace) -> int:
    try:
        loaded = cfg.discover_settings(args.config, isolated=args.isolated)
        effective = cfg.merge(
            loaded,
            min_score=args.min_score,
            minima=args.minima,
            fail_on_evasion=args.fail_on_evasion,
            fail_on_severity=args.fail_on_severity,
            select=args.select,
            ignore=args.ignore,
            extend_ignore=args.extend_ignore,
            extra_lexicons=args.extra_lexicons,
            exclude=args.exclude,
            column=args.column,
            keys=args.keys,
            fmt=args.format,
        )
    except (ConfigError, ValueError) as exc:
        print(f"apology-score: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        check_run = check_paths(args.paths, effective)
    except ApologyScoreError as exc:  # an extra lexicon that does not load, a selection that is empty
        print(f"apology-score: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    options = fmt.WriteOptions(
        color=fmt.use_color(args.color, sys.stdout if not args.output else None),
        verbose=args.verbose,
        quiet=args.quiet,
    )
    try:
        text = fmt.CHECK_FORMATS[effective.format](check_run, options)
    except fmt.FormatUnavailable as exc:
        print(f"apology-score: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"apology-score: error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_ERROR
        print(fmt.summary_line(check_run), file=sys.stderr)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return check_run.exit_code


# --- the check itself ----------------------------------------------------------------------------------------


class _Scorer:
    """Scores templates with the right config per file and per suppression, caching configs and rules."""

    def __init__(self, config: Config) -> None:
        self.base = config
        self._configs: dict[tuple[str, ...], Config] = {}
        self._rules: dict[str, Rule] = {}

    def config(self, ignore: tuple[str, ...]) -> Config:
        key = tuple(sorted(set(ignore)))
        config = self._configs.get(key)
        if config is None:
            extra = tuple(i for i in key if i not in self.base.ignore)
            config = self.base.model_copy(update={"ignore": self.base.ignore + extra}) if extra else self.base
            self._configs[key] = config
        return config

    def score(self, text: str, ignore: tuple[str, ...]) -> ScoreReport:
        from apology_score.api import score

        return score(text, config=self.config(ignore))

    def rule(self, rule_id: str) -> Rule | None:
        if not self._rules:
            from apology_score.pipeline.core import get_pipeline

            self._rules = {r.id: r for r in get_pipeline(self.base).ruleset.rules}
        return self._rules.get(rule_id)


def is_alert(finding: Finding, rule: Rule | None) -> bool:
    """Can this finding fail a template through its severity? Positive info cues (an apology found) never do."""
    if finding.dimension == "evasion":
        return True
    if finding.severity != "info":
        return True
    polarity = rule.polarity if rule is not None else ("negative" if finding.contribution < 0 else "positive")
    return polarity != "positive"


def evaluate(report: ScoreReport, thresholds: Thresholds, scorer: _Scorer | None = None) -> tuple[list[str], list[str]]:
    """Reasons the report misses the thresholds, and the rule ids behind them."""
    failures: list[str] = []
    rule_ids: list[str] = []
    if thresholds.min_score and report.overall < thresholds.min_score:
        failures.append(
            f"overall {report.overall:g} is below min-score {thresholds.min_score:g} (grade {report.grade})"
        )
    for dim, minimum in thresholds.min_dimension.items():
        got = report.dimensions[dim].score
        if got < minimum:
            failures.append(f"{dim} {got:g} is below min {dim}={minimum:g}")
    # one reason per rule, listing its distinct spans in text order
    grouped: dict[str, tuple[str, list[str]]] = {}
    if thresholds.fail_on_evasion:
        for f in report.evasions:
            _group(grouped, f, f"evasion {f.rule_id}")
    if thresholds.fail_on_severity is not None:
        for f in report.findings:
            if f.rule_id in grouped:
                _group(grouped, f, "")
                continue
            rule = scorer.rule(f.rule_id) if scorer else None
            if severity_at_least(f.severity, thresholds.fail_on_severity) and is_alert(f, rule):
                _group(grouped, f, f"{f.severity} {f.rule_id}")
    for rule_id, (head, spans) in grouped.items():
        failures.append(f"{head} “{'”, “'.join(spans)}”")
        rule_ids.append(rule_id)
    return failures, rule_ids


def _group(grouped: dict[str, tuple[str, list[str]]], f: Finding, head: str) -> None:
    if f.rule_id not in grouped:
        grouped[f.rule_id] = (f"{head}: {f.message}", [])
    spans = grouped[f.rule_id][1]
    if f.text not in spans:
        spans.append(f.text)


def _matches(rule_id: str, prefix: str) -> bool:
    return rule_id.startswith(prefix)


def check_template(
    template: sources.Template, scorer: _Scorer, thresholds: Thresholds, ignored: tuple[str, ...]
) -> TemplateResult:
    from apology_score.errors import InputError

    common = {
        "source": template.source,
        "source_type": template.source_type,
        "location": template.location,
        "line": template.line,
        "column": template.column,
        "text": template.text,
        "ignored": list(ignored),
    }
    try:
        report = scorer.score(template.text, ignored)
        suppressed: list[str] = []
        if template.directives:
            fired = report.rule_ids
            wanted = {i for d in template.directives for i in d.rule_ids}
            suppressed = sorted(r for r in fired if any(_matches(r, w) for w in wanted))
            for d in template.directives:
                for i in d.rule_ids:
                    if any(_matches(r, i) for r in fired):
                        d.used.add(i)
            if suppressed:
                report = scorer.score(template.text, ignored + tuple(sorted(wanted)))
    except InputError as exc:
        return TemplateResult(**common, passed=False, failures=[str(exc)], error=str(exc))  # type: ignore[arg-type]
    failures, rule_ids = evaluate(report, thresholds, scorer)
    return TemplateResult(
        **common,  # type: ignore[arg-type]
        report=report,
        passed=not failures,
        failures=failures,
        failing_rule_ids=rule_ids,
        suppressed=suppressed,
        verbatim=template.verbatim,
    )


def check_paths(paths: Sequence[str], effective: cfg.Effective) -> CheckRun:
    """Find, parse and score every template under ``paths``; never stops at a bad file."""
    from apology_score._version import __version__

    files, errors = sources.discover(paths, effective.exclude)
    scorer = _Scorer(effective.config)
    options = sources.Options(column=effective.column, keys=effective.keys)
    results: list[TemplateResult] = []
    unused: list[Suppression] = []
    shown: list[str] = []
    ruleset = None
    for path in files:
        parsed = sources.parse_file(path, options)
        shown.append(parsed.path)
        errors.extend(parsed.errors)
        ignored = effective.ignores_for(parsed.path)
        for template in parsed.templates:
            result = check_template(template, scorer, effective.thresholds, ignored)
            if result.error is not None:
                errors.append(
                    CheckError(
                        source=result.source,
                        line=result.line,
                        column=result.column,
                        kind="input",
                        message=f"{result.location}: {result.error}",
                    )
                )
            elif ruleset is None and result.report is not None:
                ruleset = result.report.ruleset
            results.append(result)
        for d in parsed.directives:
            left = [i for i in d.rule_ids if i not in d.used]
            if left:
                unused.append(Suppression(source=parsed.path, line=d.line, rule_ids=list(d.rule_ids), unused=left))
    if ruleset is None:
        from apology_score.pipeline.core import get_pipeline

        ruleset = get_pipeline(effective.config).ruleset_info
    return CheckRun(
        paths=list(paths),
        config_file=effective.config_file,
        files=shown,
        thresholds=effective.thresholds,
        results=results,
        errors=errors,
        unused_suppressions=unused,
        ruleset=ruleset,
        scorer_version=__version__,
    )
