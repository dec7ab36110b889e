"""Finding templates in a template library, per source type, with file, line and column.

=========  ==================================================================  ===============================
source     what is a template                                                  suppression comment
=========  ==================================================================  ===============================
``.txt``   each block of lines; blocks are separated by a blank line or a      ``# apology-score: ignore[ID]``
           line ``---``                                                        on its own line
``.md``    each section; sections are separated by headings (``#`` ..) and     ``<!-- apology-score:
           thematic breaks (``---``, ``***``); blank lines stay inside         ignore[ID] -->``
``.json``  every non-empty string leaf; location = key path                    ``"//apology-score":
                                                                               "ignore[ID]"`` key in an object
``.yaml``  every non-empty string leaf; location = key path                    ``# apology-score: ignore[ID]``
                                                                               before the key or at line end
``.csv``   the ``text`` column (``--column``) of each row                      an ``apology-score`` column
``.jsonl`` the ``text`` field of each object line (or the line's string)       an ``apology-score`` field
``.po``    every non-empty ``msgstr`` (and ``msgstr[N]``)                       ``# apology-score: ignore[ID]``
                                                                               translator comment
=========  ==================================================================  ===============================

A comment on its own line applies to the template that contains it (txt/md), or else to the next one
(or, in YAML, to every template under the key on the next line). A trailing YAML comment applies to its line.
In JSON the ``//apology-score`` key applies to every string in its object, nested ones included.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from apology_score.checking import CheckError, ErrorKind, SourceType

SOURCE_TYPES: dict[str, SourceType] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".po": "po",
}
#: Directories never walked into.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"})

#: The key (JSON) or column / field (CSV, JSONL) that carries a suppression.
SUPPRESS_KEY_JSON = "//apology-score"
SUPPRESS_FIELD = "apology-score"

_DIRECTIVE = re.compile(r"apology-score\s*:\s*(?P<body>.*?)\s*(?:-->)?\s*$")
_IGNORE = re.compile(r"^ignore\s*\[(?P<ids>[^\]]*)\]$")
_ID = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]*)*$")


class SourceError(Exception):
    """A file or entry that cannot be parsed; carries the position."""

    def __init__(
        self, message: str, *, line: int | None = None, column: int | None = None, kind: ErrorKind = "parse"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.kind = kind


@dataclass(eq=False)
class Directive:
    """One ``apology-score: ignore[...]`` comment. Shared by every template it applies to."""

    line: int
    rule_ids: tuple[str, ...]
    used: set[str] = field(default_factory=set)


@dataclass
class Template:
    source: str
    source_type: SourceType
    location: str
    line: int | None
    column: int | None
    text: str
    directives: list[Directive] = field(default_factory=list)
    #: True when ``text`` appears unchanged in the file from (line, column) on.
    verbatim: bool = False


@dataclass
class ParsedFile:
    path: str
    source_type: SourceType
    templates: list[Template] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    errors: list[CheckError] = field(default_factory=list)

    def fail(self, line: int | None, message: str, *, kind: ErrorKind = "parse", column: int | None = None) -> None:
        """Record why part of this file could not be read (the run goes on; the summary counts it)."""
        self.errors.append(CheckError(source=self.path, line=line, column=column, kind=kind, message=message))

    def add(
        self,
        location: str,
        line: int | None,
        column: int | None,
        text: str,
        directives: list[Directive],
        *,
        source_type: SourceType | None = None,
        verbatim: bool = False,
    ) -> None:
        """Record a template found in this file (every parser ends here)."""
        self.templates.append(
            Template(self.path, source_type or self.source_type, location, line, column, text, directives, verbatim)
        )


@dataclass(frozen=True)
class Options:
    column: str = "text"
    keys: tuple[str, ...] = ()


# --- discovery -------------------------------------------------------------------------------------------


def display(path: Path) -> str:
    return path.as_posix()


def discover(paths: Iterable[str], exclude: tuple[str, ...] = ()) -> tuple[list[Path], list[CheckError]]:
    """Files to check under ``paths`` (directories are walked, sorted); errors for missing paths."""
    from apology_score.cli.settings import path_matches

    files: list[Path] = []
    errors: list[CheckError] = []
    seen: set[Path] = set()

    def excluded(p: Path) -> bool:
        return any(path_matches(display(p), g) for g in exclude)

    for given in paths:
        root = Path(given)
        if not root.exists():
            errors.append(CheckError(source=given, kind="read", message="no such file or directory"))
            continue
        if root.is_file():
            if root.suffix.lower() not in SOURCE_TYPES:
                known = ", ".join(sorted(SOURCE_TYPES))
                errors.append(
                    CheckError(
                        source=display(root),
                        kind="read",
                        message=f"unsupported file type {root.suffix or '(none)'!r}; known: {known}",
                    )
                )
            elif root not in seen and not excluded(root):
                seen.add(root)
                files.append(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            base = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not excluded(base / d))
            for name in sorted(filenames):
                p = base / name
                if p.suffix.lower() in SOURCE_TYPES and p not in seen and not excluded(p):
                    seen.add(p)
                    files.append(p)
    return files, errors


# --- reading ---------------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped; UTF-16 with a BOM is accepted). SourceError at the bad byte's line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceError(f"cannot decode as UTF-16: {exc.reason}", kind="decode") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.end].hex(" ")
        raise SourceError(
            f"not valid UTF-8 (byte {bad} at offset {exc.start}: {exc.reason}); re-save the file as UTF-8",
            line=line,
            column=column,
            kind="decode",
        ) from exc


def parse_file(path: Path, options: Options = Options()) -> ParsedFile:
    """Read one file and find its templates. Never raises for bad content: errors are collected."""
    shown = display(path)
    kind = SOURCE_TYPES[path.suffix.lower()]
    parsed = ParsedFile(path=shown, source_type=kind)
    try:
        data = path.read_bytes()
    except OSError as exc:
        parsed.errors.append(CheckError(source=shown, kind="read", message=exc.strerror or str(exc)))
        return parsed
    try:
        text = decode(data)
        PARSERS[kind](parsed, text, options)
    except SourceError as exc:
        parsed.errors.append(
            CheckError(source=shown, line=exc.line, column=exc.column, kind=exc.kind, message=exc.message)
        )
    return parsed


def parse_directive(comment: str, line: int) -> Directive | None:
    """``... apology-score: ignore[A, B] ...`` -> Directive; None when the comment is not one of ours."""
    m = _DIRECTIVE.search(comment)
    if not m:
        return None
    body = m.group("body").strip()
    im = _IGNORE.match(body)
    if not im:
        raise SourceError(
            f"malformed suppression comment {body!r}; write apology-score: ignore[RULE-ID,...]", line=line
        )
    ids = [i.strip() for i in im.group("ids").split(",") if i.strip()]
    if not ids:
        raise SourceError("empty suppression: name the rule ids, e.g. ignore[EVA-ZH-DENY]", line=line)
    for i in ids:
        if not _ID.match(i):
            raise SourceError(f"{i!r} in a suppression comment is not a rule id or id prefix", line=line)
    return Directive(line=line, rule_ids=tuple(i.upper() for i in ids))


class _LineIndex:
    """Offset -> (line, column), both 1-based."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def position(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


