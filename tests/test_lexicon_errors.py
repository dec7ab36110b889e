"""Every malformed lexicon or configuration raises LexiconError / ConfigError (both ApologyScoreError)
naming the file, the line where the parser knows it, the rule id and the field (or the config key); data
files are parsed with safe loaders only, so a YAML tag can never construct an object or run code."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from apology_score import ApologyScoreError, Config, ConfigError, LexiconError, score
from apology_score.lexicon import load_ruleset
from apology_score.pipeline.core import get_pipeline

GOOD_RULE = """\
  - id: SIN-EN-TESTGOOD
    cue: apology
    polarity: positive
    message: {en: "a test apology", zh: "测试道歉"}
    why: "a test rule"
    phrases: [frobnicate sorry]
    examples:
      fires: ["We frobnicate sorry."]
      silent: ["Hello there."]
"""
HEADER = "family: sincerity\nlanguage: en\nrules:\n"


def write(tmp_path: Path, body: str, name: str = "test.en.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the lexicon text")


def load_error(path: Path) -> LexiconError:
    with pytest.raises(LexiconError) as info:
        load_ruleset([path])
    err = info.value
    assert isinstance(err, ApologyScoreError)
    assert err.file == str(path)
    assert str(path) in str(err)
    return err


def assert_names(err: LexiconError, *, line: int | None, rule_id: str | None, field: str | None) -> None:
    assert (err.line, err.rule_id, err.field) == (line, rule_id, field), (err.line, err.rule_id, err.field, err)
    message = str(err)
    if line is not None:
        assert f":{line}" in message
    if rule_id is not None:
        assert rule_id in message
    if field is not None:
        assert field in message


def test_a_good_extra_lexicon_loads(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + GOOD_RULE)
    ruleset = load_ruleset([path])
    assert ruleset.origin["SIN-EN-TESTGOOD"] == (str(path), 4, "en")


# --- wrong types and shapes ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "needle", "field"),
    [
        ("phrases: [frobnicate sorry]", 'phrases: "frobnicate sorry"', "phrases:", "phrases"),
        ("polarity: positive", "polarity: [positive]", "polarity:", "polarity"),
        ("polarity: positive", "polarity: sideways", "polarity:", "polarity"),
        ("cue: apology", "cue: groveling", "cue:", "cue"),
        ("polarity: positive", "polarity: positive\n    weight: lots", "weight:", "weight"),
        ("polarity: positive", "polarity: positive\n    weight: 1000", "weight:", "weight"),
        ('message: {en: "a test apology", zh: "测试道歉"}', 'message: "a test apology"', "message:", "message"),
        ('message: {en: "a test apology", zh: "测试道歉"}', 'message: {en: "a test apology"}', "message:",
         "message.zh"),
        ("phrases: [frobnicate sorry]", "phrases: [frobnicate sorry, [nested]]", "phrases:", "phrases.1"),
        ("phrases: [frobnicate sorry]", 'phrases: [""]', "phrases:", "phrases.0"),
        ("phrases: [frobnicate sorry]", "entities: ['@nonsense']", "entities:", "entities"),
        ("phrases: [frobnicate sorry]", "sequences: [{elements: [[a], '@bogus']}]", "sequences:",
         "sequences.0.elements"),
        ("phrases: [frobnicate sorry]", "sequences: [{elements: [[a], 'cue:nonsense']}]", "sequences:",
         "sequences.0.elements"),
        ("phrases: [frobnicate sorry]", "sequences: [{elements: [[a], '@echo']}]", "sequences:",
         "sequences.0.elements"),
        ("phrases: [frobnicate sorry]", "sequences: [{elements: [[a], [b]], max_gap: 99}]", "sequences:",
         "sequences.0.max_gap"),
        ("phrases: [frobnicate sorry]", "sequences: [{elements: [[a], [b]], within: paragraph}]", "sequences:",
         "sequences.0.within"),
        ("phrases: [frobnicate sorry]", "why2: x", "why2:", "why2"),  # no phrases and an unknown field
        ("    polarity: positive\n", "    polarity: positive\n    regex: '(a+)+$'\n", "regex:", "regex"),
        ("    polarity: positive\n", "    polarity: positive\n    negatable: perhaps\n", "negatable:",
         "negatable"),
    ],
)
def test_a_bad_rule_field_names_file_line_rule_and_field(
    tmp_path: Path, old: str, new: str, needle: str, field: str
) -> None:
    assert old in GOOD_RULE
    text = HEADER + GOOD_RULE.replace(old, new, 1)
    err = load_error(write(tmp_path, text))
    assert err.rule_id == "SIN-EN-TESTGOOD", err
    assert err.field == field, err
    assert err.line == line_of(text, needle), err
    assert "SIN-EN-TESTGOOD" in str(err) and repr(field) in str(err)


def test_a_bad_rule_id_is_named(tmp_path: Path) -> None:
    text = HEADER + GOOD_RULE.replace("SIN-EN-TESTGOOD", "sincerity test")
    err = load_error(write(tmp_path, text))
    assert_names(err, line=4, rule_id="sincerity test", field="id")
    assert "DIM-LANG-NAME" in str(err)


def test_a_rule_without_an_id_is_named_by_position(tmp_path: Path) -> None:
    text = HEADER + GOOD_RULE + GOOD_RULE.replace("  - id: SIN-EN-TESTGOOD\n    cue", "  - cue")
    err = load_error(write(tmp_path, text))
    assert err.rule_id == "#2" and err.field == "id"
    assert err.line == line_of(text, "  - cue")


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        ("- just\n- a list\n", 1, None),
        ("family: sincerity\nlanguage: fr\nrules: []\n", 2, "language"),
        ("family: sincerity\nlanguage: en\nrules: []\n", 3, "rules"),
        ("family: sincerity\nlanguage: en\nrules: {a: 1}\n", 3, "rules"),
        ("family: sincerity\nlanguage: en\nauthor: me\nrules:\n" + GOOD_RULE, 3, "author"),
        ("language: en\nrules:\n" + GOOD_RULE, 1, "family"),
        ("", 1, None),
    ],
)
def test_a_bad_file_shape_is_named(tmp_path: Path, text: str, line: int, field: str | None) -> None:
    err = load_error(write(tmp_path, text))
    assert err.line == line, err
    assert err.field == field, err
    assert err.rule_id is None


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    text = HEADER + GOOD_RULE.replace("phrases: [frobnicate sorry]", "phrases: [frobnicate sorry")
    err = load_error(write(tmp_path, text))
    assert "invalid YAML" in str(err)
    assert err.line is not None and err.line >= line_of(text, "phrases:")


# --- duplicates and examples ---------------------------------------------------------------------------------
def test_a_duplicate_rule_id_in_one_file(tmp_path: Path) -> None:
    text = HEADER + GOOD_RULE + GOOD_RULE
    err = load_error(write(tmp_path, text))
    assert_names(err, line=4 + GOOD_RULE.count("\n"), rule_id="SIN-EN-TESTGOOD", field="id")
    assert "duplicate" in str(err)


def test_a_duplicate_rule_id_across_extra_files(tmp_path: Path) -> None:
    write(tmp_path, HEADER + GOOD_RULE, "a.en.yaml")
    write(tmp_path, HEADER + GOOD_RULE, "b.en.yaml")
    with pytest.raises(LexiconError) as info:
        load_ruleset([tmp_path])
    err = info.value
    assert err.file == str(tmp_path / "b.en.yaml")
    assert err.rule_id == "SIN-EN-TESTGOOD" and err.field == "id" and err.line == 4
    assert "a.en.yaml" in str(err)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("    examples:\n      fires: [\"We frobnicate sorry.\"]\n      silent: [\"Hello there.\"]\n", "",
         "examples"),
        ('      fires: ["We frobnicate sorry."]\n', "", "examples.fires"),
        ('      fires: ["We frobnicate sorry."]', "      fires: []", "examples.fires"),
        ('      silent: ["Hello there."]', "      silent: []", "examples.silent"),
        ('      silent: ["Hello there."]', '      silent: ["Hello there."]\n      maybe: ["x"]',
         "examples.maybe"),
    ],
)
def test_missing_examples(tmp_path: Path, old: str, new: str, field: str) -> None:
    assert old in GOOD_RULE
    err = load_error(write(tmp_path, HEADER + GOOD_RULE.replace(old, new)))
    assert err.rule_id == "SIN-EN-TESTGOOD"
    assert err.field == field, err
    assert err.line is not None


@pytest.mark.parametrize(
    ("old", "new", "field", "verb"),
    [
        ('fires: ["We frobnicate sorry."]', 'fires: ["We frobnicate sorry.", "Nothing here."]',
         "examples.fires[1]", "does not fire"),
        ('silent: ["Hello there."]', 'silent: ["Hello there.", "frobnicate sorry!"]', "examples.silent[1]",
         "fires"),
    ],
)
def test_an_example_that_does_not_behave_as_declared(
    tmp_path: Path, old: str, new: str, field: str, verb: str
) -> None:
    path = write(tmp_path, HEADER + GOOD_RULE.replace(old, new))
    load_ruleset([path])  # the schema is fine: the examples are checked when the pipeline is built
    config = Config(extra_lexicons=(path,))
    for attempt in (lambda: get_pipeline(config), lambda: score("sorry", config=config)):
        with pytest.raises(LexiconError) as info:
            attempt()
        err = info.value
        assert_names(err, line=4, rule_id="SIN-EN-TESTGOOD", field=field)
        assert err.file == str(path)
        assert verb in str(err)


# --- files that cannot be read ------------------------------------------------------------------------------
def test_a_missing_file(tmp_path: Path) -> None:
    load_error(tmp_path / "nowhere.en.yaml")


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, HEADER + GOOD_RULE)
    path.chmod(0)
    if os.access(path, os.R_OK):  # running as root: permissions do not apply, simulate the OS error
        real = Path.read_bytes

        def denied(self: Path) -> bytes:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", denied)
    try:
        err = load_error(path)
        assert "cannot read" in str(err) and "Permission denied" in str(err)
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("latin-1", b""), ("utf-16", b""), ("utf-16-le", b"\xff\xfe"), ("gbk", b""), ("utf-32", b"")],
)
def test_a_file_in_the_wrong_encoding(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = HEADER + GOOD_RULE
    if encoding == "latin-1":  # latin-1 cannot encode Chinese: an accented letter is enough
        text = text.replace("测试道歉", "apologý")
    path = tmp_path / "enc.en.yaml"
    path.write_bytes(bom + text.encode(encoding))
    err = load_error(path)
    assert "UTF-8" in str(err)
    assert err.line is not None
    if encoding in ("latin-1", "gbk"):
        assert err.line == line_of(text, "message:")


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.en.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + GOOD_RULE).encode("utf-8"))
    assert "SIN-EN-TESTGOOD" in {r.id for r in load_ruleset([path]).rules}


# --- safe parsing ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/object:subprocess.Popen {{args: ['touch', '{marker}']}}",
        "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    ],
)
def test_yaml_object_tags_are_rejected_without_running_anything(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    value = tag.format(marker=marker)
    text = HEADER + GOOD_RULE.replace('why: "a test rule"', f"why: {value}")
    err = load_error(write(tmp_path, text))
    assert not marker.exists()
    assert err.line == line_of(text, "why:")
    assert "invalid YAML" in str(err)


def test_a_yaml_alias_bomb_is_rejected_quickly(tmp_path: Path) -> None:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    bomb = "family: sincerity\nlanguage: en\nbombs:\n" + "".join(f"  {lv}\n" for lv in levels)
    text = bomb + "rules:\n" + GOOD_RULE.replace("phrases: [frobnicate sorry]", "phrases: *i")
    started = time.perf_counter()
    err = load_error(write(tmp_path, text))
    assert time.perf_counter() - started < 10
    assert err.line is not None


# --- configuration ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mapping", "key"),
    [
        ({"max_length": 0}, "max_length"),
        ({"max_length": "long"}, "max_length"),
        ({"weights": {"remedy": -1}}, "weights.remedy"),
        ({"weights": {"remedy": "x"}}, "weights.remedy"),
        ({"weights": {"kindness": 1}}, "weights.kindness"),
        ({"weights": {"timeliness": 0, "sincerity": 0, "specificity": 0, "remedy": 0}}, "weights"),
        ({"grades": {"A": 50, "B": 70}}, "grades"),
        ({"grades": {"A": 150}}, "grades.A"),
        ({"segmenter": "pkuseg"}, "segmenter"),
        ({"evasion_penalty": -5}, "evasion_penalty"),
        ({"select": ["not a rule!"]}, "select"),
        ({"ignore": "EVA-"}, "ignore"),
        ({"extra_lexicons": 5}, "extra_lexicons"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_config_value_names_the_key(mapping: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as info:
        Config.from_mapping(mapping, source="settings.toml")
    err = info.value
    assert isinstance(err, ApologyScoreError)
    assert err.key == key, err
    assert err.file == "settings.toml"
    assert repr(key) in str(err) and "settings.toml" in str(err)


def test_a_config_naming_a_missing_lexicon(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(LexiconError) as info:
        score("sorry", config=Config(extra_lexicons=(missing,)))
    assert info.value.file == str(missing)


def test_select_that_switches_off_every_rule() -> None:
    with pytest.raises(LexiconError, match="select/ignore"):
        score("sorry", config=Config(select=("ZZZ-",)))


def test_the_cli_config_file_errors_name_file_and_key(tmp_path: Path) -> None:
    from apology_score.cli.settings import load_config

    path = tmp_path / ".apology-score.toml"
    path.write_text('max-length = "long"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.key is not None and "max" in info.value.key
    assert str(path.name) in str(info.value)
    path.write_bytes('max-length = 5\n# caf\xe9\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(path)
    path.write_text("max-length = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML"):
        load_config(path)


def test_the_exception_hierarchy() -> None:
    from apology_score import InputError

    for cls in (InputError, LexiconError, ConfigError):
        assert issubclass(cls, ApologyScoreError)
    assert issubclass(InputError, ValueError)
    assert not issubclass(TypeError, ApologyScoreError)
