"""The accuracy table in the README is what ``benchmarks/accuracy.py`` prints as it stands (issue: "The accuracy
table in the README is produced by benchmarks/accuracy.py as it stands")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