# --- .txt and .md: blocks of lines -----------------------------------------------------------------------


@dataclass
class _Block:
    lines: list[tuple[int, str]] = field(default_factory=list)  # (1-based line number, text)
    directives: list[Directive] = field(default_factory=list)
    label: str | None = None
    interrupted: bool = False  # a comment line sat between its lines: the text is not verbatim

    def has_content(self) -> bool:
        return any(t.strip() for _, t in self.lines)


class _BlockCollector:
    def __init__(self, parsed: ParsedFile, kind: SourceType) -> None:
        self.parsed = parsed
        self.kind = kind
        self.block = _Block()
        self.pending: list[Directive] = []
        self.count = 0
        self.label: str | None = None
        self.label_uses: dict[str, int] = {}

    def directive(self, d: Directive) -> None:
        self.parsed.directives.append(d)
        if self.block.has_content():
            self.block.directives.append(d)
            self.block.interrupted = True
        else:
            self.pending.append(d)

    def line(self, number: int, text: str) -> None:
        if not self.block.lines and not text.strip():
            return
        if not self.block.lines:
            self.block.directives.extend(self.pending)
            self.pending = []
            self.block.label = self.label
        self.block.lines.append((number, text))

    def comment_inside(self) -> None:
        if self.block.has_content():
            self.block.interrupted = True

    def close(self) -> None:
        block = self.block
        self.block = _Block()
        while block.lines and not block.lines[-1][1].strip():
            block.lines.pop()
        if not block.has_content():
            self.pending.extend(block.directives)
            return
        self.count += 1
        first_line, first_text = block.lines[0]
        indent = len(first_text) - len(first_text.lstrip())
        body = "\n".join(t for _, t in block.lines).strip()
        if block.label:
            n = self.label_uses.get(block.label, 0) + 1
            self.label_uses[block.label] = n
            location = block.label if n == 1 else f"{block.label} ({n})"
        else:
            location = f"block {self.count}"
        contiguous = all(b[0] == a[0] + 1 for a, b in zip(block.lines, block.lines[1:], strict=False))
        self.parsed.add(
            location,
            first_line,
            indent + 1,
            body,
            block.directives,
            source_type=self.kind,
            verbatim=contiguous and not block.interrupted,
        )


_TXT_COMMENT = re.compile(r"^\s*#\s*apology-score\s*:")
_SEPARATOR = re.compile(r"^\s*---+\s*$")


def parse_txt(parsed: ParsedFile, text: str, options: Options) -> None:
    blocks = _BlockCollector(parsed, "txt")
    for number, line in enumerate(text.splitlines(), start=1):
        if _TXT_COMMENT.match(line):
            d = parse_directive(line, number)
            assert d is not None
            blocks.directive(d)
        elif not line.strip() or _SEPARATOR.match(line):
            blocks.close()
        else:
            blocks.line(number, line.rstrip())
    blocks.close()


_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(?P<title>.*?)\s*#*\s*$")
_BREAK = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def parse_md(parsed: ParsedFile, text: str, options: Options) -> None:
    blocks = _BlockCollector(parsed, "md")
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                start = i + 1
                break
    in_comment = False
    in_fence = False
    for index in range(start, len(lines)):
        number, line = index + 1, lines[index]
        stripped = line.strip()
        if in_comment:
            blocks.comment_inside()
            if "-->" in line:
                in_comment = False
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
            blocks.line(number, line.rstrip())
            continue
        if not in_fence and stripped.startswith("<!--"):
            if "-->" not in stripped:
                in_comment = True
                blocks.comment_inside()
                continue
            d = parse_directive(stripped, number)
            if d is not None:
                blocks.directive(d)
            else:
                blocks.comment_inside()
            continue
        heading = None if in_fence else _HEADING.match(line)
        if heading:
            blocks.close()
            blocks.label = heading.group("title") or None
            continue
        if not in_fence and _BREAK.match(line):
            blocks.close()
            blocks.label = None
            continue
        if not stripped and not blocks.block.has_content():
            continue
        blocks.line(number, line.rstrip())
    blocks.close()


# --- key paths (JSON, YAML) -------------------------------------------------------------------------------

_PLAIN_KEY = re.compile(r"^[^\s.\[\]\"']+$")


def key_path(parts: list[str | int]) -> str:
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif _PLAIN_KEY.match(p):
            out += f".{p}" if out else p
        else:
            out += f"[{json.dumps(p, ensure_ascii=False)}]"
    return out or "(root)"


def _key_selected(parts: list[str | int], options: Options) -> bool:
    if not options.keys:
        return True
    import fnmatch

    last = next((p for p in reversed(parts) if isinstance(p, str)), None)
    if last is None:
        return False
    return any(fnmatch.fnmatchcase(last, g) for g in options.keys)


