"""Configuration of the command line: ``[tool.apology-score]`` in ``pyproject.toml`` or ``.apology-score.toml``.

Discovery walks from the current directory upwards; in each directory ``.apology-score.toml`` wins over a
``pyproject.toml``, and a ``pyproject.toml`` without a ``[tool.apology-score]`` table is skipped (as ruff
does). In ``.apology-score.toml`` the keys sit at the top level (a ``[tool.apology-score]`` table is accepted
too). Relative paths in the file (``extra-lexicons``) are relative to the file's directory. Command-line
flags override the file. An unknown key or a bad value raises :class:`~apology_score.errors.ConfigError`
naming the key and the file.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from apology_score.checking import Severity, Thresholds
from apology_score.config import Config
from apology_score.errors import ConfigError
from apology_score.report import DIMENSION_NAMES, DimensionName

CONFIG_FILE = ".apology-score.toml"
PYPROJECT = "pyproject.toml"
TOOL_KEY = "apology-score"

#: Keys handed to :class:`~apology_score.config.Config` (how to score), spelled as in the TOML file.
SCORING_KEYS = ("weights", "grades", "segmenter", "max-length", "evasion-penalty")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class FileSettings(BaseModel):
    """Every key the ``[tool.apology-score]`` table accepts (kebab-case, as ruff)."""

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=False, frozen=True)

    # thresholds (apology-score check)
    min_score: float | None = Field(default=None, ge=0, le=100)
    min: dict[DimensionName, float] = Field(default_factory=dict)
    fail_on_evasion: bool | None = None
    fail_on_severity: Literal["error", "warning", "info", "none"] | None = None
    # rule selection
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    extra_lexicons: list[str] = Field(default_factory=list)
    # template discovery
    exclude: list[str] = Field(default_factory=list)
    column: str | None = Field(default=None, min_length=1)
    keys: list[str] = Field(default_factory=list)
    # output
    format: str | None = None
    # scoring (passed to Config)
    weights: dict[str, float] | None = None
    grades: dict[str, float] | None = None
    segmenter: str | None = None
    max_length: int | None = None
    evasion_penalty: float | None = None

    @field_validator("min")
    @classmethod
    def _minima(cls, value: dict[str, float]) -> dict[str, float]:
        for dim, n in value.items():
            if not 0 <= n <= 100:
                raise ValueError(f"{dim}: {n} is not between 0 and 100")
        return value

    @field_validator("select", "ignore")
    @classmethod
    def _rule_ids(cls, value: list[str]) -> list[str]:
        return [check_rule_id(v) for v in value]

    @field_validator("per_file_ignores")
    @classmethod
    def _per_file(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {glob: [check_rule_id(v) for v in ids] for glob, ids in value.items()}


def check_rule_id(value: str) -> str:
    """A rule id or id prefix (``EVA-``, ``SIN-ZH-IFID``), upper-cased; ValueError otherwise."""
    value = value.strip()
    if not value or not value.replace("-", "").isalnum() or not value.isascii():
        raise ValueError(f"{value!r} is not a rule id or id prefix (like SIN-ZH-IFID or EVA-)")
    return value.upper()


@dataclass(frozen=True)
class LoadedSettings:
    """A config file's settings, with paths made absolute."""

    path: Path | None
    data: FileSettings
    scoring: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str | None:
        return str(self.path) if self.path else None


