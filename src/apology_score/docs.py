"""Generate the rule reference (``docs/rules.md``) from the lexicons, so the docs never drift from the rules.

::

    python -m apology_score.docs            # write docs/rules.md
    python -m apology_score.docs --check    # exit 1 when docs/rules.md is out of date
    python -m apology_score.docs --lexicons my_rules/ -o my_rules.md   # document extra lexicons too

For every rule family (one section each) and every rule: its id, dimension, cue, polarity, severity,
message in English and Chinese, why it matters, what it matches (phrases, sequences, entities), its
options, where it is defined, and the examples that fire and that stay silent (the same examples the test
suite runs through the scorer).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from apology_score.errors import ApologyScoreError
from apology_score.lexicon.loader import LoadedFile, Ruleset, load_ruleset
from apology_score.lexicon.schema import CUE_DIMENSION, Element, Rule

DEFAULT_OUTPUT = Path("docs") / "rules.md"
COMMAND = "python -m apology_score.docs"

#: Families in rubric order; any other family follows alphabetically.
FAMILY_ORDER = ("timeliness", "sincerity", "specificity", "remedy", "evasion", "markers")
LANGUAGE_ORDER = ("zh", "en", "any")
LANGUAGE_NAMES = {"zh": "Chinese", "en": "English", "any": "any language"}

_MD_SPECIAL = set("\\`*_[]<>|#$~")


def md(text: str) -> str:
    """Escape Markdown (and inline HTML) in plain text; newlines become spaces."""
    text = " ".join(text.split())
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)


def code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it contains."""
    text = text.replace("\r\n", "\n").replace("\n", " ")
    longest = run = 0
    for c in text:
        run = run + 1 if c == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def anchor(rule_id: str) -> str:
    return rule_id.lower()


def _element(element: Element) -> str:
    if isinstance(element, str):
        return code(element)
    return "(" + " \\| ".join(code(p) for p in element) + ")"


def _family_key(family: str) -> tuple[int, str]:
    return (FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER), family)


def _source(path: str, line: int | None) -> str:
    """A link from docs/ to the rule in its lexicon file (repository layout), or the bare path."""
    p = Path(path)
    if p.parent.name == "lexicons":
        target = f"../lexicons/{p.name}"
        label = f"lexicons/{p.name}"
    else:
        return code(path + (f":{line}" if line else ""))
    if line:
        return f"[{label}:{line}]({target}#L{line})"
    return f"[{label}]({target})"


def _options(rule: Rule) -> list[str]:
    out = []
    if rule.weight is not None:
        out.append(f"weight {rule.weight:g} (instead of the detector's default)")
    if rule.in_quotes is not None:
        out.append("counts inside quoted customer speech" if rule.in_quotes else "ignored inside quotes")
    if not rule.negatable:
        out.append("not cancelled by a preceding negator")
    if rule.opens_refusal:
        out.append("no apology when it opens a refusal")
    if rule.owns_fault:
        out.append("a cause that also owns the fault (counts for sincerity)")
    if rule.needs_agent:
        out.append("counts only when someone commits to it in its sentence (I'll, has been, a deadline)")
    if rule.waived_by_remedy:
        out.append("not counted when the reply offers a remedy or a follow-up (an explanation, not an evasion)")
    if rule.waived_by_question:
        out.append("not counted when the reply asks the customer something, asks them to check (`check_request` "
                   "markers) or offers to put things right if the records are wrong: a check, not a contradiction")
    return out


def _rule_section(rule: Rule, ruleset: Ruleset) -> list[str]:
    path, line, language = ruleset.origin[rule.id]
    dimension = CUE_DIMENSION[rule.cue]
    lines = [
        f'<a id="{anchor(rule.id)}"></a>',
        "",
        f"### {rule.id} — {md(rule.message.en)}",
        "",
        f"- **Dimension:** {dimension} · **cue:** {rule.cue} · **polarity:** {rule.polarity} · "
        f"**severity:** {rule.severity} · **language:** {LANGUAGE_NAMES.get(language, language)}",
        f"- **Message:** {md(rule.message.en)} / {md(rule.message.zh)}",
        f"- **Why it matters:** {md(rule.why)}",
    ]
    if rule.phrases:
        lines.append(f"- **Phrases ({len(rule.phrases)}):** " + " · ".join(code(p) for p in rule.phrases))
    for seq in rule.sequences:
        unit = "character" if seq.max_gap == 1 else "characters"
        gap = f", at most {seq.max_gap} {unit} apart" if seq.max_gap else ", adjacent"
        lines.append("- **Sequence:** " + " → ".join(_element(e) for e in seq.elements) + gap)
    if rule.entities:
        lines.append("- **Entities:** " + ", ".join(code(e) for e in rule.entities))
    model = ruleset.models.get(rule.id)
    if rule.model is not None and model is not None:
        rows, evasive = (model.training.get(k) for k in ("rows", "evasive"))
        trained = f"{rows:,} replies ({evasive:,} evasive)" if isinstance(rows, int) and isinstance(evasive, int) else (
            "the data named in the file")
        lines.append(
            f"- **Model:** {code(rule.model)}: {len(model.weights):,} n-gram weights, evasive at probability "
            f">= {model.threshold:g}; trained by `benchmarks/train_evasion_model.py` on "
            f"{trained}. It counts only "
            "when no phrase rule names an evasion, and not when the rules read the blame as conditional, a question "
            "or negated, the sentence it rests on is a question, or the reply owns the fault."
        )
    options = _options(rule)
    if options:
        lines.append("- **Options:** " + "; ".join(options))
    lines.append(f"- **Defined in:** {_source(path, line)}")
    lines.append("")
    if rule.examples.context:
        lines.append(f"In answer to the complaint (``context=``): {code(rule.examples.context)}")
        lines.append("")
    lines.append("Fires on:")
    lines.append("")
    lines.extend(f"- {code(example)}" for example in rule.examples.fires)
    lines.append("")
    lines.append("Stays silent on:")
    lines.append("")
    lines.extend(f"- {code(example)}" for example in rule.examples.silent)
    lines.append("")
    return lines


