"""Self-contained HTML pages: one scored reply, and a template library check.

Both pages work offline: CSS is inline, there are no fonts, images or scripts from anywhere else, and a
Content-Security-Policy forbids loading anything (the check page's one inline sorting script is allowed by
its hash). All text that comes from users -- the reply, template sources, messages -- is escaped.

Evidence is drawn as ``<mark class="ev ...">`` elements over the reply: the colour names the dimension, the
underline style says which way it counted without relying on colour (solid: earned points, dashed: cost
points, dotted: counted zero), and every finding carries a hover title and an inline label with its rule id
and signed points (``SIN-ZH-IFID +50``; evasions are prefixed with ``⚠``). Overlapping findings nest; when
two findings cross, the inner one is split into pieces that share ``data-f`` (the finding's index in
``report.findings``), the first piece has ``id="f<index>"`` and the last one carries the label.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from apology_score.report import DIMENSION_NAMES, Finding, ScoreReport

if TYPE_CHECKING:
    from apology_score.checking import CheckRun, TemplateResult

__all__ = ["DIMENSION_COLOURS", "highlight_html", "render_check_html", "render_report_html"]

#: Dimension -> (line/swatch colour, darker ink for text, translucent background). Okabe-Ito palette,
#: distinguishable with the common colour-vision deficiencies.
DIMENSION_COLOURS: dict[str, tuple[str, str, str]] = {
    "timeliness": ("#0072B2", "#00507d", "rgba(0,114,178,.16)"),
    "sincerity": ("#CC79A7", "#8e3b6e", "rgba(204,121,167,.20)"),
    "specificity": ("#E69F00", "#7a5200", "rgba(230,159,0,.20)"),
    "remedy": ("#009E73", "#00664a", "rgba(0,158,115,.17)"),
    "evasion": ("#D55E00", "#9c3d00", "rgba(213,94,0,.18)"),
}

_MINUS = "\u2212"

_CSS = """
:root{color-scheme:light;--fg:#1d2125;--muted:#5b636b;--line:#d9dde1;--bg:#fff;--panel:#f6f7f8}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
 font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC",
 "Microsoft YaHei","WenQuanYi Micro Hei",sans-serif}
main{max-width:1100px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:1.35em;margin:0 0 4px}h2{font-size:1.1em;margin:22px 0 8px}
.meta{color:var(--muted);font-size:.85em;margin:0}
.meta code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.top{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap;margin-top:16px}
.overall{display:flex;align-items:center;gap:14px;padding:12px 18px;border:1px solid var(--line);
 border-radius:10px;background:var(--panel);min-width:230px}