def find_config(start: Path) -> Path | None:
    """The config file in force for ``start`` (a directory), walking upwards; None when there is none."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        # a broken pyproject.toml is only our business when it is ours: look for the table header
        try:
            return f"[tool.{TOOL_KEY}]" in pyproject.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    tool = data.get("tool")
    return isinstance(tool, dict) and TOOL_KEY in tool


def load_config(path: Path) -> LoadedSettings:
    """Read and validate one config file; ConfigError names the file and the key."""
    label = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the config file: {exc.strerror or exc}", file=label) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 ({exc.reason} at byte {exc.start})", file=label) from exc
    try:
        doc = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", file=label) from exc
    if path.name == PYPROJECT or "tool" in doc:
        tool = doc.get("tool", {})
        table = tool.get(TOOL_KEY) if isinstance(tool, dict) else None
        if table is None:
            if path.name == PYPROJECT:
                raise ConfigError(f"no [tool.{TOOL_KEY}] table", file=label)
            table = {k: v for k, v in doc.items() if k != "tool"}
        prefix = f"tool.{TOOL_KEY}."
    else:
        table = doc
        prefix = ""
    if not isinstance(table, dict):
        raise ConfigError("must be a table", file=label, key=prefix.rstrip(".") or None)
    return settings_from_mapping(table, path=path, key_prefix=prefix)


def settings_from_mapping(table: dict[str, Any], *, path: Path | None, key_prefix: str = "") -> LoadedSettings:
    label = str(path) if path else None
    try:
        data = FileSettings.model_validate(table)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"] if p != "[key]"]
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown key; known keys: {', '.join(sorted(_known_keys()))}"
        elif loc and loc[0] == "min" and err["type"] in ("literal_error", "enum"):
            msg = f"unknown dimension; use one of {', '.join(DIMENSION_NAMES)}"
        raise ConfigError(msg, file=label, key=key_prefix + ".".join(loc)) from exc
    base = path.parent if path else Path.cwd()
    if data.format is not None:
        from apology_score.cli.formats import CHECK_FORMATS

        if data.format not in CHECK_FORMATS:
            raise ConfigError(
                f"unknown format {data.format!r}; use one of {', '.join(CHECK_FORMATS)}",
                file=label,
                key=key_prefix + "format",
            )
    scoring: dict[str, Any] = {}
    for key in SCORING_KEYS:
        if key in table:
            scoring[key.replace("-", "_")] = table[key]
    if scoring:
        # validate now so that the error names this file and the key as written in it
        try:
            Config.from_mapping(scoring, source=label)
        except ConfigError as exc:
            raise ConfigError(exc.reason, file=label, key=key_prefix + _kebab(exc.key or "")) from exc
    lexicons = [str((base / p).resolve()) if not Path(p).is_absolute() else p for p in data.extra_lexicons]
    data = data.model_copy(update={"extra_lexicons": lexicons})
    return LoadedSettings(path=path, data=data, scoring=scoring)


def _known_keys() -> list[str]:
    return [_kebab(name) for name in FileSettings.model_fields]


def discover_settings(explicit: str | None, *, isolated: bool, cwd: Path | None = None) -> LoadedSettings:
    """The settings in force: ``--config FILE``, else the discovered file, else defaults."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError("no such config file", file=explicit)
        return load_config(path)
    if isolated:
        return LoadedSettings(path=None, data=FileSettings())
    found = find_config(cwd or Path.cwd())
    if found is None:
        return LoadedSettings(path=None, data=FileSettings())
    return load_config(found)


# --- merging the file with the command line ----------------------------------------------------------


@dataclass(frozen=True)
class Effective:
    """Settings after the command line overrode the file."""

    config_file: str | None
    thresholds: Thresholds
    config: Config
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    exclude: tuple[str, ...]
    column: str
    keys: tuple[str, ...]
    format: str

    def ignores_for(self, display_path: str) -> tuple[str, ...]:
        """Rule ids or prefixes that per-file-ignores switch off for a file (path as displayed)."""
        out: list[str] = []
        for glob, ids in self.per_file_ignores:
            if path_matches(display_path, glob):
                out.extend(i for i in ids if i not in out)
        return tuple(out)


def path_matches(display_path: str, pattern: str) -> bool:
    """Glob match of a POSIX path: the whole path, its tail, its name or one of its directories."""
    path = display_path.removeprefix("./")
    pattern = pattern.removeprefix("./").rstrip("/")
    if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, f"*/{pattern}"):
        return True
    if path.startswith(pattern + "/") or f"/{pattern}/" in f"/{path}":
        return True
    parts = path.split("/")
    return "/" not in pattern and any(fnmatch.fnmatchcase(part, pattern) for part in parts)


