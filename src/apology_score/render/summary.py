"""Corpus summaries of many reports: Markdown, and a self-contained offline HTML page.

:class:`CorpusSummary` accumulates reports one at a time (memory grows with the number of distinct rules,
not of reports): histograms of the overall score and each dimension (ten bins of ten points, the last one
including 100), grade counts, the most frequent rules and evasions with example spans, and a split per
language. For transcripts it also collects the conversation measures (delays to the first apology and
remedy, follow-up, evasions after the complaint).

The HTML page draws its charts with matplotlib (the ``html`` extra) as inline SVG, with text as paths:
no script, no stylesheet, font or image from anywhere else. Without matplotlib it falls back to plain
HTML bars.
"""

from __future__ import annotations

import html
import io
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apology_score.report import DIMENSION_NAMES, ScoreReport

SCORES: tuple[str, ...] = ("overall", *DIMENSION_NAMES)
GRADES: tuple[str, ...] = ("A", "B", "C", "D", "F")
#: Histogram bins: [0,10), [10,20), ..., [90,100].
BINS = 10
#: Characters of context shown on each side of an example span.
CONTEXT_CHARS = 12


def _bin(score: float) -> int:
    return min(BINS - 1, max(0, int(score // (100 / BINS))))


@dataclass
class RuleStats:
    rule_id: str
    dimension: str
    message: str
    reports: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class LanguageStats:
    n: int = 0
    sums: dict[str, float] = field(default_factory=lambda: dict.fromkeys(SCORES, 0.0))
    grades: Counter[str] = field(default_factory=Counter)
    evasive: int = 0


@dataclass
class ConversationStats:
    n: int = 0
    with_apology: int = 0
    with_remedy: int = 0
    followed_up: int = 0
    with_evasion_after_complaint: int = 0
    turns_to_apology: list[int] = field(default_factory=list)
    turns_to_remedy: list[int] = field(default_factory=list)
    seconds_to_apology: list[float] = field(default_factory=list)
    seconds_to_remedy: list[float] = field(default_factory=list)
    timeliness_hist: list[int] = field(default_factory=lambda: [0] * BINS)


class CorpusSummary:
    """Accumulates reports (``ScoreReport`` or its JSON form) and renders the summary."""

    def __init__(self, *, top: int = 15, max_examples: int = 3, title: str = "apology-score corpus summary") -> None:
        self.top = top
        self.max_examples = max_examples
        self.title = title
        self.n = 0
        self.errors = 0
        self.hist: dict[str, list[int]] = {name: [0] * BINS for name in SCORES}
        self.sums: dict[str, float] = dict.fromkeys(SCORES, 0.0)
        self.grades: Counter[str] = Counter()
        self.evasive = 0
        self.rules: dict[str, RuleStats] = {}
        self.evasions: dict[str, RuleStats] = {}
        self.languages: dict[str, LanguageStats] = {}
        self.conversations: ConversationStats | None = None

    # --- accumulating ---------------------------------------------------------------------------------
    def add(self, report: ScoreReport | Mapping[str, Any]) -> None:
        """Count one report."""
        r: Mapping[str, Any] = report.model_dump(mode="json") if isinstance(report, ScoreReport) else report
        self.n += 1
        scores: dict[str, float] = {"overall": float(r["overall"])}
        for dim in DIMENSION_NAMES:
            scores[dim] = float(r["dimensions"][dim]["score"])
        lang = self.languages.setdefault(str(r["language"]), LanguageStats())
        lang.n += 1
        for name, value in scores.items():
            self.hist[name][_bin(value)] += 1
            self.sums[name] += value
            lang.sums[name] += value
        self.grades[r["grade"]] += 1
        lang.grades[r["grade"]] += 1
        evasions = list(r.get("evasions") or [])
        if evasions:
            self.evasive += 1
            lang.evasive += 1
        text = str(r.get("text", ""))
        seen: set[str] = set()
        for dim in r["dimensions"].values():
            for f in dim["findings"]:
                self._count(self.rules, f, text, seen)
        seen_eva: set[str] = set()
        for f in evasions:
            self._count(self.evasions, f, text, seen_eva)

    def _count(self, table: dict[str, RuleStats], f: Mapping[str, Any], text: str, seen: set[str]) -> None:
        rule_id = str(f["rule_id"])
        stats = table.get(rule_id)
        if stats is None:
            stats = table[rule_id] = RuleStats(rule_id, str(f["dimension"]), str(f["message"]))
        if rule_id not in seen:
            seen.add(rule_id)
            stats.reports += 1
        if len(stats.examples) < self.max_examples:
            example = _example(text, int(f["start"]), int(f["end"]))
            if example not in stats.examples:
                stats.examples.append(example)

    def add_conversation(self, conv: Mapping[str, Any]) -> None:
        """Count one conversation report (JSON form of ``ConversationReport``) and its agent turns."""
        c = self.conversations = self.conversations or ConversationStats()
        c.n += 1
        for delay, turns, secs, attr in (
            (conv["first_apology"], c.turns_to_apology, c.seconds_to_apology, "with_apology"),
            (conv["first_remedy"], c.turns_to_remedy, c.seconds_to_remedy, "with_remedy"),
        ):
            if delay["found"]:
                setattr(c, attr, getattr(c, attr) + 1)
                turns.append(int(delay["agent_turns"]))
                if delay.get("seconds") is not None:
                    secs.append(float(delay["seconds"]))
        c.followed_up += conv.get("followed_up") is not None
        c.with_evasion_after_complaint += bool(conv.get("evasions_after_complaint"))
        c.timeliness_hist[_bin(float(conv["timeliness"]["score"]))] += 1
        for turn in conv.get("agent_turns", []):
            self.add(turn["report"])

    # --- rendering ------------------------------------------------------------------------------------
    def mean(self, name: str) -> float:
        return self.sums[name] / self.n if self.n else 0.0

    def top_rules(self, table: dict[str, RuleStats]) -> list[RuleStats]:
        return sorted(table.values(), key=lambda s: (-s.reports, s.rule_id))[: self.top]

    def to_markdown(self) -> str:
        out = [f"# {self.title}", ""]
        out.append(f"{self.n:,} reports scored, {self.errors:,} records failed; "
                   f"{self.evasive:,} evasive ({_pct(self.evasive, self.n)}).")
        out += ["", "## Mean scores", "", "| | " + " | ".join(SCORES) + " |", "|---|" + "---:|" * len(SCORES)]
        out.append("| all | " + " | ".join(f"{self.mean(s):.1f}" for s in SCORES) + " |")
        out += ["", "## Grades", "", "| grade | reports | share |", "|---|---:|---:|"]
        out += [f"| {g} | {self.grades[g]:,} | {_pct(self.grades[g], self.n)} |" for g in GRADES]
        out += ["", "## Distributions", ""]
        for name in SCORES:
            out += [f"### {name}", "", "| score | reports | |", "|---|---:|---|"]
            peak = max(self.hist[name]) or 1
            for i, count in enumerate(self.hist[name]):
                out.append(f"| {_bin_label(i)} | {count:,} | {'█' * round(20 * count / peak)} |")
            out.append("")
        out += ["## Per language", "", "| language | reports | " + " | ".join(SCORES) + " | evasive | grades |",
                "|---|---:|" + "---:|" * len(SCORES) + "---:|---|"]
        for lang, ls in sorted(self.languages.items()):
            means = " | ".join(f"{ls.sums[s] / ls.n:.1f}" for s in SCORES)
            grades = ", ".join(f"{g} {ls.grades[g]}" for g in GRADES if ls.grades[g])
            out.append(f"| {lang} | {ls.n:,} | {means} | {_pct(ls.evasive, ls.n)} | {grades} |")
        for heading, table in (("Most frequent rules", self.rules), ("Most frequent evasions", self.evasions)):
            out += ["", f"## {heading}", ""]
            rows = self.top_rules(table)
            if not rows:
                out.append("None.")
                continue
            out += ["| rule | dimension | reports | examples |", "|---|---|---:|---|"]
            for s in rows:
                ex = "; ".join(_md_cell(e) for e in s.examples)
                out.append(f"| {s.rule_id} | {s.dimension} | {s.reports:,} ({_pct(s.reports, self.n)}) | {ex} |")
        if self.conversations is not None:
            out += ["", "## Conversations", ""]
            out += [f"- {label}: {value}" for label, value in self._conversation_rows()]
        return "\n".join(out) + "\n"

    def _conversation_rows(self) -> list[tuple[str, str]]:
        c = self.conversations
        assert c is not None
        return [
            ("conversations", f"{c.n:,}"),
            ("with an apology", f"{c.with_apology:,} ({_pct(c.with_apology, c.n)})"),
            ("with a concrete remedy", f"{c.with_remedy:,} ({_pct(c.with_remedy, c.n)})"),
            ("agent followed up", f"{c.followed_up:,} ({_pct(c.followed_up, c.n)})"),
            ("evasion right after a complaint", f"{c.with_evasion_after_complaint:,} "
                                                f"({_pct(c.with_evasion_after_complaint, c.n)})"),
            ("median agent replies to the apology", _median(c.turns_to_apology)),
            ("median agent replies to the remedy", _median(c.turns_to_remedy)),
            ("median seconds to the apology", _median(c.seconds_to_apology)),
            ("median seconds to the remedy", _median(c.seconds_to_remedy)),
        ]

    def to_html(self) -> str:
        e = html.escape
        charts = _charts(self)
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(self.title)}</title>",
            f"<style>{_CSS}</style></head><body>",
            f"<h1>{e(self.title)}</h1>",
            f"<p>{self.n:,} reports scored, {self.errors:,} records failed; {self.evasive:,} evasive "
            f"({_pct(self.evasive, self.n)}).</p>",
            "<h2>Distributions</h2>",
            charts["hist"],
            "<h2>Grades</h2>",
            charts["grades"],
            "<table><tr><th>grade</th><th>reports</th><th>share</th></tr>",
            *(f"<tr><td>{g}</td><td>{self.grades[g]:,}</td><td>{_pct(self.grades[g], self.n)}</td></tr>"
              for g in GRADES),
            "</table>",
            "<h2>Per language</h2>",
            charts["languages"],
            "<table><tr><th>language</th><th>reports</th>" + "".join(f"<th>{s}</th>" for s in SCORES)
            + "<th>evasive</th></tr>",
        ]
        for lang, ls in sorted(self.languages.items()):
            cells = "".join(f"<td>{ls.sums[s] / ls.n:.1f}</td>" for s in SCORES)
            parts.append(f"<tr><td>{e(lang)}</td><td>{ls.n:,}</td>{cells}<td>{_pct(ls.evasive, ls.n)}</td></tr>")
        parts.append("</table>")
        for heading, table in (("Most frequent rules", self.rules), ("Most frequent evasions", self.evasions)):
            parts.append(f"<h2>{heading}</h2>")
            rows = self.top_rules(table)
            if not rows:
                parts.append("<p>None.</p>")
                continue
            parts.append("<table><tr><th>rule</th><th>dimension</th><th>reports</th><th>message</th>"
                         "<th>example spans</th></tr>")
            for s in rows:
                ex = "<br>".join(_html_example(x) for x in s.examples)
                parts.append(f"<tr><td><code>{e(s.rule_id)}</code></td><td>{e(s.dimension)}</td>"
                             f"<td>{s.reports:,} ({_pct(s.reports, self.n)})</td><td>{e(s.message)}</td>"
                             f"<td>{ex}</td></tr>")
            parts.append("</table>")
        if self.conversations is not None:
            parts.append("<h2>Conversations</h2><table>")
            parts += [f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in self._conversation_rows()]
            parts.append("</table>")
            parts.append(charts.get("conversations", ""))
        parts.append("</body></html>")
        return "\n".join(parts) + "\n"

    def write(self, path: str | Path) -> None:
        """Write ``.md`` or ``.html`` (by the extension)."""
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix == ".md":
            p.write_text(self.to_markdown(), encoding="utf-8")
        elif suffix in (".html", ".htm"):
            p.write_text(self.to_html(), encoding="utf-8")
        else:
            raise ValueError(f"{path}: a summary is .md or .html")


def summarize(reports: Iterable[ScoreReport | Mapping[str, Any]], **kwargs: Any) -> CorpusSummary:
    """A summary of the reports."""
    s = CorpusSummary(**kwargs)
    for r in reports:
        s.add(r)
    return s


def summarize_output(output: Path, dest: Path, *, transcripts: bool = False, errors: int = 0) -> CorpusSummary:
    """Summarize an ``apology-score batch`` output file (streaming) and write it to ``dest``."""
    s = CorpusSummary()
    s.errors = errors
    with open(output, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rep = json.loads(line)["report"]
            if transcripts:
                s.add_conversation(rep)
            else:
                s.add(rep)
    s.write(dest)
    return s


# --- helpers -----------------------------------------------------------------------------------------


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "0%"


def _median(values: list[int] | list[float]) -> str:
    return f"{statistics.median(values):g}" if values else "n/a"


def _bin_label(i: int) -> str:
    width = 100 // BINS
    return f"{i * width}–{100 if i == BINS - 1 else (i + 1) * width - 1}"


def _example(text: str, start: int, end: int) -> str:
    """The span marked «like this» with a little context on each side."""
    left = text[max(0, start - CONTEXT_CHARS):start]
    right = text[end:end + CONTEXT_CHARS]
    pre = "…" if start > CONTEXT_CHARS else ""
    post = "…" if end + CONTEXT_CHARS < len(text) else ""
    return re.sub(r"\s+", " ", f"{pre}{left}«{text[start:end]}»{right}{post}")


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _html_example(s: str) -> str:
    escaped = html.escape(s)
    return escaped.replace("«", "<mark>").replace("»", "</mark>")


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;
vertical-align:top}th{background:#f3f3f3}mark{background:#ffe28a}svg{max-width:100%;height:auto}
.bar{background:#4c72b0;height:.9em;display:inline-block}
"""


# --- charts ------------------------------------------------------------------------------------------


def _charts(s: CorpusSummary) -> dict[str, str]:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return _fallback_charts(s)
    out: dict[str, str] = {}
    fig = Figure(figsize=(12, 2.6))
    axes = fig.subplots(1, len(SCORES), sharey=True)
    centers = [i * 100 / BINS + 100 / BINS / 2 for i in range(BINS)]
    for ax, name in zip(axes, SCORES, strict=True):
        ax.bar(centers, s.hist[name], width=100 / BINS * 0.9, color="#4c72b0")
        ax.set_title(name, fontsize=10)
        ax.set_xlim(0, 100)
        ax.set_xlabel("score", fontsize=8)
        ax.tick_params(labelsize=8)
    axes[0].set_ylabel("reports", fontsize=8)
    fig.tight_layout()
    out["hist"] = _svg(fig)

    fig = Figure(figsize=(4, 2.4))
    ax = fig.subplots()
    ax.bar(list(GRADES), [s.grades[g] for g in GRADES], color="#55a868")
    ax.set_ylabel("reports", fontsize=8)
    ax.tick_params(labelsize=8)
    fig.tight_layout()
    out["grades"] = _svg(fig)

    langs = sorted(s.languages)
    fig = Figure(figsize=(7, 2.6))
    ax = fig.subplots()
    width = 0.8 / max(1, len(langs))
    for j, lang in enumerate(langs):
        ls = s.languages[lang]
        ax.bar([i + j * width for i in range(len(SCORES))], [ls.sums[n] / ls.n for n in SCORES], width=width,
               label=f"{lang} (n={ls.n:,})")
    ax.set_xticks([i + width * (len(langs) - 1) / 2 for i in range(len(SCORES))], list(SCORES))
    ax.set_ylim(0, 100)
    ax.set_ylabel("mean score", fontsize=8)
    ax.tick_params(labelsize=8)
    if langs:
        ax.legend(fontsize=8)
    fig.tight_layout()
    out["languages"] = _svg(fig)

    if s.conversations is not None:
        fig = Figure(figsize=(4, 2.4))
        ax = fig.subplots()
        ax.bar(centers, s.conversations.timeliness_hist, width=100 / BINS * 0.9, color="#c44e52")
        ax.set_title("conversation timeliness", fontsize=10)
        ax.set_xlim(0, 100)
        ax.tick_params(labelsize=8)
        fig.tight_layout()
        out["conversations"] = _svg(fig)
    return out


def _svg(fig: Any) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "apology-score"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML declaration and the DOCTYPE (which names a remote DTD)
    return re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)


def _fallback_charts(s: CorpusSummary) -> dict[str, str]:
    note = "<p><em>Install matplotlib (pip install 'apology-score[html]') for charts.</em></p>"

    def bars(label_counts: list[tuple[str, int]]) -> str:
        peak = max((c for _, c in label_counts), default=0) or 1
        rows = "".join(f'<tr><td>{html.escape(k)}</td><td>{c:,}</td><td><span class="bar" '
                       f'style="width:{200 * c / peak:.0f}px"></span></td></tr>' for k, c in label_counts)
        return f"<table>{rows}</table>"

    hist = "".join(f"<h3>{n}</h3>" + bars([(_bin_label(i), c) for i, c in enumerate(s.hist[n])]) for n in SCORES)
    return {"hist": note + hist, "grades": "", "languages": ""}
