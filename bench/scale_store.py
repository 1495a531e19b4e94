"""The big store of the analytics benchmarks: 10,000,000 ledger lines of 500,000 customers, with surveys and complaints.

Built once and cached under ``bench/out/`` (``store_<rows>_v<BUILD>.duckdb``), through the same
writer as a real upload (:func:`analytics.loader.store_frame`), so customers, keys, line keys, the
upload log and the data version are what the app sees:

* **ledger** — :func:`bench.generate.generate_ledger` (the ingest benchmark's generator: Chinese
  company names, ``rows / 20`` customers, 1–8-line orders, lognormal frequency and line size,
  2 % returns, profit from product margins, seven regions with their reps, three years
  2023–2025) plus a ``category`` per product; stored as five uploads of ``rows / 5`` lines
  (a year of regional files arrives in pieces);
* **surveys** — ``rows / 80`` responses (125,000 at 10M) on a 1–5 scale from customers drawn
  by how often they order, with a 0–10 recommend score and four dimension scores that move
  with the overall score;
* **complaints** — ``rows / 250`` complaints (40,000) in eight categories with Pareto-like
  weights, four severities, ~85 % resolved after a lognormal number of days.

Usage: ``python -m bench.scale_store [--rows N]`` prints where the store is and how long it took.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics import loader, store
from bench import generate

OUT = Path(__file__).resolve().parent / "out"
#: Bump when the generated content changes, so a stale cached store is not reused.
BUILD = 1
SEED = 20240601
LEDGER_PARTS = 5
SURVEY_DIMENSIONS = ("产品质量", "交付及时", "服务响应", "价格")
COMPLAINT_CATEGORIES = ("交付延迟", "产品质量", "服务态度", "价格争议", "发票问题", "技术支持", "包装破损", "其他")
COMPLAINT_WEIGHTS = (0.32, 0.24, 0.14, 0.10, 0.08, 0.06, 0.04, 0.02)
SEVERITIES = ("紧急", "严重", "一般", "轻微")
SEVERITY_WEIGHTS = (0.05, 0.20, 0.55, 0.20)
# product (from bench.generate.CATALOGUE) → category
CATEGORIES: dict[str, str] = {
    "工业传感器A型": "传感器",
    "工业传感器B型": "传感器",
    "压力传感器P3": "传感器",
    "温度传感器T2": "传感器",
    "控制模块C1": "控制系统",
    "PLC控制器S7-1200": "控制系统",
    "人机界面HMI-10": "控制系统",
    "工业网关G2": "控制系统",
    "变频器V5 (7.5kW)": "驱动与传动",
    "伺服电机M2": "驱动与传动",
    "减速机R3": "驱动与传动",
    "线缆套装": "配件耗材",
    "备件包": "配件耗材",
    "连接器组件": "配件耗材",
    "接线端子排": "配件耗材",
    "气动元件套件": "配件耗材",
    "电磁流量计F4": "仪器仪表",
    "数字万用表D1": "仪器仪表",
    "在线分析仪A9": "仪器仪表",
    "维保服务(年)": "服务",
    "安装调试服务": "服务",
    "技术培训(人天)": "服务",
    "系统集成方案": "服务",
}


def store_path(rows: int) -> Path:
    """Where the store of ``rows`` lines is cached."""
    return OUT / f"store_{rows}_v{BUILD}.duckdb"


def _meta(kind: str, name: str, rows: int, **extra: object) -> loader.UploadMeta:
    return loader.UploadMeta(kind=kind, file_name=name, file_hash=f"bench-{name}", rows_read=rows, **extra)  # type: ignore[arg-type]


def _ledger_frame(table: pa.Table) -> pd.DataFrame:
    """Canonical ledger frame of a slice of :func:`bench.generate.generate_ledger`."""
    product = table["存货名称"]
    category = pc.cast(pc.index_in(product, pa.array(list(CATEGORIES))), pa.int64())
    names = pa.array(list(CATEGORIES.values()))
    return pd.DataFrame(
        {
            "order_date": table["日期"].to_pandas(),
            "order_id": table["单据编号"].to_pandas(),
            "customer": table["客户名称"].to_pandas(),
            "region": table["区域"].to_pandas(),
            "sales_rep": table["业务员"].to_pandas(),
            "product": product.to_pandas(),
            "category": pc.take(names, category).to_pandas(),
            "quantity": table["数量"].to_numpy(),
            "unit_price": table["单价"].to_numpy(),
            "amount": table["价税合计"].to_numpy(),
            "profit": table["毛利"].to_numpy(),
        }
    )


def _surveys(rng: np.random.Generator, customers: np.ndarray, weights: np.ndarray, n: int) -> pd.DataFrame:
    """``n`` survey responses on 1–5 with recommend 0–10 and four dimension scores."""
    who = rng.choice(len(customers), size=n, p=weights)
    day = rng.integers(60, 3 * 365, size=n)
    base = np.clip(np.round(rng.normal(3.9, 0.9, n)), 1, 5)
    frame = pd.DataFrame(
        {
            "customer": customers[who],
            "survey_date": pd.to_datetime(np.datetime64("2023-01-01") + day).date,
            "overall": base,
            "recommend": np.clip(np.round(base * 2 + rng.normal(0, 1.2, n)), 0, 10),
        }
    )
    for dimension in SURVEY_DIMENSIONS:
        frame[f"{loader.DIMENSION_PREFIX}{dimension}"] = np.clip(np.round(base + rng.normal(0, 0.8, n)), 1, 5)
    return frame


def _complaints(rng: np.random.Generator, customers: np.ndarray, weights: np.ndarray, n: int) -> pd.DataFrame:
    """``n`` complaints: category, severity, status, resolved date (85 % resolved)."""
    who = rng.choice(len(customers), size=n, p=weights)
    opened = np.datetime64("2023-01-01") + rng.integers(0, 3 * 365, size=n)
    resolved = rng.random(n) < 0.85
    days = np.ceil(rng.lognormal(np.log(6.0), 0.9, n)).astype(np.int64)
    resolved_on = opened + days
    resolved &= resolved_on <= np.datetime64("2025-12-31")
    return pd.DataFrame(
        {
            "customer": customers[who],
            "complaint_id": [f"TS{i:07d}" for i in range(1, n + 1)],
            "opened_date": pd.to_datetime(opened).date,
            "category": np.asarray(COMPLAINT_CATEGORIES, dtype=object)[
                rng.choice(len(COMPLAINT_CATEGORIES), size=n, p=COMPLAINT_WEIGHTS)
            ],
            "severity": np.asarray(SEVERITIES, dtype=object)[rng.choice(len(SEVERITIES), size=n, p=SEVERITY_WEIGHTS)],
            "status": np.where(resolved, "已解决", "处理中").astype(object),
            "resolved_date": [
                d if ok else None for d, ok in zip(pd.to_datetime(resolved_on).date, resolved, strict=True)
            ],
        }
    )


def build(path: Path, rows: int) -> dict[str, float]:
    """Write the store of ``rows`` ledger lines (plus surveys and complaints) to ``path``; seconds per step."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    ledger = generate.generate_ledger(rows, SEED)
    seconds["generate_s"] = round(time.perf_counter() - start, 1)
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    con = store.connect(tmp)
    try:
        start = time.perf_counter()
        part = -(-rows // LEDGER_PARTS)
        for i in range(LEDGER_PARTS):
            piece = ledger.slice(i * part, part)
            loader.store_frame(con, _ledger_frame(piece), _meta("ledger", f"ledger_{i + 1}.xlsx", piece.num_rows))
        seconds["store_ledger_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        counts = pc.value_counts(ledger["客户名称"])
        customers = counts.field("values").to_numpy(zero_copy_only=False)
        frequency = counts.field("counts").to_numpy().astype(np.float64)
        del ledger
        rng = np.random.default_rng(SEED + 1)
        weights = np.sqrt(frequency) / np.sqrt(frequency).sum()  # busier customers are surveyed more often
        surveys = _surveys(rng, customers, weights, max(rows // 80, 1))
        loader.store_frame(con, surveys, _meta("surveys", "surveys.xlsx", len(surveys), survey_scale=(1.0, 5.0)))
        complaints = _complaints(rng, customers, weights, max(rows // 250, 1))
        loader.store_frame(con, complaints, _meta("complaints", "complaints.xlsx", len(complaints)))
        seconds["store_surveys_complaints_s"] = round(time.perf_counter() - start, 1)
        con.execute("checkpoint")
    finally:
        con.close()
    tmp.replace(path)
    return seconds


def ensure(rows: int) -> tuple[Path, dict[str, float] | None]:
    """Path of the cached store of ``rows`` lines, building it first when missing (then its timings)."""
    path = store_path(rows)
    if path.exists():
        return path, None
    OUT.mkdir(parents=True, exist_ok=True)
    return path, build(path, rows)


def main() -> None:
    """Build (or find) the store and print its path and build timings as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    path, seconds = ensure(args.rows)
    print(json.dumps({"store": str(path), "built": seconds}, ensure_ascii=False))


if __name__ == "__main__":
    main()