def parse_minimum(value: str) -> tuple[DimensionName, float]:
    """``remedy=50`` -> ("remedy", 50.0); ValueError naming what is wrong."""
    name, sep, number = value.partition("=")
    name = name.strip().lower()
    if not sep:
        raise ValueError(f"{value!r}: expected DIMENSION=N, e.g. remedy=50")
    if name not in DIMENSION_NAMES:
        raise ValueError(f"{value!r}: unknown dimension {name!r}; use one of {', '.join(DIMENSION_NAMES)}")
    try:
        n = float(number)
    except ValueError:
        raise ValueError(f"{value!r}: {number!r} is not a number") from None
    if not 0 <= n <= 100:
        raise ValueError(f"{value!r}: {n:g} is not between 0 and 100")
    return name, n


def split_ids(values: list[str] | None) -> list[str]:
    """``["EVA-,SIN-ZH-IFID", "REM-"]`` -> checked ids (repeatable, comma-separated flags)."""
    out: list[str] = []
    for value in values or []:
        for item in value.split(","):
            if item.strip():
                out.append(check_rule_id(item))
    return out


def merge(
    loaded: LoadedSettings,
    *,
    min_score: float | None = None,
    minima: list[str] | None = None,
    fail_on_evasion: bool | None = None,
    fail_on_severity: str | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    extend_ignore: list[str] | None = None,
    extra_lexicons: list[str] | None = None,
    exclude: list[str] | None = None,
    column: str | None = None,
    keys: list[str] | None = None,
    fmt: str | None = None,
) -> Effective:
    """Apply command-line values (None: not given) over the file. ValueError for a bad flag value."""
    data = loaded.data
    defaults = Thresholds()
    dims: dict[DimensionName, float] = dict(data.min)
    for item in minima or []:
        name, n = parse_minimum(item)
        dims[name] = n
    severity_raw = fail_on_severity if fail_on_severity is not None else data.fail_on_severity
    severity: Severity | None
    if severity_raw is None:
        severity = defaults.fail_on_severity
    elif severity_raw == "none":
        severity = None
    elif severity_raw in ("error", "warning", "info"):
        severity = severity_raw  # type: ignore[assignment]
    else:
        raise ValueError(f"--fail-on-severity: {severity_raw!r} is not one of error, warning, info, none")
    if min_score is not None and not 0 <= min_score <= 100:
        raise ValueError(f"--min-score: {min_score:g} is not between 0 and 100")
    thresholds = Thresholds(
        min_score=min_score
        if min_score is not None
        else (data.min_score if data.min_score is not None else defaults.min_score),
        min_dimension=dims,
        fail_on_evasion=fail_on_evasion
        if fail_on_evasion is not None
        else (data.fail_on_evasion if data.fail_on_evasion is not None else defaults.fail_on_evasion),
        fail_on_severity=severity,
    )
    sel = split_ids(select) if select else list(data.select)
    ign = split_ids(ignore) if ignore else list(data.ignore)
    ign += [i for i in split_ids(extend_ignore) if i not in ign]
    lexicons = list(data.extra_lexicons) + [str(Path(p).resolve()) for p in extra_lexicons or []]
    scoring: dict[str, Any] = dict(loaded.scoring)
    scoring.update(select=tuple(sel), ignore=tuple(ign), extra_lexicons=tuple(lexicons))
    try:
        config = Config.from_mapping(scoring, source=loaded.label)
    except ConfigError as exc:
        raise ValueError(str(exc)) from exc
    return Effective(
        config_file=loaded.label,
        thresholds=thresholds,
        config=config,
        per_file_ignores=tuple((g, tuple(ids)) for g, ids in data.per_file_ignores.items()),
        exclude=tuple(data.exclude) + tuple(exclude or ()),
        column=column or data.column or "text",
        keys=tuple(keys) if keys else tuple(data.keys),
        format=fmt or data.format or "text",
    )
