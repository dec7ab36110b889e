"""``apology-score score TEXT``: score one reply and print the report.

In a terminal the text is shown with the evidence spans colored per dimension and the suggestions below;
``NO_COLOR`` or a pipe gives plain text. ``--format json`` prints exactly ``report.model_dump_json()``.
"""

from __future__ import annotations

import argparse
import sys

from apology_score.checking import EXIT_ERROR, EXIT_OK
from apology_score.cli import add_config_options

FORMATS = ("text", "json", "html")

EXAMPLES = """examples:
  apology-score score "非常抱歉,您的订单发错了颜色,我们今天下午重新发货。"
  echo "Sorry for any inconvenience." | apology-score score -
  apology-score score --context "my parcel is late" "Sorry, we'll ship it today." --format json
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    parser.add_argument("text", metavar="TEXT", help="the reply to score, or - to read it from stdin")
    parser.add_argument(
        "--context", metavar="TEXT", help="the customer's complaint (specificity rewards naming what they raised)"
    )
    parser.add_argument("--format", "-f", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colors (auto: when stdout is a terminal and NO_COLOR is unset)",
    )
    parser.add_argument("--select", action="append", metavar="IDS", help="only these rule ids or prefixes")
    parser.add_argument("--ignore", action="append", metavar="IDS", help="switch off these rule ids or prefixes")
    add_config_options(parser)
    parser.add_argument("--explain", action="store_true", help="text format: add the point-by-point breakdown")


def run(args: argparse.Namespace) -> int:
    from apology_score.cli import formats, settings
    from apology_score.errors import ApologyScoreError, ConfigError

    if args.text == "-":
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            print(
                f"apology-score: error: stdin is not valid UTF-8 (line {line}, byte {exc.start}: {exc.reason})",
                file=sys.stderr,
            )
            return EXIT_ERROR
        text = text.rstrip("\r\n")
    else:
        text = args.text
    try:
        loaded = settings.discover_settings(args.config, isolated=args.isolated)
        effective = settings.merge(loaded, select=args.select, ignore=args.ignore, extra_lexicons=args.extra_lexicons)
    except (ConfigError, ValueError) as exc:
        print(f"apology-score: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    from apology_score.api import score

    try:
        report = score(text, context=args.context, config=effective.config)
    except ApologyScoreError as exc:
        print(f"apology-score: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        sys.stdout.write(report.model_dump_json() + "\n")
    elif args.format == "html":
        try:
            sys.stdout.write(formats.render_report_html(report))
        except formats.FormatUnavailable as exc:
            print(f"apology-score: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
    else:
        color = formats.use_color(args.color, sys.stdout)
        sys.stdout.write(formats.render_report_text(report, color))
        if args.explain:
            sys.stdout.write("\n" + report.explain() + "\n")
    sys.stdout.flush()
    return EXIT_OK
