"""The schema of a lexicon file, validated by pydantic when loaded.

A lexicon file is YAML::

    family: sincerity            # rule family (one file per family and language)
    language: zh                 # zh | en
    rules:
      - id: SIN-ZH-IFID          # stable id: DIM-LANG-NAME
        cue: apology             # what the detectors reason about (see CUE_DIMENSION)
        polarity: positive       # positive | negative | neutral
        severity: info           # error | warning | info (used by ``apology-score check``)
        message: {en: "...", zh: "..."}
        why: "Rubric: ..."       # why it matters, for the rule docs
        phrases: [对不起, 抱歉]   # literal phrases, matched on normalized text
        sequences:               # token patterns as data: elements in order, with small gaps
          - {elements: ["@number", [小时内, 天内]], max_gap: 1}
        entities: ["@money"]     # built-in particulars found by the entity scanner
        examples:
          fires: ["非常抱歉,是我们的失误。"]
          silent: ["请问还有什么可以帮您?"]

No raw regular expressions are accepted: phrases are literals, sequences are literals and built-in
entities, so matching is linear in the length of the text whatever a lexicon contains.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Dimension = Literal["timeliness", "sincerity", "specificity", "remedy", "evasion", "marker"]
DIMENSIONS: tuple[str, ...] = ("timeliness", "sincerity", "specificity", "remedy")

#: Every cue kind the detectors understand, and the dimension it belongs to.
CUE_DIMENSION: dict[str, str] = {
    # timeliness
    "done": "timeliness",
    "deadline": "timeliness",
    "immediate": "timeliness",
    "vague_speed": "timeliness",
    "deferral": "timeliness",
    # sincerity
    "apology": "sincerity",
    "responsibility": "sincerity",
    "empathy": "sincerity",
    "intensifier": "sincerity",
    "thanks": "sincerity",
    "pseudo_apology": "sincerity",
    # specificity
    "generic": "specificity",
    "problem": "specificity",
    "thing": "specificity",
    "cause": "specificity",
    "particular": "specificity",
    # remedy
    "vague_remedy": "remedy",
    "remedy": "remedy",
    "choice": "remedy",
    "follow_up": "remedy",
    "prevention": "remedy",
    "refusal": "remedy",
    # evasion
    "denial": "evasion",
    "interruption": "evasion",
    "blame_customer": "evasion",
    "blame_third_party": "evasion",
    "rule_dismissive": "evasion",
    "deflect_feelings": "evasion",
    "mockery": "evasion",
    #: a statistical model's reading of the whole reply (a rule with ``model:``), see ``pipeline/model.py``
    "model": "evasion",
    # scope markers: they score nothing themselves, they change how detectors read other cues
    "negator": "marker",
    "conditional": "marker",
    "contrast": "marker",
    "quote_intro": "marker",
    "justification": "marker",
    "offer": "marker",
    "compensation": "marker",
    "check_request": "marker",
    "rhetorical": "marker",
    "not_a_cue": "marker",
}

#: Built-in entities the scanner finds (see ``apology_score.pipeline.match``).
ENTITIES: tuple[str, ...] = (
    "@number",
    "@count",
    "@money",
    "@time",
    "@date",
    "@day_month",
    "@order_id",
    "@placeholder",
    "@echo",
)
#: A sequence element ``cue:thing`` stands for any phrase of any rule with that cue (word classes as data: "our
#: <any service noun> was fine"); phrases and entities only, not other sequences.
CUE_ELEMENT = "cue:"

#: Entities found by a detector rather than the scanner: ``@echo`` is a content word of the reply that also
#: appears in the customer's complaint, so it exists only when ``context=`` is given.
CONTEXT_ENTITIES: tuple[str, ...] = ("@echo",)

RULE_ID_RE = re.compile(r"^[A-Z]{3}-(ZH|EN|XX)-[A-Z0-9]+(-[A-Z0-9]+)*$")
Phrase = Annotated[str, Field(min_length=1, max_length=200)]
Element = str | list[Phrase]


class Messages(BaseModel):
    """A rule's short message in both languages."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class Examples(BaseModel):
    """Texts on which the rule must fire, and texts on which it must stay silent (executable docs)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    fires: list[str] = Field(min_length=1)
    silent: list[str] = Field(min_length=1)
    #: The customer's complaint the examples answer, for rules that read ``context=`` (``@echo``).
    context: str | None = Field(default=None, min_length=1)


class Sequence(BaseModel):
    """Elements that must follow each other within ``max_gap`` characters, in one sentence (or, with
    ``within: clause``, in one clause: a comma ends it, so "已收到,会退还" is no "已…退还").

    An element is a list of literal alternatives, the name of a built-in entity (``@number``), or ``cue:NAME``:
    any phrase or entity of a rule with that cue (``cue:thing``, the service nouns), so a word class is written
    once and reused.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    elements: list[Element] = Field(min_length=2, max_length=6)
    max_gap: int = Field(default=0, ge=0, le=12)
    within: Literal["sentence", "clause"] = "sentence"

    @field_validator("elements")
    @classmethod
    def _check_elements(cls, elements: list[Element]) -> list[Element]:
        for i, element in enumerate(elements):
            if isinstance(element, str):
                if element in CONTEXT_ENTITIES:
                    raise ValueError(f"element {i} is {element!r}: only a detector finds it, not a sequence")
                if element.startswith(CUE_ELEMENT):
                    if element[len(CUE_ELEMENT) :] not in CUE_DIMENSION:
                        raise ValueError(
                            f"element {i} is {element!r}: unknown cue; known cues: {', '.join(sorted(CUE_DIMENSION))}"
                        )
                elif element not in ENTITIES:
                    raise ValueError(
                        f"element {i} is {element!r}: a string element must be one of {', '.join(ENTITIES)}"
                        f" or {CUE_ELEMENT}<cue>; write literal alternatives as a list"
                    )
            elif not element:
                raise ValueError(f"element {i} is an empty list")
            elif any(not p.strip() for p in element):
                raise ValueError(f"element {i} has an empty alternative")
        return elements


