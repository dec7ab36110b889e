"""The generated rule reference: it is up to date, complete, and every rule's examples behave as documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from apology_score.docs import code, generate_rules_md, main, md
from apology_score.lexicon import load_ruleset
from apology_score.lexicon.schema import Rule
from apology_score.pipeline.core import fired_rules, get_pipeline

ROOT = Path(__file__).resolve().parents[1]
RULES_MD = ROOT / "docs" / "rules.md"
RULESET = load_ruleset()


def test_rules_md_is_up_to_date() -> None:
    expected = generate_rules_md()
    assert RULES_MD.exists(), "docs/rules.md is missing: run `python -m apology_score.docs`"
    assert RULES_MD.read_text(encoding="utf-8") == expected, (
        "docs/rules.md is out of date with the lexicons: run `python -m apology_score.docs`"
    )


def test_every_rule_is_documented_with_its_fields() -> None:
    text = generate_rules_md()
    for rule in RULESET.rules:
        heading = f"### {rule.id} — "
        assert heading in text, rule.id
        section = text.split(heading, 1)[1].split("\n### ", 1)[0]
        assert f"**severity:** {rule.severity}" in section
        assert f"**Dimension:** {rule.dimension}" in section
        assert md(rule.message.zh) in section
        assert md(rule.why) in section
        for example in (*rule.examples.fires, *rule.examples.silent):
            assert code(example) in section, (rule.id, example)
        assert f"](#{rule.id.lower()})" in text  # linked from the contents table


def test_check_mode_detects_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "rules.md"
    assert main(["--check", "-o", str(out)]) == 1  # missing
    assert main(["-o", str(out)]) == 0
    assert main(["--check", "-o", str(out)]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace("Explicit apology", "Apology"), encoding="utf-8")
    assert main(["--check", "-o", str(out)]) == 1
    assert "out of date" in capsys.readouterr().err


def test_extra_lexicons_are_documented(tmp_path: Path) -> None:
    extra = tmp_path / "custom.en.yaml"
    extra.write_text(
        "family: remedy\nlanguage: en\nrules:\n"
        "  - id: REM-EN-VOUCHER\n    cue: remedy\n    polarity: positive\n"
        "    message: {en: 'Offers a voucher', zh: '提供代金券'}\n    why: 'A concrete remedy.'\n"
        "    phrases: [gift voucher]\n"
        "    examples: {fires: ['Here is a gift voucher.'], silent: ['Hello.']}\n",
        encoding="utf-8",
    )
    out = tmp_path / "rules.md"
    assert main(["--lexicons", str(extra), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "### REM-EN-VOUCHER — Offers a voucher" in text
    assert f"**Defined in:** `{extra}:4`" in text  # extra files are named by their path and line


def test_invalid_extra_lexicon_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("family: remedy\nlanguage: en\nrules:\n  - id: nope\n", encoding="utf-8")
    assert main(["--lexicons", str(bad), "-o", str(tmp_path / "x.md")]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err


def test_markdown_escaping() -> None:
    assert md("a|b *c* <script>") == "a\\|b \\*c\\* \\<script\\>"
    assert code("plain") == "`plain`"
    assert code("has `tick`") == "`` has `tick` ``"


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.id)
def test_rule_examples_behave_as_documented(rule: Rule) -> None:
    pipeline = get_pipeline()
    wrong = []
    for example in rule.examples.fires:
        if rule.id not in fired_rules(pipeline.analyze(example, rule.examples.context)):
            wrong.append(f"does not fire on {example!r} (listed under fires)")
    for example in rule.examples.silent:
        if rule.id in fired_rules(pipeline.analyze(example, rule.examples.context)):
            wrong.append(f"fires on {example!r} (listed under silent)")
    assert not wrong, f"{rule.id} ({RULESET.origin[rule.id][0]}): " + "; ".join(wrong)
