"""Find, safely parse and validate lexicon files into a :class:`Ruleset`.

Only ``yaml.safe_load``-equivalent parsing is used (no tags that construct objects, no pickle, no eval).
Every problem raises :class:`~apology_score.errors.LexiconError` naming the file, the line when the parser
knows it, the rule id and the field.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from apology_score import cache
from apology_score._version import __version__
from apology_score.errors import LexiconError
from apology_score.lexicon.schema import Rule, RuleFile
from apology_score.pipeline.model import LinearModel, load_model

RULESET_NAME = "apology-score-default"
LEXICON_SUFFIXES = (".yaml", ".yml")


def builtin_lexicon_dir() -> Path:
    """The lexicons shipped with the package (inside the wheel), or the repository's ``lexicons/``."""
    packaged = resources.files("apology_score").joinpath("lexicons")
    if packaged.is_dir():
        return Path(str(packaged))
    repo = Path(__file__).resolve().parents[3] / "lexicons"
    if repo.is_dir():
        return repo
    raise LexiconError("the built-in lexicons were not found (broken installation?)")


@dataclass(frozen=True)
class LoadedFile:
    path: str
    data: RuleFile
    lines: dict[str, int]  # rule id -> line of the rule in the file
    builtin: bool = True


@dataclass(frozen=True)
class Ruleset:
    """All rules in force, with provenance: where each came from and a content hash of the files."""

    name: str
    version: str
    content_hash: str
    files: tuple[LoadedFile, ...]
    rules: tuple[Rule, ...] = field(repr=False)
    origin: dict[str, tuple[str, int | None, str]] = field(repr=False)  # id -> (file, line, language)
    #: The weights of rules with ``model:`` (rule id -> model), loaded and validated with their lexicon file.
    models: dict[str, LinearModel] = field(default_factory=dict, repr=False)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def language_of(self, rule_id: str) -> str:
        return self.origin[rule_id][2]

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}+{self.content_hash}"


class LexiconLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false are booleans, so phrases like no, on, off, yes
    stay strings (YAML 1.1 would turn them into booleans)."""


LexiconLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
LexiconLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_LexiconCLoader: Any = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLoader(yaml.CSafeLoader):
        """:class:`LexiconLoader` on libyaml's parser (the same resolvers, so the same data)."""

    _CLoader.yaml_implicit_resolvers = LexiconLoader.yaml_implicit_resolvers
    _LexiconCLoader = _CLoader


def _node_line(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """The 1-based line of the YAML node at ``loc`` (a pydantic error location), as far as it resolves."""
    line = None if node is None else node.start_mark.line + 1
    for part in loc:
        if node is None:
            break
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    nxt = value
                    line = key.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            nxt = node.value[part]
            line = nxt.start_mark.line + 1
        node = nxt
    return line


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LexiconError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LexiconError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
            file=str(path),
            line=line,
        ) from exc


def _parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """(node tree, data) of one YAML document, parsed once. libyaml's parser when PyYAML has it (about 30x
    faster: the pure-Python parser was most of a cold start); a file it rejects is parsed again by the
    pure-Python parser, so error messages do not depend on how PyYAML was built."""
    if _LexiconCLoader is not None:
        try:
            return _compose_and_construct(_LexiconCLoader(text))
        except yaml.YAMLError:
            pass
    return _compose_and_construct(LexiconLoader(text))


def _compose_and_construct(loader: Any) -> tuple[yaml.Node | None, Any]:
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


#: Source files whose code decides what a parse yields; the parse cache is keyed on their content.
_PARSE_SOURCES = (Path(__file__), Path(__file__).with_name("schema.py"))


def _parse_cache_path(text: str) -> Path:
    return cache.cache_path("lexicon", _PARSE_SOURCES, yaml.__version__.encode(), text.encode("utf-8", "surrogatepass"))


def _cached_parse(path: Path, text: str) -> LoadedFile | None:
    """A file parsed before, from the user cache (:mod:`apology_score.cache`; YAML parsing is most of a cold
    start): its data and rule lines, validated again. ``None`` when there is no usable entry; a file that fails
    validation is always parsed afresh, so its error names the line."""
    cached = cache.load(_parse_cache_path(text))
    if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[1], dict):
        data, lines = cached
        with contextlib.suppress(ValidationError):
            return LoadedFile(path=str(path), data=RuleFile.model_validate(data), lines=lines)
    return None


def parse_file(path: Path) -> LoadedFile:
    """Parse and validate one lexicon file."""
    text = _read_text(path)
    cached = _cached_parse(path, text)
    if cached is not None:
        return cached
    try:
        node, data = _parse_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise LexiconError(
            f"invalid YAML: {exc.problem or exc}",
            file=str(path),
            line=None if mark is None else mark.line + 1,
        ) from exc
    except yaml.YAMLError as exc:
        raise LexiconError(f"invalid YAML: {exc}", file=str(path)) from exc
    if not isinstance(data, dict):
        raise LexiconError(
            "a lexicon file must be a mapping with keys family, language and rules",
            file=str(path),
            line=1,
        )
    try:
        parsed = RuleFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        rule_id = None
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            rules = data.get("rules")
            if isinstance(rules, list) and loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
                rid = rules[loc[1]].get("id")
                rule_id = str(rid) if rid is not None else f"#{loc[1] + 1}"
        loc = tuple(p for p in loc if p not in ("str", "list[constrained-str]", "list[str]"))
        field_path = ".".join(str(p) for p in (loc[2:] if rule_id else loc)) or None
        raise LexiconError(
            err["msg"],
            file=str(path),
            line=_node_line(node, loc),
            rule_id=rule_id,
            field=field_path,
        ) from exc
    lines: dict[str, int] = {}
    for i, rule in enumerate(parsed.rules):
        line = _node_line(node, ("rules", i))
        if line is not None:
            lines[rule.id] = line
    cache.store(_parse_cache_path(text), (data, lines))
    return LoadedFile(path=str(path), data=parsed, lines=lines)


def discover(paths: Iterable[Path]) -> list[Path]:
    """Lexicon files under the given files or folders, in a stable order."""
    found: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found.extend(sorted(q for q in p.rglob("*") if q.suffix in LEXICON_SUFFIXES and q.is_file()))
        elif p.exists():
            found.append(p)
        else:
            raise LexiconError("no such file or directory", file=str(p))
    return found


def load_ruleset(extra: Sequence[Path | str] = (), *, include_builtin: bool = True) -> Ruleset:
    """Load the built-in lexicons plus ``extra`` files or folders.

    A rule in an extra file whose id equals a built-in rule's id replaces it (override without forking);
    two rules with the same id in one source are an error.
    """
    sources: list[tuple[str, list[Path]]] = []
    if include_builtin:
        sources.append(("builtin", discover([builtin_lexicon_dir()])))
    if extra:
        sources.append(("extra", discover([Path(p) for p in extra])))
    by_id: dict[str, Rule] = {}
    origin: dict[str, tuple[str, int | None, str]] = {}
    models: dict[str, LinearModel] = {}
    loaded_models: dict[Path, tuple[LinearModel, bytes]] = {}
    files: list[LoadedFile] = []
    digest = hashlib.sha256()
    for kind, paths in sources:
        seen_here: dict[str, str] = {}
        for path in paths:
            loaded = parse_file(path)
            if kind == "extra":
                loaded = LoadedFile(path=loaded.path, data=loaded.data, lines=loaded.lines, builtin=False)
            files.append(loaded)
            digest.update(path.name.encode())
            digest.update(b"\0")
            digest.update(_read_text(path).replace("\r\n", "\n").encode())
            for rule in loaded.data.rules:
                if rule.id in seen_here:
                    raise LexiconError(
                        f"duplicate rule id (also defined in {seen_here[rule.id]})",
                        file=loaded.path,
                        line=loaded.lines.get(rule.id),
                        rule_id=rule.id,
                        field="id",
                    )
                seen_here[rule.id] = loaded.path
                if kind == "extra" or rule.id not in by_id:
                    by_id[rule.id] = rule
                    origin[rule.id] = (loaded.path, loaded.lines.get(rule.id), loaded.data.language)
                    models.pop(rule.id, None)
                    if rule.model is not None:
                        model_path = (path.parent / rule.model).resolve()
                        if model_path not in loaded_models:  # rules of several languages may share one file
                            loaded_models[model_path] = load_model(model_path, lexicon=loaded.path, rule_id=rule.id)
                        model, raw = loaded_models[model_path]
                        models[rule.id] = model
                        digest.update(b"\0model\0" + rule.model.encode() + b"\0" + raw)
    if not by_id:
        raise LexiconError("no rules were loaded")
    rules = tuple(sorted(by_id.values(), key=lambda r: r.id))
    return Ruleset(
        name=RULESET_NAME if not extra else f"{RULESET_NAME}+extra",
        version=__version__,
        content_hash=digest.hexdigest()[:12],
        files=tuple(files),
        rules=rules,
        origin=origin,
        models=models,
    )
