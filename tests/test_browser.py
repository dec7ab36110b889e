"""The HTML pages in a real headless Chromium: evidence visible, sorting works, nothing leaves the page.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them) and selenium (the ``test``
extra); skipped with the reason otherwise. One browser session serves every page. Screenshots go to
``artifacts/``; with ``APOLOGY_SCORE_UPDATE_SCREENSHOT=1`` the single-reply report is also saved as
``docs/report.png`` (the README's screenshot).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from apology_score import score

#: one browser session for the module when run with ``-n 2 --dist loadgroup``
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTH = 1000

#: The reply of the README screenshot: overlapping evidence, an evasion and suggestions (made up).
SCREENSHOT_TEXT = (
    "亲,非常抱歉,您的订单发错了颜色,是我们仓库打包的失误。我们今天下午重新发货,并退还20元运费。"
    "不过快递慢不是我们的问题。"
)
EN_TEXT = "Sorry you feel that way, but that is our policy. We can't refund it; please wait."
TEMPLATES = (
    "非常抱歉,您的订单发错了颜色,我们今天下午重新发货。\n\n"
    "这不是我们的问题,请联系快递。\n\n"
    "We're so sorry your parcel was late. We refunded the $5 shipping today and will email you on Friday.\n\n"
    "Sorry for any inconvenience <script>alert(1)</script>.\n"
)
LOCAL_SCHEMES = ("file:", "data:", "about:", "chrome:", "chrome-error:", "devtools:")


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    binary = _chromium()
    if binary is None or not Path(CHROMEDRIVER).exists():
        pytest.skip("headless Chromium is not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (the test extra)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--window-size={WIDTH},900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The pages as users make them: through the command line (and the summary renderer when present)."""
    from apology_score.cli import main

    out = tmp_path_factory.mktemp("pages")
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        assert main(["score", SCREENSHOT_TEXT, "--format", "html", "--isolated"]) == 0
    (out / "report.html").write_text(stdout.getvalue(), encoding="utf-8")
    (out / "report-en.html").write_text(_render_report(EN_TEXT), encoding="utf-8")
    templates = out / "templates"
    templates.mkdir()
    (templates / "replies.txt").write_text(TEMPLATES, encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", str(templates), "--format", "html", "-o", str(out / "check.html"), "--isolated"])
    assert code == 1  # some templates fail
    result = {"report": out / "report.html", "report-en": out / "report-en.html", "check": out / "check.html"}
    try:
        from apology_score.render.summary import summarize
    except ImportError:
        pass
    else:
        texts = [SCREENSHOT_TEXT, EN_TEXT, *[t for t in TEMPLATES.split("\n\n") if t.strip()]]
        (out / "summary.html").write_text(summarize(score(t) for t in texts).to_html(), encoding="utf-8")
        result["summary"] = out / "summary.html"
    return result


def _render_report(text: str) -> str:
    from apology_score.render.html import render_report_html

    return render_report_html(score(text))


def _open(driver: Any, path: Path) -> None:
    driver.get_log("performance")  # drop the entries of earlier pages
    driver.get_log("browser")
    driver.set_window_size(WIDTH, 900)
    driver.get(path.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"


def _requests(driver: Any) -> list[str]:
    """Every URL the page asked for since it was opened (DevTools log and resource timing)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    urls += driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return urls


def _assert_offline(driver: Any) -> None:
    leaving = [u for u in _requests(driver) if not u.startswith(LOCAL_SCHEMES)]
    assert leaving == [], f"the page made requests: {leaving}"
    severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == [], f"console errors (e.g. a blocked script or style): {severe}"


def _screenshot(driver: Any, name: str) -> Path:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(WIDTH, min(int(height) + 20, 6000))
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 5000
    return path


def _visible(element: Any) -> bool:
    size = element.size
    return bool(element.is_displayed() and size["width"] > 0 and size["height"] > 0)


_HIDDEN_JS = """
return Array.from(document.querySelectorAll(arguments[0])).filter(function (el) {
  var r = el.getBoundingClientRect();
  return !(r.width > 0 && r.height > 0 && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}));
}).map(function (el) { return el.outerHTML.slice(0, 160); });
"""


def _all_visible(driver: Any, selector: str) -> int:
    """Assert every element matching ``selector`` is displayed with a non-zero size; return how many.

    The first and the last are checked with WebDriver's ``is_displayed`` and size, all of them with one
    script (``checkVisibility`` and the bounding box) to keep the test fast."""
    elements = driver.find_elements("css selector", selector)
    for element in elements[:1] + elements[-1:]:
        assert _visible(element), element.get_attribute("outerHTML")[:160]
    hidden = driver.execute_script(_HIDDEN_JS, selector)
    assert hidden == [], f"not visible: {hidden[:3]}"
    return len(elements)


def test_offline_check_catches_a_request(browser: Any, tmp_path: Path) -> None:
    # the control: a page that does load something from elsewhere is caught by the same check
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><img src="http://127.0.0.1:9/pixel.png" alt="">', encoding="utf-8")
    _open(browser, page)
    assert any(u.startswith("http://127.0.0.1:9/") for u in _requests(browser))


def test_report_page(browser: Any, pages: dict[str, Path]) -> None:
    report = score(SCREENSHOT_TEXT)
    _open(browser, pages["report"])
    drawn = browser.execute_script(
        "return Array.from(document.querySelectorAll('#reply mark.ev')).map(m => m.dataset.f)"
    )
    assert set(drawn) == {str(i) for i in range(len(report.findings))}
    assert _all_visible(browser, "#reply mark.ev") == len(drawn)
    assert browser.find_element("id", "reply").text.replace("\n", "").startswith("亲,非常抱歉")
    # the inline labels are drawn (CSS generated content) and name the rule and its points
    labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('#reply mark.ev.end')).map("
        "m => [m.dataset.rule, getComputedStyle(m, '::after').content])"
    )
    assert len(labels) == len(report.findings)
    for rule_id, content in labels:
        assert rule_id in content
    # colour is not the only cue: earned and lost points are underlined differently
    styles = browser.execute_script(
        "return Array.from(document.querySelectorAll('#reply mark.ev')).map("
        "m => [m.classList.contains('neg'), getComputedStyle(m).borderBottomStyle])"
    )
    assert {style for neg, style in styles if neg} == {"dashed"}
    assert "solid" in {style for neg, style in styles if not neg}
    bars = browser.find_elements("css selector", ".dims .fill")
    assert len(bars) == 4 and all(_visible(b) or b.size["width"] == 0 for b in bars)
    assert browser.find_element("css selector", ".callout.evasions").is_displayed()
    assert browser.find_element("id", "overall").text == f"{report.overall:.1f}"
    # labels can be switched off
    browser.find_element("id", "show-labels").click()
    mark = browser.find_element("css selector", "#reply mark.ev.end")
    assert browser.execute_script("return getComputedStyle(arguments[0], '::after').display", mark) == "none"
    browser.find_element("id", "show-labels").click()
    # ...or only those of findings that counted zero
    after = "return getComputedStyle(document.querySelector(arguments[0]), '::after').display"
    assert browser.execute_script(after, "#reply mark.ev.zero.end") != "none"
    browser.find_element("id", "hide-zero").click()
    assert browser.execute_script(after, "#reply mark.ev.zero.end") == "none"
    assert browser.execute_script(after, "#reply mark.ev.pos.end") != "none"
    browser.find_element("id", "hide-zero").click()
    _assert_offline(browser)
    shot = _screenshot(browser, "report")
    if os.environ.get("APOLOGY_SCORE_UPDATE_SCREENSHOT"):
        # the README shows the page down to the suggestions (the findings table follows)
        bottom = browser.execute_script(
            "return document.querySelector('.suggestions').getBoundingClientRect().bottom + window.scrollY"
        )
        _save_docs_screenshot(shot, int(bottom) + 16)


def test_english_report_page(browser: Any, pages: dict[str, Path]) -> None:
    _open(browser, pages["report-en"])
    assert _all_visible(browser, "#reply mark.ev") > 0
    assert _all_visible(browser, "#reply mark.ev.dim-evasion") > 0
    _assert_offline(browser)
    _screenshot(browser, "report-en")


def test_check_page(browser: Any, pages: dict[str, Path]) -> None:
    _open(browser, pages["check"])
    rows = browser.find_elements("css selector", "#templates tbody tr")
    assert len(rows) == 4
    # the template text with a <script> in it is shown as text, and only the page's own script exists
    assert "<script>alert(1)</script>" in browser.find_element("id", "templates").text
    assert browser.execute_script("return document.scripts.length") == 1
    # the highlighted text is there on demand
    hidden = browser.find_elements("css selector", "#templates mark.ev")
    assert hidden and not any(m.is_displayed() for m in hidden)
    summaries = browser.find_elements("css selector", "#templates details > summary")
    assert len(summaries) == 4
    summaries[1].click()  # a user opens one template...
    assert _all_visible(browser, "#templates tr:nth-child(2) details mark.ev") > 0
    browser.execute_script("document.querySelectorAll('#templates details').forEach(d => d.open = true)")
    assert _all_visible(browser, "#templates mark.ev") == len(hidden)  # ...or all of them
    # sorting by a column, both ways
    column = browser.find_elements("css selector", "#templates thead th")
    overall = next(i for i, th in enumerate(column) if th.text.strip().startswith("overall"))

    def values() -> list[float]:
        cells = browser.find_elements("css selector", f"#templates tbody tr td:nth-child({overall + 1})")
        return [float(c.get_attribute("data-sort")) for c in cells]

    column[overall].find_element("tag name", "button").click()
    assert values() == sorted(values())
    assert column[overall].get_attribute("aria-sort") == "ascending"
    column[overall].find_element("tag name", "button").click()
    assert values() == sorted(values(), reverse=True)
    assert len(set(values())) > 1
    # only failing templates
    browser.find_element("id", "only-failed").click()
    visible = [r for r in browser.find_elements("css selector", "#templates tbody tr") if r.is_displayed()]
    assert visible and all("pass" not in (r.get_attribute("class") or "") for r in visible)
    browser.find_element("id", "only-failed").click()
    _assert_offline(browser)
    _screenshot(browser, "check")


def test_summary_page(browser: Any, pages: dict[str, Path]) -> None:
    if "summary" not in pages:
        pytest.skip("the corpus summary renderer (apology_score.render.summary) is not in this version")
    _open(browser, pages["summary"])
    assert browser.find_element("tag name", "h1").is_displayed()
    assert _all_visible(browser, "svg") + _all_visible(browser, "mark") > 0
    _assert_offline(browser)
    _screenshot(browser, "summary")


def _save_docs_screenshot(shot: Path, height: int) -> None:
    """Save the top ``height`` pixels of the report screenshot as docs/report.png (a compact palette PNG)."""
    image_module = pytest.importorskip("PIL.Image", reason="Pillow is needed to crop the docs screenshot")
    dest = ROOT / "docs" / "report.png"
    with image_module.open(shot) as image:
        cropped = image.convert("RGB").crop((0, 0, image.width, min(height, image.height)))
        cropped.quantize(colors=128, method=image_module.Quantize.MEDIANCUT).save(dest, optimize=True)