# --- .json: a small parser that keeps positions --------------------------------------------------------

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_WS = re.compile(r"[ \t\n\r]*")


@dataclass
class _JNode:
    value: Any
    offset: int
    children: list[tuple[str | int, int, _JNode]] | None = None  # (key or index, key offset, node)


def _skip_ws(s: str, i: int) -> int:
    return _WS.match(s, i).end()  # type: ignore[union-attr]


def _json_value(s: str, i: int) -> tuple[_JNode, int]:
    i = _skip_ws(s, i)
    c = s[i]
    if c == '"':
        value, end = scanstring(s, i + 1, True)
        return _JNode(value, i), end
    if c in "{[":
        return _json_container(s, i)
    for literal, value in (("true", True), ("false", False), ("null", None)):
        if s.startswith(literal, i):
            return _JNode(value, i), i + len(literal)
    m = _NUMBER.match(s, i)
    assert m is not None
    return _JNode(float(m.group()), i), m.end()


def _json_container(s: str, start: int) -> tuple[_JNode, int]:
    """An object or an array (the text was validated by json.loads first): its members in order, each with the
    offset of its key (objects) or of its value (arrays)."""
    is_object = s[start] == "{"
    close = "}" if is_object else "]"
    children: list[tuple[str | int, int, _JNode]] = []
    i = _skip_ws(s, start + 1)
    while s[i] != close:
        if is_object:
            key_at = i
            key, i = scanstring(s, i + 1, True)
            child, i = _json_value(s, _skip_ws(s, i) + 1)  # skip ':'
            children.append((key, key_at, child))
        else:
            child, i = _json_value(s, i)
            children.append((len(children), child.offset, child))
        i = _skip_ws(s, i)
        if s[i] == ",":
            i = _skip_ws(s, i + 1)
    return _JNode(None, start, children), i + 1


