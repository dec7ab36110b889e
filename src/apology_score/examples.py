"""Score the bundled example replies and print their reports: ``python -m apology_score.examples``.

The replies below were written for this project (they are not customer data); they span an excellent
apology, formulaic and conditional ones, a vague promise and evasions, in Chinese, English and both.
"""

from __future__ import annotations

import argparse
import sys

from apology_score.api import score

EXAMPLES: tuple[str, ...] = (
    "我们深表歉意。因为我们的配送站漏派,您周五下单的两箱牛奶至今未送达。今晚8点前我们会专人送到,"
    "并退还全部运费,明天再致电确认。",
    "亲,不好意思哈,给您带来不便了。",
    "若给您造成困扰,我们深感抱歉。",
    "这个不归我们管,您找厂家吧。",
    "We're so sorry — our courier left your parcel at the wrong address on Tuesday. A replacement ships today "
    "by express at our cost, and I'll confirm tracking with you tomorrow.",
    "We apologize if you were disappointed with our service.",
    "We're sorry, but you should have checked the size chart.",
    "Sorry 亲,是我们发错了尺码,今天下午给您补发,运费我们承担。",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print each report as JSON (one per line)")
    args = parser.parse_args(argv)
    for i, text in enumerate(EXAMPLES, 1):
        report = score(text)
        if args.json:
            print(report.model_dump_json())
            continue
        print(f"=== example {i}: {text}")
        print(report.explain())
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
