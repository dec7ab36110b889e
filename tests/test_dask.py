"""The Dask integration on a real multi-process LocalCluster equals local score_frame."""

from __future__ import annotations

import pytest

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from apology_score.batch import score_frame  # noqa: E402
from apology_score.integrations.dask import score_dataframe  # noqa: E402

TEXTS = [
    "非常抱歉，您的订单发错了颜色，我们今天下午重新发货。",
    "Sorry for any inconvenience caused.",
    "这个不归我们管，您找厂家吧。",
    "We're so sorry, our courier left your parcel at the wrong address. A replacement ships today.",
    "我们会尽快给您处理的。",
    "We're sorry, but you should have checked the size chart.",
]


@pytest.mark.slow
def test_score_dataframe_on_local_cluster_equals_score_frame() -> None:
    n = 36
    df = pd.DataFrame(
        {"text": [TEXTS[i % len(TEXTS)] + f" #{i}" for i in range(n)],
         "ctx": [None if i % 2 else "颜色发错了" for i in range(n)]},
        index=pd.RangeIndex(100, 100 + n, name="row"),
    )
    ddf = dd.from_pandas(df, npartitions=4)
    lazy = score_dataframe(ddf, text_col="text", context_col="ctx")
    assert list(lazy.columns) == list(score_frame(df.iloc[:0], context_col="ctx").columns)
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None)
    with cluster, distributed.Client(cluster):
        result = lazy.compute()
    expected = score_frame(df, text_col="text", context_col="ctx")
    pd.testing.assert_frame_equal(result, expected)  # values, dtypes and index
    assert lazy.npartitions == 4


def test_score_dataframe_names_a_missing_column() -> None:
    ddf = dd.from_pandas(pd.DataFrame({"reply": ["Sorry."]}), npartitions=1)
    with pytest.raises(KeyError, match="column 'text' not found"):
        score_dataframe(ddf)