.overall .num{font-size:2.4em;font-weight:700;line-height:1}
.overall .of{color:var(--muted);font-size:.8em}
.grade{font-size:1.9em;font-weight:700;width:1.7em;height:1.7em;display:flex;align-items:center;
 justify-content:center;border-radius:8px;color:#fff}
.grade-A{background:#1b7a3d}.grade-B{background:#4d8a1f}.grade-C{background:#9a6a00}
.grade-D{background:#b5540b}.grade-F{background:#b3261e}
.dims{flex:1;min-width:320px;display:grid;gap:8px}
.dim-head{display:flex;gap:8px;align-items:baseline;font-size:.92em}
.dim-head .num{margin-left:auto;font-weight:700}.dim-head .lvl{color:var(--muted);font-size:.85em}
.bar{height:12px;border-radius:6px;background:#e7eaed;overflow:hidden;border:1px solid #cfd4d9}
.fill{display:block;height:100%}
.swatch{display:inline-block;width:.9em;height:.9em;border-radius:2px;vertical-align:-1px}
.breakdown{color:var(--muted);font-size:.85em;margin-top:6px}
.reply{white-space:pre-wrap;overflow-wrap:anywhere;font-size:1.12em;line-height:2.7;padding:10px 16px;
 border:1px solid var(--line);border-radius:10px;background:#fff;margin:0}
mark.ev{color:inherit;background:var(--tint);border-bottom:2px solid var(--c);padding:0 0 1px;
 border-radius:2px}
mark.ev.neg{border-bottom-style:dashed}
mark.ev.zero{border-bottom-style:dotted}
mark.ev.d1{padding-bottom:5px}mark.ev.d2{padding-bottom:9px}mark.ev.d3{padding-bottom:13px}
mark.ev.end::after{content:attr(data-label);font:600 .62em/1.2 ui-monospace,SFMono-Regular,Menlo,Consolas,
 monospace;color:var(--ink);background:#fff;border:1px solid var(--c);border-radius:3px;padding:0 3px;
 margin:0 2px 0 3px;vertical-align:super;white-space:nowrap;font-style:normal}
mark.ev.neg.end::after{border-style:dashed}
mark.ev.zero.end::after{border-style:dotted;border-color:#9aa3ab;color:#5b636b;font-weight:400}
#hide-zero:checked~.reply mark.ev.zero::after,#hide-zero:checked~* .reply mark.ev.zero::after{display:none}
.overall-wrap{flex:0 0 300px}
.nowrap,td.mono{white-space:nowrap}
.toggle:not(:checked)~.reply mark.ev::after,.toggle:not(:checked)~* .reply mark.ev::after{display:none}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:.85em;color:var(--muted);margin:6px 0 10px}
.legend mark.ev{padding:0 3px}
.callout{border:1px solid #e0a98a;border-left:6px solid #D55E00;background:#fff6f0;border-radius:8px;
 padding:8px 14px;margin:8px 0}
.callout.ok{border-color:#b9dcc9;border-left-color:#009E73;background:#f3fbf7}
.callout h2{margin:4px 0 6px}
.callout ul{margin:4px 0;padding-left:20px}
table{border-collapse:collapse;width:100%;font-size:.88em}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);position:sticky;top:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.pts-pos{color:#1b6b3a}.pts-neg{color:#a1261b}
.pill{display:inline-block;padding:0 7px;border-radius:9px;font-size:.85em;font-weight:600;border:1px solid}
.pass .pill.res{color:#1b6b3a;border-color:#1b6b3a;background:#eef8f1}
.fail .pill.res{color:#a1261b;border-color:#a1261b;background:#fdeeee}
.error .pill.res{color:#7a5200;border-color:#7a5200;background:#fff6e0}
th button{all:unset;cursor:pointer;font-weight:600}
th button:focus-visible{outline:2px solid #0072B2}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
details>summary{cursor:pointer}
details .reply{margin:8px 0;font-size:1.05em}
/* the opened template spans the whole table width without widening its column */
.detail-wrap{width:0}
.detail-body{width:min(calc(100vw - 84px),1036px);background:#fff;padding:2px 0 8px}
.pill{white-space:nowrap}
#templates td:first-child{min-width:260px}
.counts{display:flex;gap:10px;flex-wrap:wrap;margin:12px 0}
.counts .box{border:1px solid var(--line);border-radius:8px;padding:6px 14px;background:var(--panel)}
.counts .box b{font-size:1.4em;display:block}
.small{font-size:.85em;color:var(--muted)}
footer{margin-top:28px;color:var(--muted);font-size:.8em}
#only-failed:checked~table tbody tr.pass{display:none}
.pill[class*=grade-]{color:#fff;border-color:transparent}
"""


def _dimension_css() -> str:
    rules = []
    for dim, (colour, ink, tint) in DIMENSION_COLOURS.items():
        rules.append(f".dim-{dim}{{--c:{colour};--ink:{ink};--tint:{tint}}}")
        rules.append(f".fill.dim-{dim},.swatch.dim-{dim}{{background:{colour}}}")
    return "\n".join(rules)


_SORT_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.querySelectorAll("thead th");
  heads.forEach(function (th, col) {
    var button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var numeric = th.dataset.type === "num";
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      function key(row) {
        var v = row.cells[col].dataset.sort;
        if (numeric) { var x = parseFloat(v); return isNaN(x) ? -Infinity : x; }
        return v || "";
      }
      rows.sort(function (a, b) {
        var ka = key(a), kb = key(b);
        var c = numeric ? ka - kb : String(ka).localeCompare(String(kb));
        if (c === 0) c = Number(a.dataset.index) - Number(b.dataset.index);
        else if (!asc) c = -c;
        return c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _esc(value: object) -> str:
    """Escape text for element content and quoted attributes (lone surrogates become U+FFFD)."""
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    return html.escape(text, quote=True)


def _points(x: float) -> str:
    """Signed points for display: +50, −12.5, ±0."""
    if x == 0:
        return "±0"
    mag = f"{abs(x):.1f}".rstrip("0").rstrip(".")
    return ("+" if x > 0 else _MINUS) + mag


def _polarity(f: Finding) -> str:
    if f.dimension == "evasion" or f.contribution < 0:
        return "neg"
    return "pos" if f.contribution > 0 else "zero"


def _label(f: Finding) -> str:
    prefix = "⚠ " if f.dimension == "evasion" else ""
    return f"{prefix}{f.rule_id} {_points(f.contribution)}"


def _title(f: Finding) -> str:
    where = "overall (evasion)" if f.dimension == "evasion" else f.dimension
    title = f"{f.rule_id} · {where} {_points(f.contribution)} · {f.severity}: {f.message}"
    if f.note:
        title += f" ({f.note})"
    return title


def highlight_html(text: str, findings: Sequence[Finding], *, id_prefix: str = "f") -> str:
    """The text as HTML with one ``<mark>`` per finding (pieces when findings cross), all escaped.

    ``findings[i]`` is drawn with ``data-f="i"``; its first piece gets ``id="{id_prefix}{i}"``. Findings
    that share a start nest longest-outside; a finding that ends inside another one's extent but started
    before it is split so that the markup stays well formed.
    """
    n = len(text)
    spans = [(max(0, min(f.start, n)), max(0, min(f.end, n))) for f in findings]
    spans = [(s, max(s, e)) for s, e in spans]
    starting: dict[int, list[int]] = {}
    for i, (s, _e) in enumerate(spans):
        starting.setdefault(s, []).append(i)
    bounds = sorted({0, n, *(s for s, _ in spans), *(e for _, e in spans)})
    out: list[str] = []
    stack: list[int] = []
    opened: set[int] = set()

    def open_tag(i: int, depth: int) -> str:
        f = findings[i]
        classes = ["ev", f"dim-{f.dimension}", _polarity(f), f"d{min(depth, 3)}"]
        first = i not in opened
        opened.add(i)
        if spans[i][0] == spans[i][1]:
            classes.append("end")
        attrs = [f'class="{" ".join(classes)}"', f'data-f="{i}"', f'data-rule="{_esc(f.rule_id)}"']
        attrs.append(f'data-dimension="{f.dimension}"')
        if first:
            attrs.append(f'id="{_esc(id_prefix)}{i}"')
        attrs.append(f'data-label="{_esc(_label(f))}"')
        attrs.append(f'title="{_esc(_title(f))}"')
        return "<mark " + " ".join(attrs) + ">"

    open_at: dict[int, int] = {}  # finding -> index in ``out`` of its currently open piece

    def push(i: int) -> None:
        open_at[i] = len(out)
        out.append(open_tag(i, len(stack)))
        stack.append(i)

    pos = 0
    for b in bounds:
        if b > pos:
            out.append(_esc(text[pos:b]))
            pos = b
        ending = [i for i in stack if spans[i][1] == b]
        if ending:
            # close everything down to the lowest finding that ends here, then reopen the others
            k = min(stack.index(i) for i in ending)
            above = stack[k:]
            del stack[k:]
            out.extend("</mark>" for _ in above)
            for i in ending:  # this piece is its last one: it carries the label
                out[open_at[i]] = out[open_at[i]].replace('class="ev ', 'class="ev end ', 1)
            for i in sorted((i for i in above if spans[i][1] != b), key=lambda i: (-spans[i][1], i)):
                push(i)
        for i in sorted(starting.get(b, []), key=lambda i: (-spans[i][1], i)):
            if spans[i][0] == spans[i][1]:
                out.append(open_tag(i, len(stack)) + "</mark>")
            else:
                push(i)
    return "".join(out)


def _page(title: str, body: str, *, script: str | None = None) -> str:
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    if script is not None:
        csp += f"; script-src {_script_hash(script)}"
    script_html = f"<script>{script}</script>" if script is not None else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_esc(title)}</title>\n"
        f"<style>{_CSS}{_dimension_css()}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
        f"{script_html}\n</body>\n</html>\n"
    )


def _text_lang(report: ScoreReport) -> str:
    return "en" if report.language == "en" else "zh"


def _reply_block(report: ScoreReport, *, id_prefix: str = "f", element_id: str | None = None) -> str:
    marked = highlight_html(report.text, report.findings, id_prefix=id_prefix)
    ident = f' id="{_esc(element_id)}"' if element_id else ""
    return f'<p class="reply"{ident} lang="{_text_lang(report)}">{marked}</p>'


def _legend() -> str:
    items = [f'<span><mark class="ev dim-{dim} pos">{dim}</mark></span>' for dim in DIMENSION_NAMES]
    items.append('<span><mark class="ev dim-evasion neg">evasion</mark></span>')
    items.append('<span><mark class="ev dim-remedy pos">solid</mark> earned points (+)</span>')
    items.append('<span><mark class="ev dim-remedy neg">dashed</mark> cost points (−)</span>')
    items.append('<span><mark class="ev dim-remedy zero">dotted</mark> counted zero (±0)</span>')
    return '<div class="legend" aria-label="legend">' + "".join(items) + "</div>"


def _dimension_bars(report: ScoreReport) -> str:
    rows = []
    for name in DIMENSION_NAMES:
        dim = report.dimensions.get(name)
        if dim is None:
            continue
        width = max(0.0, min(100.0, dim.score))
        rows.append(
            f'<div class="dim" data-dimension="{name}">'
            f'<div class="dim-head"><span class="swatch dim-{name}" aria-hidden="true"></span>'
            f'<b>{name}</b><span class="lvl">level {dim.level}/4</span>'
            f'<span class="num">{dim.score:.1f}</span></div>'
            f'<div class="bar" role="meter" aria-label="{name}" aria-valuemin="0" aria-valuemax="100" '
            f'aria-valuenow="{dim.score:.1f}"><span class="fill dim-{name}" style="width:{width:.1f}%">'
            "</span></div></div>"
        )
    return '<div class="dims">' + "".join(rows) + "</div>"


def _overall(report: ScoreReport) -> str:
    b = report.overall_breakdown
    parts = " + ".join(f"{_esc(k)} {v:.1f}" for k, v in b.weighted.items())
    extra = ""
    if b.evasion_penalty:
        extra += f" · evasions {_points(b.evasion_penalty)}"
    if b.clipped:
        extra += f" · clipped {_points(b.clipped)}"
    return (
        '<div class="overall-wrap"><div class="overall">'
        f'<div class="grade grade-{report.grade}" aria-label="grade {report.grade}">{report.grade}</div>'
        f'<div><div class="num" id="overall">{report.overall:.1f}</div>'
        '<div class="of">overall / 100</div></div>'
        f'</div><div class="breakdown">= {parts}{extra}</div></div>'
    )


def _evasions(report: ScoreReport, *, id_prefix: str = "f") -> str:
    if not report.evasions:
        return (
            '<section class="callout ok evasions"><h2>Evasions</h2>'
            "<p>✓ No evasion found (no denial, blame-shifting, hiding behind rules or deflecting).</p>"
            "</section>"
        )
    index = {id(f): i for i, f in enumerate(report.findings)}
    items = []
    for f in report.evasions:
        anchor = index.get(id(f))
        quote = f"“{_esc(f.text)}”"
        if anchor is not None:
            quote = f'<a href="#{_esc(id_prefix)}{anchor}">{quote}</a>'
        note = f' <span class="small">({_esc(f.note)})</span>' if f.note else ""
        items.append(
            f'<li>⚠ {quote} — {_esc(f.message)} <span class="mono">{_esc(f.rule_id)}</span>, '
            f'<span class="pts-neg">{_points(f.contribution)}</span> overall{note}</li>'
        )
    return (
        f'<section class="callout evasions" role="note"><h2>⚠ Evasions ({len(report.evasions)})</h2>'
        "<ul>" + "".join(items) + "</ul></section>"
    )


def _list_section(title: str, items: Iterable[str], empty: str, *, cls: str, ordered: bool = False) -> str:
    entries = [f"<li>{_esc(item)}</li>" for item in items]
    if not entries:
        return f'<section class="{cls}"><h2>{_esc(title)}</h2><p class="small">{_esc(empty)}</p></section>'
    tag = "ol" if ordered else "ul"
    return f'<section class="{cls}"><h2>{_esc(title)}</h2><{tag}>' + "".join(entries) + f"</{tag}></section>"


def _findings_table(report: ScoreReport, *, id_prefix: str = "f") -> str:
    findings = report.findings
    if not findings:
        return '<section class="findings"><h2>Findings</h2><p class="small">No rule fired.</p></section>'
    rows = []
    for i, f in enumerate(findings):
        cls = "pts-pos" if f.contribution > 0 else "pts-neg" if f.contribution < 0 else ""
        where = "overall" if f.dimension == "evasion" else f.dimension
        rows.append(
            f'<tr data-f="{i}"><td><a href="#{_esc(id_prefix)}{i}">“{_esc(f.text)}”</a></td>'
            f'<td class="mono">{_esc(f.rule_id)}</td>'
            f'<td class="nowrap"><span class="swatch dim-{f.dimension}" aria-hidden="true"></span> '
            f"{_esc(where)}</td>"
            f'<td class="n {cls}">{_points(f.contribution)}</td><td>{_esc(f.severity)}</td>'
            f'<td>{_esc(f.message)}</td><td class="small">{_esc(f.note or "")}</td>'
            f'<td class="n small mono">{f.start}–{f.end}</td></tr>'
        )
    return (
        '<section class="findings"><h2>Findings</h2><table class="findings-table"><thead><tr>'
        '<th>span</th><th>rule</th><th>counts for</th><th class="n">points</th><th>severity</th>'
        '<th>message</th><th>note</th><th class="n">offsets</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></section>"
    )


def render_report_html(report: ScoreReport) -> str:
    """The single-reply page: highlighted evidence, the four dimension bars, overall and grade, evasions,
    suggestions and every finding, as one self-contained HTML document."""
    rs = report.ruleset
    body = [
        "<header><h1>Apology score report</h1>"
        f'<p class="meta">language <b>{_esc(report.language)}</b> · ruleset '
        f"<code>{_esc(rs.name)}@{_esc(rs.version)}+{_esc(rs.content_hash)}</code> · apology-score "
        f"{_esc(report.scorer_version)}</p></header>",
        f'<div class="top">{_overall(report)}{_dimension_bars(report)}</div>',
        _evasions(report),
        '<section class="evidence"><h2>The reply, with its evidence</h2>',
        _legend(),
        '<input type="checkbox" class="toggle" id="show-labels" checked> '
        '<label for="show-labels" class="small">show rule labels</label> '
        '<input type="checkbox" id="hide-zero"> '
        '<label for="hide-zero" class="small">hide labels of findings that counted ±0</label>',
        _reply_block(report, element_id="reply"),
        "</section>",
        _list_section(
            "Suggestions", report.suggestions, "Nothing to improve.", cls="suggestions", ordered=True
        ),
    ]
    if report.notes:
        body.append(_list_section("Notes", report.notes, "", cls="notes"))
    body.append(_findings_table(report))
    body.append(
        "<footer>Generated by apology-score. Hover a highlight for its rule and message; every point in the "
        "scores above comes from one of the findings listed.</footer>"
    )
    return _page(f"Apology score {report.overall:.1f} ({report.grade})", "\n".join(body))


# --- template library check ------------------------------------------------------------------------------


def _result_state(r: TemplateResult) -> str:
    if r.report is None:
        return "error"
    return "pass" if r.passed else "fail"


def _check_row(index: int, r: TemplateResult) -> str:
    state = _result_state(r)
    report = r.report
    prefix = f"t{index}-f"
    where = _esc(r.where())
    location = _esc(r.location)
    parts = [f'<p class="small">{where} · {_esc(r.source_type)} · {location}</p>']
    if r.failures:
        parts.append('<ul class="failures">' + "".join(f"<li>✗ {_esc(x)}</li>" for x in r.failures) + "</ul>")
    if r.error:
        parts.append(f'<p class="callout">Could not score: {_esc(r.error)}</p>')
    if report is not None:
        parts.append(_reply_block(report, id_prefix=prefix))
        if report.evasions:
            parts.append(_evasions(report, id_prefix=prefix))
        if report.suggestions:
            parts.append(
                '<p class="small"><b>Suggestions</b></p><ol class="small">'
                + "".join(f"<li>{_esc(s)}</li>" for s in report.suggestions)
                + "</ol>"
            )
    else:
        parts.append(f'<p class="reply">{_esc(r.text)}</p>')
    extra = []
    if r.suppressed:
        extra.append("suppressed inline: " + ", ".join(r.suppressed))
    if r.ignored:
        extra.append("ignored for this file: " + ", ".join(r.ignored))
    if extra:
        parts.append(f'<p class="small">{_esc("; ".join(extra))}</p>')
    preview = r.text.strip().replace("\n", " ")
    if len(preview) > 90:
        preview = preview[:89] + "…"
    cells = [
        f'<td data-sort="{_esc(r.where().lower())}"><details><summary>'
        f'<span class="mono small">{where}</span> '
        f'<span class="small">{location}</span><br>{_esc(preview)}</summary>'
        f'<div class="detail-wrap"><div class="detail-body">{"".join(parts)}</div></div></details></td>'
    ]
    if report is not None:
        cells.append(f'<td class="n" data-sort="{report.overall:.4f}"><b>{report.overall:.1f}</b></td>')
        cells.append(
            f'<td data-sort="{report.grade}">'
            f'<span class="pill grade-{report.grade}">{report.grade}</span></td>'
        )
        for name in DIMENSION_NAMES:
            dim = report.dimensions.get(name)
            value = dim.score if dim is not None else 0.0
            cells.append(f'<td class="n" data-sort="{value:.4f}">{value:.1f}</td>')
        cells.append(f'<td class="n" data-sort="{len(report.evasions)}">{len(report.evasions) or ""}</td>')
    else:
        cells.append('<td class="n" data-sort="">—</td><td data-sort="">—</td>')
        cells.extend('<td class="n" data-sort="">—</td>' for _ in DIMENSION_NAMES)
        cells.append('<td class="n" data-sort="">—</td>')
    mark = {"pass": "✓ pass", "fail": "✗ fail", "error": "! error"}[state]
    reasons = _esc("; ".join(r.failures or ([r.error] if r.error else [])))
    title = f' title="{reasons}"' if reasons else ""
    order = {"fail": 0, "error": 1, "pass": 2}[state]
    cells.append(f'<td data-sort="{order}"{title}><span class="pill res">{mark}</span></td>')
    return f'<tr class="{state}" data-index="{index}">' + "".join(cells) + "</tr>"


def _thresholds(run: CheckRun) -> str:
    t = run.thresholds
    items = [f"overall ≥ {t.min_score:g}" if t.min_score else "no minimum overall"]
    items.extend(f"{_esc(k)} ≥ {v:g}" for k, v in t.min_dimension.items())
    items.append("any evasion fails" if t.fail_on_evasion else "evasions do not fail by themselves")
    if t.fail_on_severity:
        items.append(f"a finding of severity {_esc(t.fail_on_severity)} or worse fails")
    return '<p class="small">Pass when: ' + " · ".join(items) + "</p>"


def render_check_html(run: CheckRun) -> str:
    """The template library page: counts, thresholds, a sortable table of every template with its scores
    and pass/fail, each template's highlighted text in a ``<details>`` element, and the errors."""
    c = run.counts
    boxes = [
        ("templates", c.templates),
        ("passed", c.passed),
        ("failed", c.failed),
        ("errors", c.errors),
        ("files", c.files),
    ]
    if c.unused_suppressions:
        boxes.append(("unused suppressions", c.unused_suppressions))
    ruleset = ""
    if run.ruleset is not None:
        rs = run.ruleset
        ruleset = f" · ruleset <code>{_esc(rs.name)}@{_esc(rs.version)}+{_esc(rs.content_hash)}</code>"
    config = f" · config <code>{_esc(run.config_file)}</code>" if run.config_file else ""
    body = [
        "<header><h1>Template check</h1>"
        f'<p class="meta">{_esc(" ".join(run.paths))}{config}{ruleset} · apology-score '
        f"{_esc(run.scorer_version)}</p></header>",
        '<div class="counts">'
        + "".join(f'<div class="box" data-count="{k}"><b>{v}</b>{_esc(k)}</div>' for k, v in boxes)
        + "</div>",
        _thresholds(run),
    ]
    if run.errors:
        rows = "".join(
            f'<tr><td class="mono">{_esc(e.where())}</td><td>{_esc(e.kind)}</td>'
            f"<td>{_esc(e.message)}</td></tr>"
            for e in run.errors
        )
        body.append(
            '<section class="callout errors"><h2>Errors</h2><table><thead><tr><th>where</th><th>kind</th>'
            f"<th>message</th></tr></thead><tbody>{rows}</tbody></table></section>"
        )
    unused = [s for s in run.unused_suppressions if s.unused]
    if unused:
        body.append(
            '<section class="callout unused"><h2>Unused suppressions</h2><ul>'
            + "".join(
                f'<li><span class="mono">{_esc(s.source)}:{s.line}</span> ignore[{_esc(", ".join(s.unused))}]'
                " matched nothing</li>"
                for s in unused
            )
            + "</ul></section>"
        )
    if run.results:
        heads = ['<th scope="col" data-type="text"><button type="button">template</button></th>']
        heads.append('<th scope="col" class="n" data-type="num"><button type="button">overall</button></th>')
        heads.append('<th scope="col" data-type="text"><button type="button">grade</button></th>')
        heads.extend(
            f'<th scope="col" class="n" data-type="num"><button type="button">{name}</button></th>'
            for name in DIMENSION_NAMES
        )
        heads.append('<th scope="col" class="n" data-type="num"><button type="button">evasions</button></th>')
        heads.append('<th scope="col" data-type="num"><button type="button">result</button></th>')
        rows = "\n".join(_check_row(i, r) for i, r in enumerate(run.results))
        body.append(
            '<section class="results"><h2>Templates</h2>'
            '<p class="small">Click a column heading to sort; '
            "open a template to see its highlighted text.</p>"
            '<input type="checkbox" class="toggle" id="show-labels" checked> '
            '<label for="show-labels" class="small">show rule labels</label> '
            '<input type="checkbox" id="hide-zero"> '
            '<label for="hide-zero" class="small">hide ±0 labels</label> '
            '<input type="checkbox" id="only-failed"> '
            '<label for="only-failed" class="small">only failing</label>'
            f'<table class="sortable" id="templates"><thead><tr>{"".join(heads)}</tr></thead>'
            f"<tbody>\n{rows}\n</tbody></table></section>"
        )
    else:
        body.append('<p class="small">No templates found.</p>')
    body.append(_legend())
    body.append(
        "<footer>Generated by apology-score check. Scores are 0..100; a template passes when it meets every "
        "threshold above.</footer>"
    )
    return _page(f"Template check: {c.failed} failed of {c.templates}", "\n".join(body), script=_SORT_SCRIPT)
