"""The result models of ``apology-score check`` (pydantic v2), shared by every output format.

A check run scores every template found under the paths it was given and compares each report with the
thresholds. The models here are what ``--format json`` serializes (``CheckRun.model_dump_json()``) and what
the HTML renderer (``apology_score.render.html.render_check_html``) reads:

* :class:`TemplateResult` -- one template: where it is (source file, location inside the file, line and
  column), its text, its :class:`~apology_score.report.ScoreReport`, whether it passed and why not.
* :class:`CheckError` -- a file (or one entry of a file) that could not be read, decoded or parsed.
* :class:`Suppression` -- an inline ``apology-score: ignore[...]`` comment that matched nothing.
* :class:`Thresholds` -- what a template must reach to pass.
* :class:`CheckRun` -- all of the above plus :class:`Counts` and the exit code.

Locations: ``line`` and ``column`` are 1-based and point at the template's first character in the source
file when the parser knows it (every built-in source type knows the line; YAML and JSON also the column).
``location`` is a human label inside the file: a key path for JSON/YAML (``refund.late[2]``), ``block 3``
or the Markdown heading for .txt/.md, ``row 4`` (or the row's id) for CSV, ``line 7`` for JSONL and the
``msgid`` (with ``msgctxt``) for gettext .po.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from apology_score.report import DimensionName, RulesetInfo, ScoreReport

Severity = Literal["error", "warning", "info"]
SourceType = Literal["txt", "md", "json", "yaml", "csv", "jsonl", "po"]
ErrorKind = Literal["read", "decode", "parse", "input", "config"]

#: Severities from the most to the least severe; ``--fail-on-severity warning`` fails on error and warning.
SEVERITY_ORDER: tuple[Severity, ...] = ("error", "warning", "info")

#: Exit codes (as ruff and Vale).
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_ERROR = 2


def severity_at_least(severity: Severity, threshold: Severity) -> bool:
    """``error`` >= ``warning`` >= ``info``."""
    return SEVERITY_ORDER.index(severity) <= SEVERITY_ORDER.index(threshold)



def where(source: str, line: int | None, column: int | None) -> str:
    """``file:line:column`` as far as known (the form compilers and linters print)."""
    out = source
    if line is not None:
        out += f":{line}"
        if column is not None:
            out += f":{column}"
    return out

class Thresholds(BaseModel):
    """What every template must reach to pass (defaults documented in the README, section Command line)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    #: The overall score must be >= this (0 switches it off). Default 40: a template graded F fails.
    min_score: float = Field(default=40.0, ge=0, le=100)
    #: Per-dimension minima, e.g. ``{"remedy": 50}``; dimensions not listed are not checked.
    min_dimension: dict[DimensionName, float] = Field(default_factory=dict)
    #: Any evasion (denial, blame-shifting, ...) fails the template.
    fail_on_evasion: bool = True
    #: A finding whose rule has this severity or a higher one fails the template (None: severities
    #: never fail a template by themselves).
    fail_on_severity: Severity | None = "error"


class Suppression(BaseModel):
    """An inline suppression comment: which rule ids (or id prefixes) it switches off, for which templates."""

    model_config = ConfigDict(frozen=True)
    source: str = Field(description="The file the comment is in (as given or found, POSIX separators)")
    line: int = Field(ge=1, description="1-based line of the comment")
    rule_ids: list[str] = Field(description="Rule ids or id prefixes, upper case, as written in the comment")
    #: The ids of ``rule_ids`` that switched off nothing in any template the comment applies to.
    unused: list[str] = Field(default_factory=list)


class CheckError(BaseModel):
    """A file (or entry) that could not be read, decoded, parsed or scored. The run goes on past it."""

    model_config = ConfigDict(frozen=True)
    source: str
    line: int | None = Field(default=None, ge=1)
    column: int | None = Field(default=None, ge=1)
    kind: ErrorKind
    message: str

    def where(self) -> str:
        """``file:line:column`` as far as known."""
        return where(self.source, self.line, self.column)


class TemplateResult(BaseModel):
    """One template of a library: where it is, its report, and whether it passed the thresholds."""

    model_config = ConfigDict(frozen=True)
    source: str = Field(description="The file it was found in (POSIX separators, relative when given so)")
    source_type: SourceType
    location: str = Field(description="Where inside the file: key path, block, row, line or msgid")
    line: int | None = Field(default=None, ge=1, description="1-based line of the template's first character")
    column: int | None = Field(default=None, ge=1, description="1-based column, when the parser knows it")
    text: str
    #: The report, scored with the file's rule selection and with the suppressed rules switched off.
    #: None when the template could not be scored (then ``error`` says why).
    report: ScoreReport | None = None
    passed: bool
    #: Human-readable reasons it failed, one per threshold missed (empty when it passed).
    failures: list[str] = Field(default_factory=list)
    #: Rule ids of ``report.findings`` that made it fail through ``fail_on_severity`` / ``fail_on_evasion``.
    failing_rule_ids: list[str] = Field(default_factory=list)
    error: str | None = None
    #: Rule ids switched off for this template by inline comments that did match a fired rule.
    suppressed: list[str] = Field(default_factory=list)
    #: Rule ids or prefixes switched off for this file by ``per-file-ignores`` in the config.
    ignored: list[str] = Field(default_factory=list)
    #: True when ``text`` appears unchanged in the source from ``line``/``column`` on, so that a finding's
    #: offsets map to file positions (.txt and .md blocks without comment lines inside).
    verbatim: bool = False

    def where(self) -> str:
        """``file:line:column`` as far as known."""
        return where(self.source, self.line, self.column)


class Counts(BaseModel):
    model_config = ConfigDict(frozen=True)
    files: int = Field(ge=0, description="Files read (including those that failed to parse)")
    templates: int = Field(ge=0)
    passed: int = Field(ge=0)
    failed: int = Field(ge=0)
    errors: int = Field(ge=0, description="Files or entries that could not be read, parsed or scored")
    unused_suppressions: int = Field(ge=0)


class CheckRun(BaseModel):
    """Everything one ``apology-score check`` run found."""

    model_config = ConfigDict(frozen=True)
    paths: list[str] = Field(description="The paths given on the command line")
    config_file: str | None = Field(default=None, description="The config file in force, if any")
    files: list[str] = Field(default_factory=list, description="Every file read (POSIX separators)")
    thresholds: Thresholds
    results: list[TemplateResult]
    errors: list[CheckError] = Field(default_factory=list)
    unused_suppressions: list[Suppression] = Field(default_factory=list)
    ruleset: RulesetInfo | None = None
    scorer_version: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> Counts:
        files = set(self.files) | {r.source for r in self.results} | {e.source for e in self.errors}
        passed = sum(1 for r in self.results if r.passed)
        return Counts(
            files=len(files),
            templates=len(self.results),
            passed=passed,
            failed=len(self.results) - passed,
            errors=len(self.errors),
            unused_suppressions=sum(len(s.unused) for s in self.unused_suppressions),
        )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exit_code(self) -> int:
        """2 when a file or entry could not be read, parsed or scored; else 1 if a template failed; else 0."""
        if self.errors:
            return EXIT_ERROR
        if any(not r.passed for r in self.results):
            return EXIT_FAILED
        return EXIT_OK

    @property
    def failed(self) -> list[TemplateResult]:
        return [r for r in self.results if not r.passed]
