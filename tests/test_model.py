"""The statistical evasion rules (EVA-ZH-MODEL, EVA-EN-MODEL): a fallback behind the phrase rules that users can
switch off, explain and trust. Its weights file is data: validated when loaded (errors name the lexicon file,
the rule and the field), hashed into the ruleset, and kept in step with the data it was trained on."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apology_score import Config, LexiconError, score
from apology_score.lexicon import load_ruleset
from apology_score.pipeline.core import get_pipeline
from apology_score.pipeline.model import LinearModel, features, judge
from apology_score.pipeline.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
MODEL_FILE = ROOT / "lexicons" / "models" / "evasion.json"
GOLD = ROOT / "benchmarks" / "gold" / "gold.jsonl"
EXTRA = ROOT / "benchmarks" / "gold" / "evasion_train.jsonl"

#: Evasive replies no phrase rule names: only the model reads them.
UNLISTED_ZH = "这个我们也是第一次听说,之前卖出去那么多台都好好的。"
UNLISTED_EN = "It's not like we didn't tell you the fee upfront."


def shipped() -> LinearModel:
    return LinearModel.model_validate(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


# --- what users see ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "rule_id"), [(UNLISTED_ZH, "EVA-ZH-MODEL"), (UNLISTED_EN, "EVA-EN-MODEL")])
def test_the_model_names_the_sentence_and_its_strongest_cues(text: str, rule_id: str) -> None:
    report = score(text)
    assert [e.rule_id for e in report.evasions] == [rule_id]
    finding = report.evasions[0]
    assert text[finding.start : finding.end] == finding.text
    assert finding.text == text.rstrip("。.")  # the sentence that weighs most, without its full stop
    assert finding.note is not None and finding.note.startswith("model probability ")
    assert "strongest cues in this sentence:" in finding.note
    assert finding.severity == "warning"
    # it costs the overall what any first evasion costs (a note explains it; it does not waive it)
    assert finding.contribution == report.overall_breakdown.evasion_penalty == -Config().evasion_penalty
    assert report.ruleset.content_hash  # the weights are part of what the report says it used


def test_it_is_a_fallback_behind_phrase_rules() -> None:
    # a phrase rule names the evasion: the model adds no second finding and no second penalty
    report = score("快递那边的事我们管不了的,您问快递吧。")
    assert report.evasions and all(not e.rule_id.endswith("-MODEL") for e in report.evasions)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("这个我们也是第一次听说,之前卖出去那么多台都好好的,不过这次确实是我们的失误。", "owns the fault"),
        ("It is not like we did not tell you, but this one is our mistake.", "owns the fault"),
        ("是您自己操作的吗?", "conditional, a question or negated"),  # a polite check, not blame
        ("并不是您家线路单独出的问题。", "conditional, a question or negated"),  # blame denied, not made
        ("亲亲 是您自己下单的吗", "is a question (a check, not a claim)"),
    ],
)
def test_the_rules_overrule_it_where_they_read_scope(text: str, reason: str) -> None:
    report = score(text)
    assert report.evasions == []
    assert any("-MODEL not counted" in n and reason in n for n in report.notes), report.notes


@pytest.mark.parametrize("text", ["不是您的错,是我们的失误。", "Not your fault at all, it was our mistake."])
def test_negation_scope_holds_with_the_model(text: str) -> None:
    """Pitfall 3: "not your fault" is no blame, for the model as for the rules."""
    assert score(text).evasions == []


def test_it_can_be_switched_off_by_id_or_language_prefix() -> None:
    for ignore in (("EVA-ZH-MODEL",), ("EVA-ZH-",), ("EVA-",)):
        assert score(UNLISTED_ZH, config=Config(ignore=ignore)).evasions == []
    assert score(UNLISTED_ZH, config=Config(ignore=("EVA-EN-MODEL",))).evasions  # the other language's rule
    default, off = score(UNLISTED_EN), score(UNLISTED_EN, config=Config(ignore=("EVA-EN-MODEL",)))
    assert default.ruleset.content_hash != off.ruleset.content_hash


def test_quoted_customer_speech_is_not_read() -> None:
    """Pitfall 4: words inside the customer's quoted speech are not the agent's."""
    pipeline = get_pipeline()
    model = next(m for i, m in pipeline.lex.models if pipeline.lex.rules[i].id == "EVA-ZH-MODEL")
    text = "您转述的话是“" + UNLISTED_ZH.rstrip("。") + "”。"
    doc = pipeline.analyze(text)
    assert any(doc.quoted)
    unquoted = judge(model, doc.text, doc.sentences, bytearray(len(doc.text)))
    read = judge(model, doc.text, doc.sentences, doc.quoted)
    assert unquoted.probability >= model.threshold > read.probability
    assert not any(e.rule_id.endswith("-MODEL") for e in score(text).evasions)


def test_one_language_per_rule() -> None:
    assert [e.rule_id for e in score(UNLISTED_EN).evasions] == ["EVA-EN-MODEL"]
    assert [e.rule_id for e in score(UNLISTED_ZH).evasions] == ["EVA-ZH-MODEL"]


# --- the numbers ---------------------------------------------------------------------------------------------


def test_probability_is_the_logistic_of_bias_plus_present_weights() -> None:
    model = LinearModel(
        format="apology-score/linear-ngram-1", description="test", threshold=0.5, bias=-1.0,
        weights={"w:not": 2.0, "h:都是": 0.5, "b:<s>_it's": 0.25},
    )
    feats = features(normalize("It's NOT ok, 都是 fine").text)
    assert {"w:not", "h:都是", "b:<s>_it's"} <= feats
    assert model.probability(feats) == pytest.approx(1 / (1 + math.exp(-(-1.0 + 2.0 + 0.5 + 0.25))))
    assert model.probability(set()) == pytest.approx(1 / (1 + math.e))


@given(st.text(max_size=80))
def test_features_do_not_depend_on_width_or_case(text: str) -> None:
    """Features are computed on the normalized text, so full-width, case and Traditional forms read the same."""
    assert features(normalize(text).text) == features(normalize(normalize(text).text).text)


def test_full_width_case_and_traditional_variants_get_the_same_verdict() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in UNLISTED_EN)
    assert full_width != UNLISTED_EN
    variants = [UNLISTED_EN, UNLISTED_EN.upper(), full_width]
    assert {tuple(e.rule_id for e in score(v).evasions) for v in variants} == {("EVA-EN-MODEL",)}
    traditional = "這個我們也是第一次聽說,之前賣出去那麼多台都好好的。"
    assert [e.rule_id for e in score(traditional).evasions] == ["EVA-ZH-MODEL"]


# --- the weights file is data, kept in step with its training data -----------------------------------------------


def test_the_shipped_weights_name_the_data_they_were_trained_on() -> None:
    """Retrain (``python benchmarks/train_evasion_model.py``) whenever the gold set or the extra replies change."""
    training = shipped().training
    for entry in training["data"]:
        path = ROOT / entry["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], f"{entry['file']} changed: retrain"
    gold_tune = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    extra = [json.loads(line) for line in EXTRA.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in gold_tune if r["split"] == "tune"]
    assert training["rows"] == len(rows) + len(extra)
    assert training["evasive"] == sum(r["labels"]["evasive"] for r in rows) + sum(r["evasive"] for r in extra)


def test_extra_training_replies_are_well_formed_and_never_test_items() -> None:
    test_texts = {
        normalize(r["text"]).text.strip()
        for r in map(json.loads, GOLD.read_text(encoding="utf-8").splitlines())
        if r["split"] == "test"
    }
    ids = set()
    for number, line in enumerate(EXTRA.read_text(encoding="utf-8").splitlines(), 1):
        rec = json.loads(line)
        assert set(rec) == {"id", "text", "lang", "evasive", "kind"}, f"line {number}"
        assert rec["id"].startswith("ann") and rec["id"] not in ids, f"line {number}: id {rec['id']!r}"
        ids.add(rec["id"])
        assert isinstance(rec["evasive"], bool) and rec["lang"] in ("zh", "en", "mixed") and rec["text"].strip()
        assert normalize(rec["text"]).text.strip() not in test_texts, f"line {number} repeats a test item"


# --- bad weights files -------------------------------------------------------------------------------------------

RULE = """\
family: evasion
language: en
rules:
  - id: EVA-EN-MYMODEL
    cue: model
    polarity: negative
    message: {en: "m", zh: "m"}
    why: "a test model"
    model: weights.json
    examples:
      fires: ["nope nope nope"]
      silent: ["Thanks!"]
