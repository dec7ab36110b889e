"""``apology-score rules`` (every rule, one line each) and ``apology-score rule ID`` (one rule's full doc)."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from typing import TYPE_CHECKING

from apology_score.checking import EXIT_ERROR, EXIT_OK

if TYPE_CHECKING:
    from apology_score.lexicon.loader import Ruleset
    from apology_score.lexicon.schema import Rule

CONFIGURE_TAKES_NAME = True


def configure(parser: argparse.ArgumentParser, name: str) -> None:
    if name == "rule":
        parser.add_argument("rule_id", metavar="ID", help="a rule id, e.g. SIN-ZH-IFID (case-insensitive)")
        parser.epilog = "example:\n  apology-score rule EVA-ZH-DENY"
    else:
        parser.add_argument(
            "--dimension",
            metavar="NAME",
            help="only rules of this dimension (timeliness, sincerity, specificity, remedy, evasion, marker)",
        )
        parser.add_argument("--select", action="append", metavar="IDS", help="only ids with these prefixes")
        parser.epilog = "examples:\n  apology-score rules\n  apology-score rules --dimension evasion --lang zh"
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the messages")
    parser.add_argument("--format", "-f", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--extra-lexicon",
        action="append",
        metavar="PATH",
        dest="extra_lexicons",
        help="include the rules of an extra lexicon file or folder",
    )


def _ruleset(args: argparse.Namespace) -> Ruleset:
    from apology_score.lexicon import load_ruleset

    return load_ruleset(args.extra_lexicons or ())


def _as_dict(rule: Rule, ruleset: Ruleset) -> dict[str, object]:
    file, line, language = ruleset.origin[rule.id]
    return {
        "id": rule.id,
        "dimension": rule.dimension,
        "cue": rule.cue,
        "polarity": rule.polarity,
        "severity": rule.severity,
        "language": language,
        "message": rule.message.model_dump(),
        "why": rule.why,
        "examples": rule.examples.model_dump(),
        "model": None if rule.model is None else {
            "file": rule.model,
            "weights": len(ruleset.models[rule.id].weights) if rule.id in ruleset.models else None,
            "threshold": ruleset.models[rule.id].threshold if rule.id in ruleset.models else None,
        },
        "file": file,
        "line": line,
    }


def run(args: argparse.Namespace) -> int:
    from apology_score.errors import ApologyScoreError

    try:
        ruleset = _ruleset(args)
    except ApologyScoreError as exc:
        print(f"apology-score: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args._command == "rule":
        return _show(args, ruleset)
    from apology_score.cli.settings import split_ids

    try:
        prefixes = split_ids(args.select)
    except ValueError as exc:
        print(f"apology-score: error: --select: {exc}", file=sys.stderr)
        return EXIT_ERROR
    rules = [
        r
        for r in ruleset.rules
        if (not args.dimension or r.dimension == args.dimension.lower())
        and (not prefixes or any(r.id.startswith(p) for p in prefixes))
    ]
    if args.dimension and not rules:
        print(f"apology-score: error: no rule of dimension {args.dimension!r}", file=sys.stderr)
        return EXIT_ERROR
    rules.sort(key=lambda r: r.id)
    if args.format == "json":
        sys.stdout.write(json.dumps([_as_dict(r, ruleset) for r in rules], ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    width = max((len(r.id) for r in rules), default=10)
    lines = [f"{'ID':<{width}}  {'DIMENSION':<11}  {'SEVERITY':<8}  MESSAGE"]
    for r in rules:
        message = r.message.zh if args.lang == "zh" else r.message.en
        lines.append(f"{r.id:<{width}}  {r.dimension:<11}  {r.severity:<8}  {message}")
    lines.append(f"\n{len(rules)} rules ({ruleset.label}). Full doc: apology-score rule ID")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _show(args: argparse.Namespace, ruleset: Ruleset) -> int:
    wanted = args.rule_id.strip().upper()
    by_id = {r.id: r for r in ruleset.rules}
    rule = by_id.get(wanted)
    if rule is None:
        close = difflib.get_close_matches(wanted, list(by_id), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else "; list them with: apology-score rules"
        print(f"apology-score: error: no rule {args.rule_id!r}{hint}", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        sys.stdout.write(json.dumps(_as_dict(rule, ruleset), ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    file, line, language = ruleset.origin[rule.id]
    primary, secondary = (rule.message.zh, rule.message.en) if args.lang == "zh" else (rule.message.en, rule.message.zh)
    out = [
        f"{rule.id}: {primary}",
        f"  ({secondary})",
        "",
        f"dimension: {rule.dimension}    cue: {rule.cue}    polarity: {rule.polarity}    "
        f"severity: {rule.severity}    language: {language}",
        f"defined in: {file}" + (f":{line}" if line else ""),
        "",
        "What it detects:",
    ]
    what = []
    if rule.phrases:
        shown = ", ".join(rule.phrases[:12]) + (f", … ({len(rule.phrases)} phrases)" if len(rule.phrases) > 12 else "")
        what.append(f"  phrases: {shown}")
    for seq in rule.sequences:
        parts = [e if isinstance(e, str) else "|".join(e[:6]) + ("|…" if len(e) > 6 else "") for e in seq.elements]
        what.append(f"  sequence: {' … '.join(parts)}" + (f" (gap ≤ {seq.max_gap})" if seq.max_gap else ""))
    if rule.entities:
        what.append(f"  entities: {', '.join(rule.entities)}")
    model = ruleset.models.get(rule.id)
    if rule.model is not None and model is not None:
        what.append(f"  model: {rule.model} ({len(model.weights):,} n-gram weights; evasive at probability "
                    f">= {model.threshold:g}; a fallback when no phrase rule names an evasion)")
    out.extend(what)
    out += ["", "Why:", f"  {rule.why}", ""]
    if rule.examples.context:
        out += [f"In answer to the complaint: {rule.examples.context}", ""]
    out += ["Fires on:"]
    out.extend(f"  ✓ {t}" for t in rule.examples.fires)
    out += ["", "Silent on:"]
    out.extend(f"  ✗ {t}" for t in rule.examples.silent)
    out += ["", f"Suppress it in a template: # apology-score: ignore[{rule.id}]"]
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK
