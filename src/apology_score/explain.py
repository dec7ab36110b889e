"""``ScoreReport.explain()``: a plain-text breakdown of where every point came from."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apology_score.report import Finding, ScoreReport


def _pts(x: float) -> str:
    return f"{x:+.1f}"


def _line(f: Finding) -> str:
    note = f"  [{f.note}]" if f.note else ""
    return f"  {_pts(f.contribution):>7}  {f.rule_id:<22} [{f.start}:{f.end}] {f.text!r}  {f.message}{note}"


def explain(report: ScoreReport) -> str:
    lines = [
        f"overall {report.overall:.1f} (grade {report.grade}), language {report.language}, "
        f"ruleset {report.ruleset.name}@{report.ruleset.version}+{report.ruleset.content_hash}",
    ]
    b = report.overall_breakdown
    parts = " + ".join(f"{name} {share:.1f}" for name, share in b.weighted.items())
    lines.append(f"  = {parts}  evasions {_pts(b.evasion_penalty)}  clipped {_pts(b.clipped)}")
    for name, dim in report.dimensions.items():
        lines.append("")
        lines.append(f"{name}: {dim.score:.1f} (level {dim.level}) = base {dim.base:.1f}")
        lines.extend(_line(f) for f in dim.findings)
        if dim.clipped:
            lines.append(f"  {_pts(dim.clipped):>7}  clipped to 0..100")
    if report.evasions:
        lines.append("")
        lines.append("evasions (overall penalty):")
        lines.extend(_line(f) for f in report.evasions)
    if report.suggestions:
        lines.append("")
        lines.append("suggestions:")
        lines.extend(f"  - {s}" for s in report.suggestions)
    if report.notes:
        lines.append("")
        lines.append("notes:")
        lines.extend(f"  - {n}" for n in report.notes)
    return "\n".join(lines)