def parse_json(parsed: ParsedFile, text: str, options: Options) -> None:
    try:
        json.loads(text)  # validates, with the standard error message and position
    except json.JSONDecodeError as exc:
        raise SourceError(f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from exc
    root, _ = _json_value(text, 0)
    index = _LineIndex(text)

    def walk(node: _JNode, parts: list[str | int], inherited: list[Directive]) -> None:
        if node.children is None:
            if isinstance(node.value, str) and node.value.strip() and parts and _key_selected(parts, options):
                line, column = index.position(node.offset)
                parsed.add(
                    key_path(parts),
                    line,
                    column,
                    node.value,
                    list(inherited),
                    source_type="json",
                )
            return
        directives = list(inherited)
        for key, key_at, child in node.children:
            if key == SUPPRESS_KEY_JSON:
                line, _ = index.position(key_at)
                if not isinstance(child.value, str) or child.children is not None:
                    raise SourceError(f'"{SUPPRESS_KEY_JSON}" must be a string like "ignore[EVA-ZH-DENY]"', line=line)
                d = parse_directive(f"apology-score: {child.value}", line)
                assert d is not None
                parsed.directives.append(d)
                directives.append(d)
        for key, _, child in node.children:
            if key != SUPPRESS_KEY_JSON:
                walk(child, [*parts, key], directives)

    walk(root, [], [])


# --- .yaml ---------------------------------------------------------------------------------------------------

_YAML_COMMENT = re.compile(r"(?:^|\s)#\s*apology-score\s*:.*$")


def parse_yaml(parsed: ParsedFile, text: str, options: Options) -> None:
    import yaml

    lines = text.splitlines()
    # comment directives: standalone ones target the next content line, trailing ones their own line
    by_target: dict[int, list[Directive]] = {}
    for i, line in enumerate(lines):
        m = _YAML_COMMENT.search(line)
        if not m:
            continue
        d = parse_directive(m.group(0), i + 1)
        assert d is not None
        parsed.directives.append(d)
        target = i + 1
        if line[: m.start()].strip() == "":
            target = i + 2
            while target <= len(lines) and (
                not lines[target - 1].strip() or lines[target - 1].lstrip().startswith("#")
            ):
                target += 1
        by_target.setdefault(target, []).append(d)
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = {"line": mark.line + 1, "column": mark.column + 1} if mark else {}
        raise SourceError(f"invalid YAML: {exc.problem or exc}", **where) from exc  # type: ignore[arg-type]
    except yaml.YAMLError as exc:
        raise SourceError(f"invalid YAML: {exc}") from exc

    def walk(node: yaml.Node, parts: list[str | int], anchors: list[int], top: bool) -> None:
        line = node.start_mark.line + 1
        here = anchors if top else [*anchors, line]
        if isinstance(node, yaml.ScalarNode):
            if (
                node.tag == "tag:yaml.org,2002:str"
                and str(node.value).strip()
                and parts
                and _key_selected(parts, options)
            ):
                ds = [d for a in dict.fromkeys(here) for d in by_target.get(a, [])]
                parsed.add(
                    key_path(parts),
                    line,
                    node.start_mark.column + 1,
                    str(node.value),
                    ds,
                    source_type="yaml",
                )
        elif isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                walk(child, [*parts, i], here, False)
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                walk(value_node, [*parts, key], [*here, key_node.start_mark.line + 1], False)

    for n, doc in enumerate(documents):
        if doc is not None:
            walk(doc, [f"doc{n + 1}"] if len(documents) > 1 else [], [], True)


# --- .csv and .jsonl -----------------------------------------------------------------------------------------


def parse_csv(parsed: ParsedFile, text: str, options: Options) -> None:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise SourceError(f"invalid CSV: {exc}", line=reader.line_num or 1) from exc
    names = [h.strip() for h in header]
    if options.column not in names:
        raise SourceError(
            f"no column {options.column!r} in the header (columns: {', '.join(names)}); "
            "choose one with --column or `column` in the config",
            line=1,
        )
    col = names.index(options.column)
    id_col = names.index("id") if "id" in names else None
    sup_col = names.index(SUPPRESS_FIELD) if SUPPRESS_FIELD in names else None
    row_no = 0
    prev_end = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            parsed.fail(prev_end + 1, f"invalid CSV: {exc}")
            break
        start = prev_end + 1
        prev_end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        row_no += 1
        if col >= len(row):
            parsed.fail(start, f"row {row_no} has {len(row)} cells, no {options.column!r} cell")
            continue
        value = row[col]
        if not value.strip():
            continue
        sup = row[sup_col] if sup_col is not None and sup_col < len(row) else None
        directives = _record_directives(parsed, sup, start)
        if directives is None:
            continue
        ident = row[id_col].strip() if id_col is not None and id_col < len(row) else ""
        _add_record(parsed, "csv", ident=ident, fallback=f"row {row_no}", line=start, text=value, directives=directives)


def _record_directives(parsed: ParsedFile, raw: object, line: int) -> list[Directive] | None:
    """The suppression in a record's ``apology-score`` column or field: ``[]`` when there is none, ``None``
    (with the error recorded) when it is malformed."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return []
    try:
        if not isinstance(raw, str):
            raise SourceError(f'"{SUPPRESS_FIELD}" must be a string like "ignore[EVA-ZH-DENY]"', line=line)
        d = parse_directive(f"apology-score: {raw.strip()}", line)
    except SourceError as exc:
        parsed.fail(line, exc.message)
        return None
    assert d is not None
    parsed.directives.append(d)
    return [d]


def _add_record(
    parsed: ParsedFile,
    source_type: SourceType,
    *,
    ident: str,
    fallback: str,
    line: int,
    text: str,
    directives: list[Directive],
) -> None:
    """A template from one record of a CSV or JSONL file, located by its id when it has one."""
    parsed.add(
        f"id {ident}" if ident else fallback,
        line,
        None,
        text,
        directives,
        source_type=source_type,
    )


def parse_jsonl(parsed: ParsedFile, text: str, options: Options) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            parsed.fail(number, f"invalid JSON: {exc.msg}", column=exc.colno)
            continue
        directives: list[Directive] = []
        ident = ""
        if isinstance(obj, str):
            value: Any = obj
        elif isinstance(obj, dict):
            if options.column not in obj:
                parsed.fail(
                    number,
                    f"no field {options.column!r} (fields: {', '.join(map(str, obj))}); "
                    "choose one with --column or `column` in the config",
                )
                continue
            value = obj[options.column]
            if obj.get("id") is not None:
                ident = str(obj["id"])
            found = _record_directives(parsed, obj.get(SUPPRESS_FIELD), number)
            if found is None:
                continue
            directives = found
        else:
            parsed.fail(number, f"expected an object or a string, got {type(obj).__name__}")
            continue
        if not isinstance(value, str):
            parsed.fail(number, f"field {options.column!r} is not a string")
            continue
        if value.strip():
            _add_record(
                parsed, "jsonl", ident=ident, fallback=f"line {number}", line=number, text=value, directives=directives
            )


# --- gettext .po ---------------------------------------------------------------------------------------------

_PO_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*)$")


def _po_string(raw: str, line: int) -> str:
    raw = raw.strip()
    if len(raw) < 2 or not raw.startswith('"') or not raw.endswith('"'):
        raise SourceError(f"expected a quoted string, got {raw[:40]!r}", line=line)
    try:
        value: str = json.loads(raw)
    except json.JSONDecodeError:
        # gettext escapes are C escapes; the common ones are JSON's too, the rest are kept as written
        value = raw[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")
    return value


@dataclass
class _PoEntry:
    directives: list[Directive] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


def _po_entries(parsed: ParsedFile, text: str) -> Iterator[_PoEntry]:
    entry = _PoEntry()
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if stripped.startswith("#~"):
                continue  # obsolete entry
            if entry.fields:  # a comment after a complete entry starts the next one
                yield entry
                entry, current = _PoEntry(), None
            if not stripped.startswith(("#.", "#:", "#,", "#|")):
                d = parse_directive(stripped, number)
                if d is not None:
                    parsed.directives.append(d)
                    entry.directives.append(d)
            continue
        m = _PO_KEYWORD.match(stripped)
        if m:
            keyword = m.group(1)
            if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in entry.fields):
                yield entry
                entry = _PoEntry()
            if keyword in entry.fields:
                raise SourceError(f"duplicate {keyword} in one entry", line=number)
            entry.fields[keyword] = [_po_string(m.group(3), number)]
            entry.lines[keyword] = number
            current = keyword
        elif stripped.startswith('"'):
            if current is None:
                raise SourceError("a string continuation line outside any entry", line=number)
            entry.fields[current].append(_po_string(stripped, number))
        else:
            raise SourceError(
                f"unexpected line {stripped[:40]!r} (expected msgid, msgstr, a string or a comment)", line=number
            )
    if entry.fields:
        yield entry


def parse_po(parsed: ParsedFile, text: str, options: Options) -> None:
    for entry in _po_entries(parsed, text):
        if "msgid" not in entry.fields:
            line = min(entry.lines.values())
            raise SourceError("an entry without msgid", line=line)
        msgid = "".join(entry.fields["msgid"])
        if not msgid and "msgctxt" not in entry.fields:
            continue  # the header
        ctxt = "".join(entry.fields.get("msgctxt", []))
        label = msgid if len(msgid) <= 60 else msgid[:57] + "..."
        label = label.replace("\n", "\\n")
        label = f"{ctxt}|{label}" if ctxt else label
        for keyword, parts in entry.fields.items():
            if not keyword.startswith("msgstr"):
                continue
            value = "".join(parts)
            if not value.strip():
                continue
            suffix = keyword[len("msgstr") :]
            parsed.add(
                f"msgid {label!r}{suffix}",
                entry.lines[keyword],
                None,
                value,
                list(entry.directives),
                source_type="po",
            )


PARSERS = {
    "txt": parse_txt,
    "md": parse_md,
    "json": parse_json,
    "yaml": parse_yaml,
    "csv": parse_csv,
    "jsonl": parse_jsonl,
    "po": parse_po,
}
