"""Template discovery and parsing per source type: what a template is, its location, line and column."""

from __future__ import annotations

import json
from json.decoder import scanstring
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apology_score.cli.sources import Options, _JNode, _json_value, discover, key_path, parse_file

LIB = Path(__file__).parent / "fixtures" / "templates" / "library"


def templates(path: Path, options: Options | None = None) -> list[tuple[str, int | None, int | None, str]]:
    parsed = parse_file(path, options or Options())
    assert not parsed.errors, parsed.errors
    return [(t.location, t.line, t.column, t.text) for t in parsed.templates]


def test_txt_blocks_split_on_blank_lines_and_dashes() -> None:
    got = templates(LIB / "replies.txt")
    assert [(loc, line) for loc, line, _, _ in got] == [("block 1", 1), ("block 2", 3), ("block 3", 6)]
    assert got[1][3] == "Sorry for any inconvenience."


def test_txt_multi_line_block_and_directives(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_text("  first line\n  second line\n\n# apology-score: ignore[EVA-]\nthird\n---\nfourth\n", encoding="utf-8")
    parsed = parse_file(p)
    first, third, fourth = parsed.templates
    assert first.text == "first line\n  second line" and (first.line, first.column) == (1, 3) and first.verbatim
    assert third.text == "third" and third.line == 5 and [d.rule_ids for d in third.directives] == [("EVA-",)]
    assert fourth.directives == [] and fourth.line == 7


def test_md_sections_split_on_headings_and_breaks_and_keep_paragraphs() -> None:
    parsed = parse_file(LIB / "faq.md")
    got = [(t.location, t.line) for t in parsed.templates]
    assert got == [("Late delivery", 5), ("Generic", 10), ("block 3", 15), ("Stale suppression", 20)]
    late = parsed.templates[0]
    assert late.text.count("\n") == 1  # two lines, one template
    assert [d.line for d in parsed.templates[2].directives] == [14]
    assert parsed.templates[2].verbatim  # the comment sits before the block, not inside it


def test_md_front_matter_comments_and_fences(tmp_path: Path) -> None:
    p = tmp_path / "t.md"
    p.write_text(
        "---\ntitle: x\n---\n# A\n<!-- a note\nover lines -->\nHello there.\n\n```\n# not a heading\n```\n",
        encoding="utf-8",
    )
    parsed = parse_file(p)
    assert len(parsed.templates) == 1
    t = parsed.templates[0]
    assert t.location == "A" and t.line == 7
    assert "# not a heading" in t.text and "title" not in t.text


def test_json_key_paths_lines_columns_and_sibling_suppression() -> None:
    parsed = parse_file(LIB / "messages.json")
    got = {t.location: (t.line, t.column) for t in parsed.templates}
    assert got == {
        "refund.good": (3, 13),
        "refund.generic": (4, 16),
        "shipping.courier": (8, 16),
        "escalation[0]": (10, 18),
    }
    courier = next(t for t in parsed.templates if t.location == "shipping.courier")
    assert [d.rule_ids for d in courier.directives] == [("EVA-ZH-BLAME-OTHERS",)]
    assert [d.line for d in parsed.directives] == [7]


def test_json_parse_error_has_line_and_column(tmp_path: Path) -> None:
    p = tmp_path / "bad.json"
    p.write_text('{\n  "a": "x",\n  "b": \n}\n', encoding="utf-8")
    parsed = parse_file(p)
    assert parsed.templates == []
    (error,) = parsed.errors
    assert (error.line, error.column, error.kind) == (4, 1, "parse")


def test_yaml_key_paths_and_comment_suppression() -> None:
    parsed = parse_file(LIB / "messages.yaml")
    got = {t.location: (t.line, [i for d in t.directives for i in d.rule_ids]) for t in parsed.templates}
    assert got == {
        "delivery.late": (3, []),
        "delivery.generic": (4, []),
        "delivery.denial": (6, ["EVA-EN-DENY"]),
        "complaints[0]": (10, []),
        "complaints[1]": (11, ["EVA-ZH-DENY", "EVA-ZH-BLAME-OTHERS", "EVA-ZH-INTERRUPT"]),
    }
    denial = next(t for t in parsed.templates if t.location == "delivery.denial")
    assert denial.text.startswith("Sorry, this is not our fault.") and "\n" not in denial.text


def test_yaml_comment_before_a_key_covers_its_children(tmp_path: Path) -> None:
    p = tmp_path / "t.yaml"
    p.write_text("# apology-score: ignore[EVA-]\nrefunds:\n  a: one\n  b: [two]\nother: three\n", encoding="utf-8")
    parsed = parse_file(p)
    covered = {t.location: bool(t.directives) for t in parsed.templates}
    assert covered == {"refunds.a": True, "refunds.b[0]": True, "other": False}


def test_yaml_error_position(tmp_path: Path) -> None:
    p = tmp_path / "t.yaml"
    p.write_text("a: x\nb: [unclosed\n", encoding="utf-8")
    (error,) = parse_file(p).errors
    assert error.kind == "parse" and error.line == 3


def test_csv_named_column_and_suppression_column() -> None:
    parsed = parse_file(LIB / "replies.csv")
    got = [(t.location, t.line) for t in parsed.templates]
    assert got == [("id good-1", 2), ("id generic-1", 3), ("id evasive-1", 4), ("id evasive-2", 5)]
    assert [d.rule_ids for d in parsed.templates[3].directives] == [("EVA-EN-",)]


def test_csv_missing_column_names_the_columns(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text("id,reply\n1,Sorry\n", encoding="utf-8")
    (error,) = parse_file(p).errors
    assert error.line == 1 and "no column 'text'" in error.message and "id, reply" in error.message
    assert [t.text for t in parse_file(p, Options(column="reply")).templates] == ["Sorry"]


def test_jsonl_objects_strings_and_bad_lines() -> None:
    parsed = parse_file(LIB / "replies.jsonl")
    assert [(t.location, t.line) for t in parsed.templates] == [
        ("id j-good", 1),
        ("id j-generic", 2),
        ("id j-evasive", 3),
        ("line 5", 5),
    ]
    assert [(e.line, e.kind) for e in parsed.errors] == [(4, "parse")]


def test_po_msgstr_with_context_plural_and_continuations(tmp_path: Path) -> None:
    parsed = parse_file(LIB / "messages.po")
    got = [(t.location, t.line, t.text) for t in parsed.templates]
    assert [g[:2] for g in got] == [
        ("msgid 'Your refund is done.'", 9),
        ("msgid 'fallback|Sorry for the inconvenience.'", 13),
        ("msgid 'Please calm down.'", 17),
        ("msgid 'Not our problem.'", 22),
    ]
    assert got[2][2] == "亲,您先别激动,听我说。"
    p = tmp_path / "p.po"
    p.write_text(
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "一个"\nmsgstr[1] "很多"\n#~ msgid "old"\n', encoding="utf-8"
    )
    assert [(t.location, t.line) for t in parse_file(p).templates] == [("msgid 'one'[0]", 3), ("msgid 'one'[1]", 4)]
    p.write_text('msgid "x"\nmsgstr "y"\nbogus line\n', encoding="utf-8")
    (error,) = parse_file(p).errors
    assert error.line == 3 and "unexpected line" in error.message


def test_undecodable_file_reports_line_and_column() -> None:
    parsed = parse_file(LIB / "legacy-latin1.txt")
    (error,) = parsed.errors
    assert (error.kind, error.line, error.column) == ("decode", 3, 14)
    assert "e9" in error.message


def test_bom_and_utf16_are_accepted(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_bytes("\ufeff非常抱歉".encode())
    assert [t.text for t in parse_file(p).templates] == ["非常抱歉"]
    p.write_bytes("非常抱歉".encode("utf-16"))
    assert [t.text for t in parse_file(p).templates] == ["非常抱歉"]


def test_discover_walks_sorted_skips_hidden_tooling_and_reports_bad_paths(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "b" / "z.yaml").write_text("a: b\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "notes.rst").write_text("x\n", encoding="utf-8")
    (tmp_path / "node_modules" / "x.json").write_text("{}", encoding="utf-8")
    files, errors = discover([str(tmp_path), str(tmp_path / "missing.txt"), str(tmp_path / "notes.rst")])
    assert [f.name for f in files] == ["a.txt", "z.yaml"]
    assert [e.message.split(";")[0] for e in errors] == ["no such file or directory", "unsupported file type '.rst'"]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["a", "b", 0], "a.b[0]"),
        (["a.b", "c d"], '["a.b"]["c d"]'),
        ([], "(root)"),
        (["退款", "已处理"], "退款.已处理"),
    ],
)
def test_key_path(parts: list[str | int], expected: str) -> None:
    assert key_path(parts) == expected


def test_keys_option_selects_leaves(tmp_path: Path) -> None:
    p = tmp_path / "t.json"
    p.write_text('[{"id": "a1", "lang": "zh", "text": "非常抱歉"}]', encoding="utf-8")
    assert [t.location for t in parse_file(p).templates] == ["[0].id", "[0].lang", "[0].text"]
    assert [t.location for t in parse_file(p, Options(keys=("text",))).templates] == ["[0].text"]



def _plain(node: _JNode, text: str) -> object:
    """The Python value a located node stands for (objects and arrays told apart by their opening bracket)."""
    if node.children is None:
        return node.value
    if text[node.offset] == "[":
        return [_plain(child, text) for _, _, child in node.children]
    return {key: _plain(child, text) for key, _, child in node.children}


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@given(value=_JSON, indent=st.sampled_from([None, 2]))
def test_the_located_json_parser_reads_what_json_reads(value: object, indent: int | None) -> None:
    """The position-keeping JSON reader behind file:line:col locations agrees with json.loads, and every key's
    offset points at that key."""
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    node, end = _json_value(text, 0)
    assert _plain(node, text) == json.loads(text, parse_int=float)
    assert text[end:].strip() == ""
    stack = [node]
    while stack:
        current = stack.pop()
        for key, at, child in current.children or []:
            if isinstance(key, str):
                assert text[at] == '"' and scanstring(text, at + 1, True)[0] == key
            stack.append(child)
