"""The accuracy table in the README is what ``benchmarks/accuracy.py`` prints as it stands (issue: "The accuracy
table in the README is produced by benchmarks/accuracy.py as it stands")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _gold_blocks(text: str) -> str:
    """The gold-set, per-annotator and metamorphic tables (the corpus table needs the shared corpora)."""
    start = text.index("## gold set, split=test")
    end = text.index("## metamorphic pairs")
    end = text.index("keyword:", end)
    end = text.index("\n", end)
    return "\n".join(line.rstrip() for line in text[start:end].splitlines())


@pytest.mark.xdist_group("accuracy")
def test_readme_accuracy_table_is_the_scripts_output(tmp_path: Path) -> None:
    pytest.importorskip("vaderSentiment")
    result = subprocess.run(
        [sys.executable, "benchmarks/accuracy.py", "--split", "test", "--corpora", str(tmp_path / "absent")],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Accuracy", 1)[1].split("\n## Command line", 1)[0]
    shown = section.split("```\n", 1)[1].split("```", 1)[0]
    assert _gold_blocks(shown) == _gold_blocks(result.stdout)


def _accuracy_module() -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location("accuracy_bench", ROOT / "benchmarks" / "accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["accuracy_bench"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_the_bootstrap_spearman_is_the_tables_spearman_also_with_ties() -> None:
    """The intervals resample with NumPy; each resample's rho must be what ``spearman`` gives for it."""
    np = pytest.importorskip("numpy")
    acc: Any = _accuracy_module()
    rng = np.random.default_rng(7)
    x = rng.integers(0, 5, size=(20, 60)).astype(float)  # many ties, like 0..4 labels and 25-point steps
    y = x + rng.integers(-2, 3, size=x.shape)
    got = acc._spearman_rows(x, y)
    want = [acc.spearman(list(a), list(b)) for a, b in zip(x, y, strict=True)]
    assert np.allclose(got, want)


def test_the_intervals_are_the_same_in_every_run_and_contain_the_estimate() -> None:
    pytest.importorskip("numpy")
    acc: Any = _accuracy_module()
    items = acc.load_gold("test")[:300]
    system = acc.evaluate("apology-score", acc.apology_score_scorer(), items)
    keyword = acc.evaluate("keyword", acc.keyword_scorer, items)
    first = acc.bootstrap(system, keyword, items)
    assert first == acc.bootstrap(system, keyword, items)
    for metric in ("timeliness", "sincerity", "specificity", "remedy", "overall"):
        lo, hi, mlo, mhi = first[metric]
        assert lo <= system.rho[metric] <= hi
        assert mlo <= system.rho[metric] - keyword.rho[metric] <= mhi
    lo, hi = first["evasion F1"]
    assert lo <= system.evasion[2] <= hi
