"""The ``apology_score`` spaCy component: registered by entry point, report on the doc, evidence as spans."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy
from spacy import displacy
from spacy.language import Language

from apology_score import score
from apology_score.errors import ConfigError
from apology_score.integrations.spacy_component import DISPLACY_COLOURS, finding_label
from apology_score.report import ScoreReport

ZH = "非常抱歉,您的订单发错了颜色,我们今天下午重新发货。这不是我们的问题,是快递的原因。"
EN = "Sorry you feel that way. We are so sorry we shipped the wrong colour; a replacement ships today."


@pytest.fixture(scope="module")
def nlp_en() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("apology_score")
    return nlp


@pytest.fixture(scope="module")
def nlp_zh() -> Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("apology_score")
    return nlp


def test_entry_point_is_declared() -> None:
    eps = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert eps.get("apology_score") == "apology_score.integrations.spacy_component:make_apology_component"


def test_factory_is_found_through_the_entry_point_and_imports_cheaply() -> None:
    # a fresh interpreter: spaCy finds the factory through the entry point alone. It imports the module
    # whenever any Language is created, so that must not load the lexicons or a Chinese segmenter.
    code = (
        "import sys, spacy\n"
        "nlp = spacy.blank('en')\n"
        "import apology_score.pipeline.core as core\n"
        "print('apology_score.integrations.spacy_component' in sys.modules, 'jieba' in sys.modules, "
        "len(core._cache))\n"
        "nlp.add_pipe('apology_score')\n"
        "doc = nlp('We are so sorry, we refunded you today.')\n"
        "print(doc._.apology.grade, len(doc.spans['apology']))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    first, second = out.stdout.splitlines()
    assert first.split() == ["True", "False", "0"]
    grade, n = second.split()
    assert grade in "ABCDF" and int(n) > 0


@pytest.mark.parametrize(("nlp_name", "text"), [("nlp_en", EN), ("nlp_zh", ZH)])
def test_doc_gets_report_and_spans(nlp_name: str, text: str, request: pytest.FixtureRequest) -> None:
    nlp: Language = request.getfixturevalue(nlp_name)
    doc = nlp(text)
    report = doc._.apology
    assert isinstance(report, ScoreReport)
    assert report.model_dump() == score(text).model_dump()
    spans = list(doc.spans["apology"])
    findings = [f for f in report.findings if f.end > f.start]
    assert len(spans) == len(findings)
    for span, f in zip(spans, findings, strict=True):
        # the span covers the finding (expanded to whole tokens)
        assert span.start_char <= f.start and f.end <= span.end_char
        assert span.label_ == finding_label(f)
        assert span.kb_id_ == f.rule_id
        assert span._.apology_finding is not None
        assert span._.apology_finding.rule_id == f.rule_id
    labels = {s.label_ for s in spans}
    assert "evasion" in labels
    assert any(label.endswith("+") for label in labels)
    assert "sincerity-" in labels  # the evasion takes the apology back


def test_labels_per_dimension_and_sign() -> None:
    report = score(ZH)
    for f in report.findings:
        label = finding_label(f)
        if f.dimension == "evasion":
            assert label == "evasion"
        elif f.contribution > 0:
            assert label == f"{f.dimension}+"
        elif f.contribution < 0:
            assert label == f"{f.dimension}-"
        else:
            assert label == f.dimension
        assert label in DISPLACY_COLOURS


def test_chinese_spans_align_to_jieba_tokens(nlp_zh: Language) -> None:
    assert nlp_zh.tokenizer.segmenter == "jieba"  # type: ignore[attr-defined]
    doc = nlp_zh("亲,不好意思哈,给您带来不便了。我们24小时内给您退款。")
    for span in doc.spans["apology"]:
        assert span.text == doc.text[span.start_char : span.end_char]
        assert len(span) >= 1
    assert any(s.kb_id_.startswith("TIM-ZH") for s in doc.spans["apology"])


def test_displacy_renders_the_spans(nlp_en: Language, nlp_zh: Language) -> None:
    for nlp, text in ((nlp_en, EN), (nlp_zh, ZH)):
        doc = nlp(text)
        html = displacy.render(doc, style="span", options={"spans_key": "apology"}, jupyter=False)
        assert isinstance(html, str)
        for span in doc.spans["apology"]:
            assert span.label_ in html
        # the registered colours are used
        assert DISPLACY_COLOURS["evasion"] in html


def test_component_options(nlp_en: Language) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("apology_score", config={"spans_key": "evidence", "settings": {"ignore": ["SPC"]}})
    doc = nlp(EN)
    assert "apology" not in doc.spans
    assert doc.spans["evidence"]
    assert not any(s.kb_id_.startswith("SPC") for s in doc.spans["evidence"])
    assert not any(f.rule_id.startswith("SPC") for f in doc._.apology.findings)
    assert nlp.config["components"]["apology_score"]["settings"] == {"ignore": ["SPC"]}


def test_invalid_settings_name_the_key() -> None:
    nlp = spacy.blank("en")
    with pytest.raises(ConfigError, match="bogus"):
        nlp.add_pipe("apology_score", config={"settings": {"bogus": 1}})


def test_context_is_used(nlp_en: Language) -> None:
    text = "Sorry about the late delivery of your blender; we refunded the shipping today."
    doc = nlp_en.make_doc(text)
    doc._.apology_context = "My blender arrived two weeks late!"
    doc = nlp_en(doc)
    assert doc._.apology.model_dump() == score(text, context="My blender arrived two weeks late!").model_dump()


def test_pipe_and_saved_pipelines(nlp_en: Language, tmp_path: Path) -> None:
    docs = list(nlp_en.pipe([EN, "Hello."]))
    assert docs[0]._.apology.findings
    assert docs[1]._.apology.findings == [] and len(docs[1].spans["apology"]) == 0
    # a saved pipeline with the component loads again (the factory is found through the entry point)
    nlp = spacy.blank("en")
    nlp.add_pipe("apology_score", config={"settings": {"select": ["SIN", "EVA"]}})
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == ["apology_score"]
    doc = loaded(EN)
    assert doc.spans["apology"] and all(s.kb_id_[:3] in ("SIN", "EVA") for s in doc.spans["apology"])


def test_docs_with_reports_serialize(nlp_en: Language) -> None:
    from spacy.tokens import Doc, DocBin

    doc = nlp_en(EN)
    restored = Doc(nlp_en.vocab).from_bytes(doc.to_bytes())
    assert restored._.apology == doc._.apology
    assert [s._.apology_finding for s in restored.spans["apology"]] == [
        s._.apology_finding for s in doc.spans["apology"]
    ]
    docbin = DocBin(store_user_data=True, docs=[doc])
    (again,) = DocBin().from_bytes(docbin.to_bytes()).get_docs(nlp_en.vocab)
    assert again._.apology.overall == doc._.apology.overall
    assert Doc(nlp_en.vocab, words=["hi"])._.apology is None  # not scored yet
