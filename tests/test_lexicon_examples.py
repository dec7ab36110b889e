"""Every rule's documented examples are executable: ``fires`` must fire the rule, ``silent`` must not.

These are the same examples ``apology-score rule ID`` and docs/rules.md show, so the docs cannot rot.
"""

from __future__ import annotations

import pytest

from apology_score.lexicon import load_ruleset
from apology_score.pipeline.core import fired_rules, get_pipeline

RULES = load_ruleset().rules


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule: object) -> None:
    from apology_score.lexicon.schema import Rule

    assert isinstance(rule, Rule)
    pipeline = get_pipeline()
    context = rule.examples.context
    for example in rule.examples.fires:
        assert rule.id in fired_rules(pipeline.analyze(example, context)), f"{rule.id} should fire on {example!r}"
    for example in rule.examples.silent:
        assert rule.id not in fired_rules(pipeline.analyze(example, context)), f"{rule.id} fires on {example!r}"


def test_the_lexicons_are_substantial() -> None:
    phrases = sum(len(r.phrases) for r in RULES)
    sequences = sum(len(r.sequences) for r in RULES)
    assert len(RULES) >= 60
    assert phrases >= 1500, phrases
    assert sequences >= 10
    families = {r.dimension for r in RULES}
    assert {"timeliness", "sincerity", "specificity", "remedy", "evasion", "marker"} <= families


def test_rule_ids_name_their_dimension() -> None:
    prefix = {"timeliness": "TIM", "sincerity": "SIN", "specificity": "SPC", "remedy": "REM", "evasion": "EVA",
              "marker": "MRK"}
    for rule in RULES:
        assert rule.id.startswith(prefix[rule.dimension] + "-"), rule.id
