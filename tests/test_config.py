"""Extending and configuring the scorer without forking: extra lexicons, rule selection, config errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from apology_score import Config, ConfigError, LexiconError, score

EXTRA = """\
family: remedy
language: zh
rules:
  - id: REM-ZH-GIFT
    cue: remedy
    polarity: positive
    message: {en: "Offers a gift box", zh: "赠送礼盒"}
    why: "House rule: our gift box is a concrete remedy."
    phrases: [小礼盒]
    examples:
      fires: ["附上一个小礼盒。"]
      silent: ["您好。"]
"""


def test_an_extra_lexicon_adds_a_rule(tmp_path: Path) -> None:
    path = tmp_path / "house.yaml"
    path.write_text(EXTRA, encoding="utf-8")
    config = Config(extra_lexicons=(path,))
    text = "非常抱歉,附上一个小礼盒。"
    with_rule = score(text, config=config)
    assert "REM-ZH-GIFT" in with_rule.rule_ids
    assert with_rule.dimensions["remedy"].score > score(text).dimensions["remedy"].score
    assert with_rule.ruleset.content_hash != score(text).ruleset.content_hash
    assert with_rule.ruleset.name.endswith("+extra")


def test_an_extra_rule_with_a_builtin_id_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "override.yaml"
    path.write_text(EXTRA.replace("REM-ZH-GIFT", "REM-ZH-CHOICE").replace("cue: remedy", "cue: choice"), "utf-8")
    config = Config(extra_lexicons=(path,))
    r = score("您看是退款还是换货?我们给您寄一个小礼盒。", config=config)
    choice = [f for f in r.dimensions["remedy"].findings if f.rule_id == "REM-ZH-CHOICE"]
    assert [f.text for f in choice] == ["小礼盒"]


def test_an_extra_rule_whose_example_misbehaves_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(EXTRA.replace('fires: ["附上一个小礼盒。"]', 'fires: ["完全无关的句子。"]'), "utf-8")
    with pytest.raises(LexiconError) as info:
        score("抱歉", config=Config(extra_lexicons=(path,)))
    err = info.value
    assert err.rule_id == "REM-ZH-GIFT" and err.field == "examples.fires[0]" and err.file == str(path)
    assert err.line is not None


WORD_CLASS = """\
family: evasion
language: en
rules:
  - id: EVA-EN-HOUSE-FINE
    cue: denial
    polarity: negative
    severity: error
    message: {en: "Insists the thing was spotless", zh: "坚称东西很干净"}
    why: "House rule: 'the <thing> was spotless' contradicts the customer."
    sequences:
      - {elements: [[the, your], "cue:thing", [was spotless, is spotless]], max_gap: 1}
    examples:
      fires: ["The boiler was spotless when we left."]
      silent: ["The boiler is broken, sorry."]
"""


def test_a_sequence_element_can_be_a_word_class_by_cue(tmp_path: Path) -> None:
    """``cue:thing`` stands for every phrase of the service-noun rules: one pattern covers "the boiler / your
    handset / the set-top box … was spotless" without listing the nouns again."""
    path = tmp_path / "house.en.yaml"
    path.write_text(WORD_CLASS, encoding="utf-8")
    config = Config(extra_lexicons=(path,))
    for text in ("The boiler was spotless.", "Your handset is spotless.", "The set-top box was spotless."):
        assert [e.rule_id for e in score(text, config=config).evasions] == ["EVA-EN-HOUSE-FINE"], text
    for text in ("The kitchen floor was spotless.", "The boiler was broken."):  # not a service noun / not "spotless"
        assert "EVA-EN-HOUSE-FINE" not in {e.rule_id for e in score(text, config=config).evasions}, text


def test_ignore_and_select_switch_rules_off() -> None:
    text = "这个不归我们管,您找厂家吧。"
    assert score(text).evasive
    assert not score(text, config=Config(ignore=("EVA-",))).evasive
    only_evasion = score("非常抱歉,马上退款。", config=Config(select=("EVA-", "MRK-")))
    assert only_evasion.dimensions["sincerity"].score == 0
    assert only_evasion.ruleset.content_hash != score("非常抱歉").ruleset.content_hash


def test_config_errors_name_the_key() -> None:
    with pytest.raises(ConfigError, match=r"weights\.remedy"):
        Config.from_mapping({"weights": {"remedy": -1}}, source="pyproject.toml")
    with pytest.raises(ConfigError, match=r"pyproject\.toml"):
        Config.from_mapping({"no_such_key": 1}, source="pyproject.toml")
    with pytest.raises(ConfigError, match="grades"):
        Config.from_mapping({"grades": {"A": 10, "B": 90}})