class Rule(BaseModel):
    """One rule: a stable id, what it means, how it is found, and examples that prove it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    cue: str
    polarity: Literal["positive", "negative", "neutral"]
    severity: Literal["error", "warning", "info"] = "info"
    weight: float | None = Field(default=None, ge=-100, le=100)
    message: Messages
    why: str = Field(min_length=1)
    phrases: list[Phrase] = Field(default_factory=list)
    sequences: list[Sequence] = Field(default_factory=list)
    entities: list[str] = Field(default_factory=list)
    #: Does the cue still count inside quoted or reported customer speech? (rubric pitfall 4)
    in_quotes: bool | None = None
    #: Does a preceding negator cancel it? (rubric pitfall 3). Phrases that include a negation set False.
    negatable: bool = True
    #: Ambiguous opener (不好意思): it does not count as an apology when it opens a refusal (pitfall 7).
    opens_refusal: bool = False
    #: A cause whose agent is us (因为我们…, "our courier…"): it also owns the fault (sincerity).
    owns_fault: bool = False
    #: A remedy that counts only when someone commits to it in its sentence (an offer marker such as "I'll" or
    #: "has been", or a timing cue): "refunds take 5-7 days" mentions a refund, "I'll refund you" offers one.
    #: English states the agent; Chinese often drops it (补发一件给您), so the Chinese rules leave this off.
    needs_agent: bool = False
    #: An explanation that takes the complaint away (本来就不含, "that's perfectly normal") evades only when the
    #: reply puts nothing right: next to an offered remedy it explains a rule and is not counted (pitfall 6).
    waived_by_remedy: bool = False
    #: Records turned on the customer (our records show, 系统显示已签收) close the matter, but followed by a question
    #: ("could you check with a neighbour?") or a request to check (麻烦问下家人有没有代收, ``check_request``
    #: markers) or an offer to put things right if they are wrong ("if that wasn't you, I'll reinstate it") they
    #: are a polite check: with this set, such a reply does not count the finding.
    waived_by_question: bool = False
    #: A weights file (relative to this lexicon file) of a statistical model that reads the whole reply; such a
    #: rule has cue ``model`` and no phrases, sequences or entities (see :mod:`apology_score.pipeline.model`).
    model: str | None = Field(default=None, min_length=1, max_length=200)
    examples: Examples

    @property
    def dimension(self) -> str:
        return CUE_DIMENSION[self.cue]

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not RULE_ID_RE.match(value):
            raise ValueError(f"{value!r} is not a rule id of the form DIM-LANG-NAME, e.g. SIN-ZH-IFID")
        return value

    @field_validator("cue")
    @classmethod
    def _check_cue(cls, value: str) -> str:
        if value not in CUE_DIMENSION:
            raise ValueError(f"unknown cue {value!r}; known cues: {', '.join(sorted(CUE_DIMENSION))}")
        return value

    @field_validator("entities")
    @classmethod
    def _check_entities(cls, value: list[str]) -> list[str]:
        for entity in value:
            if entity not in ENTITIES:
                raise ValueError(f"unknown entity {entity!r}; known entities: {', '.join(ENTITIES)}")
        return value

    @model_validator(mode="after")
    def _check_consistency(self) -> Rule:
        if self.model is not None:
            if self.phrases or self.sequences or self.entities:
                raise ValueError("a rule with a model has no phrases, sequences or entities: the model reads the reply")
            if self.cue != "model":
                raise ValueError(f"a rule with a model has cue 'model', not {self.cue!r}")
        elif self.cue == "model":
            raise ValueError("cue 'model' needs a model: the path of a weights file")
        elif not (self.phrases or self.sequences or self.entities):
            raise ValueError("a rule needs at least one of phrases, sequences, entities or a model")
        if self.weight is not None:
            if self.polarity == "positive" and self.weight < 0:
                raise ValueError("weight: a positive rule cannot have a negative weight")
            if self.polarity == "negative" and self.weight > 0:
                raise ValueError("weight: a negative rule cannot have a positive weight")
        return self


class RuleFile(BaseModel):
    """One lexicon file: one rule family in one language."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    family: str = Field(min_length=1)
    #: ``any`` for rules that do not depend on a language (built-in entities); their ids use XX.
    language: Literal["zh", "en", "any"]
    description: str = ""
    rules: list[Rule] = Field(min_length=1)
