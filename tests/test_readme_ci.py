"""What the README promises is what CI proves: `.ci/run` runs the README's test command verbatim."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_opens_with_two_commands() -> None:
    first, second = readme_commands()
    assert "pip install" in first and "apology_score.examples" in first
    assert "pip install" in second and "[test]" in second and "pytest" in second


def test_ci_runs_the_readme_test_command() -> None:
    _, test_command = readme_commands()
    ci = (ROOT / ".ci/run").read_text("utf-8")
    assert test_command.strip() in ci.splitlines()
