"""score_many / score_frame and `apology-score batch`: order, error accounting, formats, summaries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from apology_score import score
from apology_score.batch import score_frame, score_many
from apology_score.cli import main
from apology_score.cli.batch_cmd import scan_output
from apology_score.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "batch"

TEMPLATES = [
    "非常抱歉，您的订单{n}发错了颜色，我们今天下午重新发货。",
    "Sorry for any inconvenience caused (ticket {n}).",
    "这个不归我们管，您找厂家吧。编号{n}",
    "We're so sorry, parcel {n} went to the wrong address. A replacement ships today by express.",
    "我们会尽快给您处理的。{n}",
]


def texts(n: int) -> list[str]:
    return [TEMPLATES[i % len(TEMPLATES)].format(n=i) for i in range(n)]


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- Python API ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_score_many_with_two_workers_keeps_input_order() -> None:
    items = texts(150)
    reports = list(score_many(items, n_jobs=2, chunksize=7))
    assert [r.text for r in reports] == items
    assert [r.model_dump() for r in reports] == [score(t).model_dump() for t in items]


def test_score_many_reads_a_generator_lazily_and_passes_contexts() -> None:
    consumed: list[int] = []

    def gen():  # type: ignore[no-untyped-def]
        for i, t in enumerate(texts(40)):
            consumed.append(i)
            yield t

    it = score_many(gen(), chunksize=4)
    next(it)
    assert len(consumed) < 40  # not read ahead to the end
    ctx = ["我买的红色，发来的是蓝色"]
    [r] = score_many(["非常抱歉，颜色发错了，今天补发。"], contexts=ctx)
    assert r == score("非常抱歉，颜色发错了，今天补发。", context=ctx[0])


def test_score_many_rejects_contexts_of_another_length() -> None:
    with pytest.raises(ValueError, match="shorter"):
        list(score_many(["a", "b"], contexts=["x"]))
    with pytest.raises(ValueError, match="longer"):
        list(score_many(["a"], contexts=["x", "y"]))


def test_score_many_raises_at_the_bad_text_after_yielding_the_good_ones() -> None:
    it = score_many(["Sorry.", 42, "Sorry again."])  # type: ignore[list-item]
    assert next(it).text == "Sorry."
    with pytest.raises(TypeError, match="got int"):
        next(it)


def test_score_frame_flat_columns_and_index() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"reply": texts(5), "complaint": ["颜色发错", None, None, "wrong address", None]},
                      index=["a", "b", "c", "d", "e"])
    out = score_frame(df, text_col="reply", context_col="complaint")
    assert list(out.index) == ["a", "b", "c", "d", "e"]
    assert list(out.columns) == ["overall", "grade", "timeliness", "sincerity", "specificity", "remedy",
                                 "evasive", "n_evasions", "rule_ids", "language"]
    r = score(df.loc["c", "reply"])
    assert out.loc["c", "overall"] == r.overall
    assert bool(out.loc["c", "evasive"]) is r.evasive is True
    assert out.loc["c", "n_evasions"] == len(r.evasions)
    assert out.loc["c", "rule_ids"].split(",") == r.rule_ids
    assert out.loc["a", "remedy"] == score(df.loc["a", "reply"], context="颜色发错").dimensions["remedy"].score
    assert out.loc["b", "language"] == "en"
    empty = score_frame(df.iloc[:0], text_col="reply")
    assert list(empty.dtypes) == list(out.dtypes)


def test_score_frame_names_the_bad_row() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"text": ["Sorry.", None]}, index=[10, 11])
    with pytest.raises(InputError, match=r"row 11, column 'text'.*missing"):
        score_frame(df)
    with pytest.raises(InputError, match="column 'body' not found"):
        score_frame(df, text_col="body")


# --- CLI -------------------------------------------------------------------------------------------


def test_cli_errors_file_and_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    code = main(["batch", str(FIXTURES / "replies_bad.jsonl"), "-o", str(out), "--context-field", "context"])
    assert code == 1
    scored, errors = read_jsonl(out), read_jsonl(Path(str(out) + ".errors.jsonl"))
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == f"{len(scored)} scored, {len(errors)} errors"
    n_records = sum(1 for line in (FIXTURES / "replies_bad.jsonl").read_text().splitlines() if line.strip())
    assert len(scored) + len(errors) == n_records
    assert [s["line"] for s in scored] == [1, 2, 9, 11]
    assert [s["id"] for s in scored] == ["r1", "r2", "7", None]
    kinds = {e["line"]: (e["kind"], e["id"], e["field"]) for e in errors}
    assert kinds == {
        3: ("malformed_json", None, None),
        4: ("missing_field", "r4", "text"),
        6: ("wrong_type", "r5", "text"),
        7: ("missing_field", "r6", "text"),
        8: ("wrong_type", None, None),
        10: ("wrong_type", "r8", "context"),
    }
    first = scored[0]
    report = score(str(first["report"]["text"]), context="我买的红色，发来的是蓝色")  # type: ignore[index]
    assert first["overall"] == report.overall and first["rule_ids"] == report.rule_ids
    assert first["report"] == json.loads(report.model_dump_json())
    assert "\r" not in err  # no progress bar when stderr is not a terminal


def test_cli_all_good_exits_zero_and_csv_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    code = main(["batch", str(FIXTURES / "replies.csv"), "-o", str(out), "--text-field", "reply",
                 "--id-field", "ticket", "--context-field", "complaint"])
    assert code == 0
    rows = read_jsonl(out)
    assert [(r["line"], r["id"]) for r in rows] == [(2, "t1"), (3, "t2"), (4, "t3"), (6, "t4")]
    assert rows[2]["report"]["text"].endswith("Please read it next time.")  # type: ignore[index]
    assert rows[1]["report"] == json.loads(score("Sorry for any inconvenience caused.").model_dump_json())
    assert capsys.readouterr().err.strip().endswith("4 scored, 0 errors")
    assert Path(str(out) + ".errors.jsonl").read_text() == ""


def test_cli_missing_column_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["batch", str(FIXTURES / "replies.csv"), "-o", str(tmp_path / "o.jsonl")])
    assert code == 2
    assert "no column 'text'" in capsys.readouterr().err


def test_cli_parquet_input(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    src = tmp_path / "in.parquet"
    pd.DataFrame({"id": ["p1", "p2", "p3"], "text": ["Sorry for the delay.", None, "抱歉，今天补发。"]}).to_parquet(src)
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(src), "-o", str(out)]) == 1
    assert [(r["line"], r["id"]) for r in read_jsonl(out)] == [(1, "p1"), (3, "p3")]
    [err] = read_jsonl(Path(str(out) + ".errors.jsonl"))
    assert (err["line"], err["id"], err["kind"]) == (2, "p2", "missing_field")


def test_resume_cuts_a_partial_line_and_completes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"x{i}", "text": t}) + "\n" for i, t in enumerate(texts(12))))
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(src), "-o", str(out), "--max-records", "5"]) == 0
    assert capsys.readouterr().err.strip().endswith("5 scored, 0 errors")
    with open(out, "ab") as fh:  # what a kill in the middle of a write leaves behind
        fh.write(b'{"line": 6, "id": "x5", "overall": 3')
    assert len(scan_output(out).lines) == 5
    assert out.read_bytes().endswith(b"}\n")  # the partial line was cut off
    with open(out, "ab") as fh:
        fh.write(b'{"line": 6, "id": "x5", "overall": 3')
    assert main(["batch", str(src), "-o", str(out), "--resume"]) == 0
    assert capsys.readouterr().err.strip().endswith("12 scored, 0 errors")
    assert [r["id"] for r in read_jsonl(out)] == [f"x{i}" for i in range(12)]


def test_resume_refuses_a_foreign_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Sorry."}\n')
    out = tmp_path / "out.jsonl"
    out.write_text("hello\n")
    assert main(["batch", str(src), "-o", str(out), "--resume"]) == 2
    assert "not a line written by apology-score batch" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_summary_files(tmp_path: Path, suffix: str) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts(25))))
    summary = tmp_path / f"summary{suffix}"
    assert main(["batch", str(src), "-o", str(tmp_path / "o.jsonl"), "--summary", str(summary)]) == 0
    page = summary.read_text(encoding="utf-8")
    for heading in ("Distributions", "Grades", "Per language", "Most frequent rules", "Most frequent evasions"):
        assert heading in page
    assert "EVA-ZH-" in page  # the evasive template's rule is listed with an example span
    if suffix == ".md":
        assert ("| F |" in page and "«不归我们管" in page) or "«这个不归我们管" in page
    else:
        pytest.importorskip("matplotlib")
        assert page.count("<svg") >= 3
        assert "<mark>" in page
        assert not re.search(r"<script|<link|@import|url\((?!#)|src=", page)  # only in-page references
        assert "http" not in re.sub(r'xmlns(:\w+)?="http[^"]*"', "", page)  # nothing fetched from anywhere


def test_summary_rejects_unknown_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["batch", str(FIXTURES / "replies.csv"), "-o", str(tmp_path / "o.jsonl"), "--summary", "s.pdf"])
    assert code == 2
    assert ".html or .md" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_workers_output_equals_single_process(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts(60))))
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["batch", str(src), "-o", str(one)]) == 0
    assert main(["batch", str(src), "-o", str(two), "--workers", "2", "--chunksize", "4"]) == 0
    assert one.read_bytes() == two.read_bytes()