def _families(ruleset: Ruleset) -> dict[str, list[tuple[LoadedFile, list[Rule]]]]:
    """family -> [(file, rules of the file that are in force)], families and files in doc order."""
    by_family: dict[str, list[tuple[LoadedFile, list[Rule]]]] = {}
    in_force = {rule.id: rule for rule in ruleset.rules}
    for loaded in ruleset.files:
        rules = [
            in_force[r.id]
            for r in loaded.data.rules
            if r.id in in_force and ruleset.origin[r.id][0] == loaded.path
        ]
        if rules:
            by_family.setdefault(loaded.data.family, []).append((loaded, rules))
    ordered: dict[str, list[tuple[LoadedFile, list[Rule]]]] = {}
    for family in sorted(by_family, key=_family_key):
        ordered[family] = sorted(
            by_family[family],
            key=lambda fr: (
                LANGUAGE_ORDER.index(fr[0].data.language) if fr[0].data.language in LANGUAGE_ORDER else 9,
                Path(fr[0].path).name,
            ),
        )
    return ordered


def generate_rules_md(ruleset: Ruleset | None = None) -> str:
    """The Markdown rule reference for ``ruleset`` (default: the built-in lexicons)."""
    ruleset = ruleset or load_ruleset()
    families = _families(ruleset)
    count = sum(len(rules) for files in families.values() for _, rules in files)
    out = [
        "# Rule reference",
        "",
        f"<!-- Generated from the lexicons by `{COMMAND}`; do not edit by hand. -->",
        "",
        f"{count} rules of the ruleset `{ruleset.name}` (version {ruleset.version}), one section per rule "
        "family. Every rule is data in a lexicon file (`lexicons/*.yaml`); its examples are executable: the "
        "test suite checks that each rule fires on every example under *Fires on* and stays silent on every "
        "example under *Stays silent on*. Regenerate this file with "
        f"`{COMMAND}` after editing a lexicon (`{COMMAND} --check` fails when it is out of date).",
        "",
        "Severity is what `apology-score check` gates on (`error` fails a template by default); polarity "
        "says whether the cue earns points (positive), costs points (negative) or only changes how other "
        "cues are read (neutral scope markers).",
        "",
        "## Contents",
        "",
        "| rule | dimension | cue | polarity | severity | message |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for files in families.values():
        for _, rules in files:
            for rule in rules:
                out.append(
                    f"| [{rule.id}](#{anchor(rule.id)}) | {CUE_DIMENSION[rule.cue]} | {rule.cue} | "
                    f"{rule.polarity} | {rule.severity} | {md(rule.message.en)} |"
                )
    out.append("")
    for family, files in families.items():
        out.append(f"## {family.capitalize()}")
        out.append("")
        for loaded, rules in files:
            language = LANGUAGE_NAMES.get(loaded.data.language, loaded.data.language)
            if len(files) > 1 or loaded.data.description:
                out.append(
                    f"*{language.capitalize()}* ({_source(loaded.path, None)}): {md(loaded.data.description)}"
                )
                out.append("")
            for rule in rules:
                out.extend(_rule_section(rule, ruleset))
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=COMMAND,
        description="Generate the rule reference (Markdown) from the lexicons.",
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUTPUT, help=f"file to write (default: {DEFAULT_OUTPUT})"
    )
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 when the file is missing or out of date"
    )
    parser.add_argument(
        "--lexicons",
        nargs="+",
        type=Path,
        default=[],
        metavar="PATH",
        help="extra lexicon files or folders to document with the built-in ones",
    )
    args = parser.parse_args(argv)
    try:
        text = generate_rules_md(load_ruleset(args.lexicons))
    except ApologyScoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    output: Path = args.output
    if args.check:
        try:
            current = output.read_text(encoding="utf-8")
        except OSError:
            print(f"{output} is missing; run `{COMMAND}` to generate it", file=sys.stderr)
            return 1
        if current != text:
            print(
                f"{output} is out of date with the lexicons; run `{COMMAND}` to regenerate it",
                file=sys.stderr,
            )
            return 1
        print(f"{output} is up to date")
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
