"""The HTML pages: well-formed, self-contained, escaped, and every finding drawn over exactly its text."""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apology_score import score
from apology_score.checking import CheckError, CheckRun, TemplateResult, Thresholds
from apology_score.render.html import highlight_html, render_check_html, render_report_html
from apology_score.report import DIMENSION_NAMES, Finding, ScoreReport

VOID = {"meta", "br", "input", "img", "hr", "link", "col", "wbr", "source", "area", "base", "embed"}

ZH = "非常抱歉,您的订单发错了颜色,我们今天下午重新发货。这不是我们的问题,是快递的原因。"
EN = "We are so sorry we shipped the wrong colour. A replacement ships today and we refunded $12."


class Page(HTMLParser):
    """Checks nesting and collects, per ``data-f`` finding, the text drawn inside its marks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []
        self.marks: dict[int, list[dict[str, str | None]]] = {}  # finding -> attrs of each piece
        self.mark_text: dict[int, str] = {}
        self.reply_text: dict[str, str] = {}  # id of a .reply element -> its text
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        if tag in VOID:
            return
        self.stack.append((tag, a))
        if tag == "mark" and a.get("data-f") is not None:
            f = int(a["data-f"] or "-1")
            self.marks.setdefault(f, []).append(a)
            self.mark_text.setdefault(f, "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
            return
        for tag, a in self.stack:
            if tag == "mark" and a.get("data-f") is not None:
                self.mark_text[int(a["data-f"] or "-1")] += data
        for _tag, a in self.stack:
            if "reply" in (a.get("class") or "").split():
                key = a.get("id") or f"reply@{id(a)}"
                self.reply_text[key] = self.reply_text.get(key, "") + data
                break


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    p.close()
    assert not p.errors, p.errors[:5]
    assert not p.stack, f"unclosed: {[t for t, _ in p.stack]}"
    return p


def with_findings(text: str, findings: list[Finding]) -> ScoreReport:
    """A real report of ``text`` whose findings are replaced by ``findings`` (put in their dimensions)."""
    base = score(text)
    dims = {
        name: dim.model_copy(update={"findings": [f for f in findings if f.dimension == name]})
        for name, dim in base.dimensions.items()
    }
    evasions = [f for f in findings if f.dimension == "evasion"]
    return base.model_copy(update={"dimensions": dims, "evasions": evasions})


def finding(
    text: str,
    start: int,
    end: int,
    *,
    rule: str = "SIN-EN-IFID",
    dim: str = "sincerity",
    points: float = 10.0,
    message: str = "msg",
) -> Finding:
    return Finding(
        rule_id=rule,
        dimension=dim,
        cue="apology",
        start=start,
        end=end,
        text=text[start:end],  # type: ignore[arg-type]
        contribution=points,
        message=message,
        severity="info",
    )


# --- single-reply page -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [ZH, EN, "Sorry you feel that way, but that is our policy. 我们会尽快处理。"])
def test_report_page_draws_every_finding_over_its_text(text: str) -> None:
    report = score(text)
    page = parse(render_report_html(report))
    assert page.reply_text["reply"] == report.text
    findings = report.findings
    assert findings
    assert sorted(page.marks) == list(range(len(findings)))
    for i, f in enumerate(findings):
        pieces = page.marks[i]
        assert page.mark_text[i] == f.text
        assert [p.get("id") for p in pieces if p.get("id")] == [f"f{i}"]
        ends = [p for p in pieces if "end" in (p.get("class") or "").split()]
        assert len(ends) == 1 and ends[0] is pieces[-1]
        classes = (pieces[0].get("class") or "").split()
        assert f"dim-{f.dimension}" in classes
        expected = "neg" if f.dimension == "evasion" or f.contribution < 0 else "pos" if f.contribution > 0 else "zero"
        assert expected in classes
        label = pieces[-1].get("data-label") or ""
        assert f.rule_id in label
        assert f.rule_id in (pieces[0].get("title") or "") and f.message in (pieces[0].get("title") or "")


def test_report_page_shows_scores_bars_evasions_and_suggestions() -> None:
    report = score(ZH)
    assert report.evasions and report.suggestions
    html = render_report_html(report)
    page = parse(html)
    bars = {a["data-dimension"]: a for t, a in page.tags if t == "div" and (a.get("class") or "") == "dim"}
    assert sorted(bars) == sorted(DIMENSION_NAMES)
    fills = [a for t, a in page.tags if t == "span" and "fill" in (a.get("class") or "")]
    widths = sorted(float(re.search(r"width:([\d.]+)%", a["style"] or "").group(1)) for a in fills)  # type: ignore[union-attr]
    assert widths == sorted(round(report.dimensions[n].score, 1) for n in DIMENSION_NAMES)
    assert f'id="overall">{report.overall:.1f}<' in html
    assert f'class="grade grade-{report.grade}"' in html
    assert "Evasions (" in html
    callout = html.split('class="callout evasions"', 1)[1].split("</section>", 1)[0]
    targets = re.findall(r'href="#f(\d+)"', callout)
    assert len(targets) == len(report.evasions)
    for f, target in zip(report.evasions, targets, strict=True):
        assert f.rule_id in callout
        assert report.findings[int(target)] is f  # the link jumps to the evasion's highlight
    suggestions = html.split('class="suggestions"', 1)[1].split("</section>", 1)[0]
    assert suggestions.count("<li>") == len(report.suggestions)
    for text in report.suggestions:
        assert f"<li>{escape(text)}</li>" in suggestions


def test_report_without_evasions_says_so() -> None:
    html = render_report_html(score(EN))
    assert "No evasion found" in html


def test_empty_report_renders() -> None:
    report = score("")
    page = parse(render_report_html(report))
    assert page.marks == {}
    assert "No rule fired." in render_report_html(report)


def test_user_text_is_escaped() -> None:
    text = "Sorry <script>alert('x')</script> & \"quotes\" <img src=x onerror=alert(1)> we refunded it today."
    report = score(text)
    f = report.findings[0]
    evil = f.model_copy(update={"message": "<b onclick=alert(2)>m</b>", "note": '"><script>alert(3)</script>'})
    rep = with_findings(text, [evil, *report.findings[1:]])
    html = render_report_html(rep)
    page = parse(html)
    assert page.reply_text["reply"] == text
    assert not page.scripts, "user text must never become a script"
    assert not [a for t, a in page.tags if t == "img"]
    assert not any(k.startswith("on") for _, a in page.tags for k in a)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;b onclick=alert(2)&gt;" in html


def test_lone_surrogates_do_not_break_rendering() -> None:
    text = "Sorry \ud800 we refunded it today."
    html = render_report_html(score(text))
    html.encode("utf-8")  # the page is always valid UTF-8
    assert "\ufffd" in html


def test_pages_are_self_contained() -> None:
    for html in (render_report_html(score(ZH)), render_check_html(_run())):
        page = parse(html)
        assert "Content-Security-Policy" in html and "default-src 'none'" in html
        for tag, attrs in page.tags:
            assert "src" not in attrs, (tag, attrs)
            href = attrs.get("href")
            assert href is None or href.startswith("#"), href
            assert tag != "link", "no external stylesheets"
        assert "http://" not in html and "https://" not in html
        assert "@import" not in html and "url(" not in html


# --- overlapping spans -----------------------------------------------------------------------------------


def test_crossing_nested_identical_and_empty_spans() -> None:
    text = "abcdefghijklmnop"
    fs = [
        finding(text, 0, 6, rule="SIN-EN-A"),
        finding(text, 3, 9, rule="REM-EN-B", dim="remedy", points=-5),  # crosses the first
        finding(text, 4, 5, rule="SPC-EN-C", dim="specificity", points=0),  # inside both
        finding(text, 4, 5, rule="TIM-EN-D", dim="timeliness"),  # identical span
        finding(text, 7, 7, rule="EVA-EN-E", dim="evasion", points=-20),  # empty
        finding(text, 8, 16, rule="SIN-EN-F"),  # touches the end
    ]
    html = highlight_html(text, fs)
    page = parse(f'<p class="reply" id="r">{html}</p>')
    assert page.reply_text["r"] == text
    for i, f in enumerate(fs):
        assert page.mark_text[i] == f.text, (i, f)
        assert sum("end" in (p.get("class") or "").split() for p in page.marks[i]) == 1
    assert len(page.marks[1]) == 2  # the crossing one is split into two pieces
    assert "d2" in (page.marks[2][0].get("class") or "")  # nested depth is recorded


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(alphabet=st.sampled_from(list("ab <>&\"'中文\n")), min_size=0, max_size=30),
    raw=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=8),
)
def test_any_set_of_spans_renders_well_formed(text: str, raw: list[tuple[int, int]]) -> None:
    n = len(text)
    fs = [finding(text, min(a, b, n), min(max(a, b), n)) for a, b in raw]
    page = parse(f'<p class="reply" id="r">{highlight_html(text, fs)}</p>')
    assert page.reply_text.get("r", "") == text
    for i, f in enumerate(fs):
        assert page.mark_text[i] == f.text
        assert [p.get("id") for p in page.marks[i] if p.get("id")] == [f"f{i}"]


# --- template check page ---------------------------------------------------------------------------------


def _run() -> CheckRun:
    good = score(EN)
    bad = score(ZH)
    thresholds = Thresholds()
    return CheckRun(
        paths=["templates/"],
        files=["templates/a.yaml", "templates/b.txt"],
        thresholds=thresholds,
        results=[
            TemplateResult(
                source="templates/a.yaml",
                source_type="yaml",
                location="refund.late",
                line=3,
                column=5,
                text=EN,
                report=good,
                passed=True,
            ),
            TemplateResult(
                source="templates/b.txt",
                source_type="txt",
                location="block 1 <i>",
                line=1,
                text=ZH,
                report=bad,
                passed=False,
                failures=["evasion: EVA-ZH-DENY <denial>"],
                failing_rule_ids=["EVA-ZH-DENY"],
            ),
            TemplateResult(
                source="templates/b.txt",
                source_type="txt",
                location="block 2",
                line=9,
                text="x" * 10,
                report=None,
                passed=False,
                error="too long <x>",
            ),
        ],
        errors=[CheckError(source="templates/c.json", line=2, column=1, kind="parse", message="bad <json>")],
        ruleset=good.ruleset,
        scorer_version=good.scorer_version,
    )


def test_check_page_lists_templates_with_scores_and_results() -> None:
    run = _run()
    html = render_check_html(run)
    page = parse(html)
    rows = [a for t, a in page.tags if t == "tr" and a.get("data-index") is not None]
    assert [r.get("class") for r in rows] == ["pass", "fail", "error"]
    assert html.count("<details>") == 3
    # each scored template's highlighted text is there, with every finding
    for i, r in enumerate(run.results):
        if r.report is None:
            continue
        for j, f in enumerate(r.report.findings):
            assert f'id="t{i}-f{j}"' in html
            assert f'data-rule="{f.rule_id}"' in html
    assert f'data-sort="{run.results[0].report.overall:.4f}"' in html  # type: ignore[union-attr]
    assert "✓ pass" in html and "✗ fail" in html and "! error" in html
    assert "bad &lt;json&gt;" in html and "block 1 &lt;i&gt;" in html and "too long &lt;x&gt;" in html
    assert "&lt;denial&gt;" in html
    assert 'data-count="failed"><b>2</b>' in html


def test_check_page_script_is_the_only_script_and_allowed_by_hash() -> None:
    html = render_check_html(_run())
    page = parse(html)
    assert len(page.scripts) == 1
    digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html
    heads = [a for t, a in page.tags if t == "th" and a.get("data-type")]
    assert len(heads) == 3 + len(DIMENSION_NAMES) + 2
    # every sortable column has a sort key in every row
    cells = re.findall(r'<tr class="(?:pass|fail|error)" data-index="\d+">(.*?)</tr>', html, flags=re.S)
    for row in cells:
        assert row.count("data-sort=") == len(heads)


def test_check_page_without_templates() -> None:
    run = CheckRun(paths=["empty/"], thresholds=Thresholds(), results=[], scorer_version="0")
    html = render_check_html(run)
    parse(html)
    assert "No templates found." in html
