"""The ``apology_score`` spaCy pipeline component.

Installed with the package and registered through the ``spacy_factories`` entry point, so in any spaCy
pipeline::

    import spacy
    from spacy import displacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("apology_score")
    doc = nlp("非常抱歉,您的订单发错了颜色,我们今天下午重新发货。")
    doc._.apology.overall                      # the ScoreReport
    [(s.text, s.label_, s.kb_id_) for s in doc.spans["apology"]]
    displacy.render(doc, style="span", spans_key="apology")

Each finding becomes one span: its label is the dimension with the sign of the points it contributed
(``timeliness+``, ``sincerity-``; no sign when it counted zero) or ``evasion`` for an evasion; its
``kb_id_`` is the rule id; ``span._.apology_finding`` is the :class:`~apology_score.report.Finding` itself.
The scorer scores ``doc.text`` (optionally with the customer's complaint from ``doc._.apology_context``)
and maps character offsets onto tokens with ``alignment_mode="expand"``, so a finding inside a token
covers the whole token. displacy colours for the labels are registered too. The report is kept in
``doc.user_data`` in its JSON form, so docs still serialize (``doc.to_bytes()``, ``DocBin``).

spaCy imports this module whenever it creates a ``Language`` (to find entry-point factories), so it
imports only spaCy and the report models at module level and does the rest lazily.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

if TYPE_CHECKING:
    from apology_score.config import Config
    from apology_score.report import Finding, ScoreReport

__all__ = ["DISPLACY_COLOURS", "ApologyScorer", "finding_label", "make_apology_component"]

DEFAULT_SPANS_KEY = "apology"

#: displacy colours (background tints) for every span label the component sets.
DISPLACY_COLOURS: dict[str, str] = {}
for _dim, _colour in (
    ("timeliness", "#9ccbe8"),
    ("sincerity", "#eab6d3"),
    ("specificity", "#f3cf80"),
    ("remedy", "#80cfb9"),
):
    DISPLACY_COLOURS[f"{_dim}+"] = _colour
    DISPLACY_COLOURS[f"{_dim}-"] = "#f2b8a2"
    DISPLACY_COLOURS[_dim] = "#dde1e5"
DISPLACY_COLOURS["evasion"] = "#e8875a"


def finding_label(finding: Finding) -> str:
    """The span label of a finding: ``evasion``, or the dimension with ``+``/``-`` (none for zero)."""
    if finding.dimension == "evasion":
        return "evasion"
    if finding.contribution > 0:
        return f"{finding.dimension}+"
    if finding.contribution < 0:
        return f"{finding.dimension}-"
    return finding.dimension


def _span_finding(span: Span) -> Finding | None:
    """``span._.apology_finding``: the finding behind a span of ``doc.spans[...]`` set by the component."""
    report: ScoreReport | None = span.doc._.apology
    if report is None:
        return None
    for finding in report.findings:
        if (
            finding.rule_id == span.kb_id_
            and finding_label(finding) == span.label_
            and span.start_char <= finding.start
            and finding.end <= span.end_char
        ):
            return finding
    return None


#: Where the report lives in ``doc.user_data``: as its JSON form, so that ``doc.to_bytes()``, ``DocBin``
#: (with ``store_user_data=True``) and multiprocessing ``nlp.pipe`` can serialize the doc.
USER_DATA_KEY = "apology_score.report"


def _get_report(doc: Doc) -> ScoreReport | None:
    data = doc.user_data.get(USER_DATA_KEY)
    if data is None:
        return None
    from apology_score.report import ScoreReport

    return ScoreReport.model_validate(data)


def _set_report(doc: Doc, report: ScoreReport | None) -> None:
    if report is None:
        doc.user_data.pop(USER_DATA_KEY, None)
    else:
        doc.user_data[USER_DATA_KEY] = report.model_dump(mode="json")


def _register_extensions() -> None:
    if not Doc.has_extension("apology"):
        Doc.set_extension("apology", getter=_get_report, setter=_set_report)
    if not Doc.has_extension("apology_context"):
        Doc.set_extension("apology_context", default=None)
    if not Span.has_extension("apology_finding"):
        Span.set_extension("apology_finding", getter=_span_finding)


class ApologyScorer:
    """Scores ``doc.text`` and stores the report and its evidence spans on the doc."""

    def __init__(
        self, name: str = "apology_score", *, spans_key: str = DEFAULT_SPANS_KEY, config: Config | None = None
    ) -> None:
        _register_extensions()
        self.name = name
        self.spans_key = spans_key
        self.config = config

    def __call__(self, doc: Doc) -> Doc:
        from apology_score.api import score

        context = doc._.apology_context
        report: ScoreReport = score(doc.text, context=context, config=self.config)
        doc._.apology = report
        spans: list[Span] = []
        for finding in report.findings:
            if finding.end <= finding.start:
                continue
            span = doc.char_span(
                finding.start,
                finding.end,
                label=finding_label(finding),
                kb_id=finding.rule_id,
                alignment_mode="expand",
            )
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


def make_apology_component(nlp: Language, name: str, spans_key: str, settings: dict[str, Any]) -> ApologyScorer:
    """Create the component. ``settings`` is a :class:`~apology_score.config.Config` as a mapping
    (weights, grades, extra_lexicons, select, ignore, ...); an invalid key raises ``ConfigError``."""
    config = None
    if settings:
        from apology_score.config import Config

        config = Config.from_mapping(dict(settings), source=f"spaCy component {name!r} settings")
    return ApologyScorer(name, spans_key=spans_key, config=config)


def displacy_colours() -> dict[str, str]:
    """Colours for the component's span labels, picked up by ``displacy.render`` automatically."""
    return dict(DISPLACY_COLOURS)


def _register() -> None:
    # spaCy imports this module while it creates *any* Language: a failure here must not break pipelines
    # that do not even use the component, so it becomes a warning (and add_pipe then says the factory
    # is unknown).
    try:
        Language.factory(
            "apology_score",
            default_config={"spans_key": DEFAULT_SPANS_KEY, "settings": {}},
            assigns=["doc._.apology", "doc.spans"],
        )(make_apology_component)
        registry.displacy_colors.register("apology_score", func=displacy_colours)
        _register_extensions()
    except Exception as exc:  # pragma: no cover - defensive
        warnings.warn(f"apology-score: could not register the spaCy component: {exc}", stacklevel=2)


_register()
