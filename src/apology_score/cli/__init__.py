"""``apology-score``: the command line, a thin layer over the public API.

Each subcommand lives in its own module exposing ``configure(parser)`` and ``run(args) -> int``; heavy
imports happen inside ``run`` so that ``apology-score --help`` and ``check`` on Chinese text stay fast.

Exit codes (as ruff and Vale): 0 all passed, 1 some input failed a threshold (or a batch record failed),
2 usage, configuration or input error.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from apology_score._version import __version__

#: subcommand -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "score": ("apology_score.cli.score_cmd", "score one reply (argument or - for stdin)"),
    "check": ("apology_score.cli.check", "score every template under PATH... and gate on thresholds"),
    "rules": ("apology_score.cli.rules_cmd", "list every rule"),
    "rule": ("apology_score.cli.rules_cmd", "show one rule's documentation"),
    "batch": ("apology_score.cli.batch_cmd", "score a JSONL/CSV/Parquet corpus or transcripts"),
}

EPILOG = """examples:
  apology-score score "非常抱歉,您的订单发错了颜色,我们今天下午重新发货。"
  echo "Sorry for any inconvenience." | apology-score score - --format json
  apology-score check templates/ --min-score 60 --fail-on-evasion --format sarif -o results.sarif
  apology-score rules
  apology-score rule SIN-ZH-IFID
  apology-score batch replies.jsonl -o scored.jsonl --workers 2 --summary summary.html
"""


def add_config_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """The options every scoring command shares: extra lexicons and where the configuration comes from."""
    parser.add_argument(
        "--extra-lexicon",
        action="append",
        metavar="PATH",
        dest="extra_lexicons",
        help="an extra lexicon file or folder (repeatable)",
    )
    parser.add_argument(
        "--config", metavar="FILE", help="use this config file instead of discovering one from the current directory"
    )
    parser.add_argument("--isolated", action="store_true", help="ignore every config file")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="apology-score",
        description="Grade apology text (Chinese, English or mixed) on timeliness, sincerity, specificity "
        "and remedy, and flag evasions.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"apology-score {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        mod = importlib.import_module(module)
        p = sub.add_parser(name, help=help_text, description=help_text,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        mod.configure(p, name) if _takes_name(mod) else mod.configure(p)
        p.set_defaults(_module=module, _command=name)
    return parser


def _takes_name(mod: object) -> bool:
    return bool(getattr(mod, "CONFIGURE_TAKES_NAME", False))


def main(argv: Sequence[str] | None = None) -> int:
    # an application may configure logging: keep jieba's dictionary-loading chatter off stderr
    logging.getLogger("jieba").setLevel(logging.WARNING)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    mod = importlib.import_module(args._module)
    try:
        code: int = mod.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