"""


def good_weights() -> dict[str, object]:
    return {"format": "apology-score/linear-ngram-1", "description": "test", "threshold": 0.5, "bias": -2.0,
            "weights": {"w:nope": 3.0}}


def load_error(tmp_path: Path, weights: object | None, rule: str = RULE) -> LexiconError:
    lexicon = tmp_path / "mine.en.yaml"
    lexicon.write_text(rule, encoding="utf-8")
    if weights is not None:
        (tmp_path / "weights.json").write_text(
            weights if isinstance(weights, str) else json.dumps(weights), encoding="utf-8"
        )
    with pytest.raises(LexiconError) as info:
        load_ruleset([lexicon])
    err = info.value
    assert err.file == str(lexicon) and err.rule_id == "EVA-EN-MYMODEL" and err.field == "model", err
    return err


def test_a_user_model_rule_needs_no_python(tmp_path: Path) -> None:
    (tmp_path / "weights.json").write_text(json.dumps(good_weights()), encoding="utf-8")
    (tmp_path / "mine.en.yaml").write_text(RULE, encoding="utf-8")
    config = Config(extra_lexicons=(tmp_path / "mine.en.yaml",), select=("EVA-EN-MYMODEL",))
    assert [e.rule_id for e in score("nope nope nope", config=config).evasions] == ["EVA-EN-MYMODEL"]
    assert score("Thanks!", config=config).evasions == []


@pytest.mark.parametrize(
    ("weights", "says"),
    [
        (None, "cannot read the model file"),
        ("{not json", "not valid UTF-8 JSON"),
        ({**good_weights(), "threshold": 1.5}, "field 'threshold'"),
        ({k: v for k, v in good_weights().items() if k != "bias"}, "field 'bias'"),
        ({**good_weights(), "weights": {"w:nope": "heavy"}}, "field 'weights.w:nope'"),
        ({**good_weights(), "format": "pickle"}, "field 'format'"),
    ],
)
def test_a_bad_weights_file_is_named_with_its_field(tmp_path: Path, weights: object, says: str) -> None:
    err = load_error(tmp_path, weights)
    assert says in str(err) and "weights.json" in str(err)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("    model: weights.json\n", "    model: weights.json\n    phrases: [nope]\n"), "no phrases, sequences"),
        (("    cue: model\n", "    cue: denial\n"), "has cue 'model'"),
        (("    model: weights.json\n", "    phrases: [nope]\n"), "cue 'model' needs a model"),
    ],
)
def test_model_rules_are_checked_by_the_schema(tmp_path: Path, change: tuple[str, str], says: str) -> None:
    lexicon = tmp_path / "mine.en.yaml"
    lexicon.write_text(RULE.replace(*change), encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_ruleset([lexicon])
    assert says in str(info.value) and info.value.rule_id == "EVA-EN-MYMODEL"
