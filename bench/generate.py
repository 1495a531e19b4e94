"""Deterministic generator of a large sales ledger that looks like a Chinese ERP export.

Ten columns, in the order a 用友/金蝶 sales-detail report exports them::

    日期 · 单据编号 · 客户名称 · 区域 · 业务员 · 存货名称 · 数量 · 单价 · 价税合计 · 毛利

* 日期 — real Excel dates (serial numbers with a ``yyyy-mm-dd`` format) over three years,
  weekdays busier than weekends, the file sorted by date and order id like an ERP report;
* 单据编号 — ``XS20240305-00017`` sales orders of 1–8 lines, ``XT…`` returns (~2 % of the lines,
  negative quantity and amount);
* 客户名称 — about ``rows / 20`` unique company names (city + brand + trade + 有限公司); how
  often a customer orders is lognormal and how much per line is lognormal too, so spend is
  heavy-tailed (the top 20 % of customers bring roughly 80 % of revenue);
* 价税合计 = 数量 × 单价 (rounded to the cent); 毛利 = 价税合计 × the product's margin with a
  per-customer offset.

Everything comes from one ``numpy.random.Generator(seed)``: the same ``--rows`` and ``--seed``
give byte-identical data. The xlsx writer uses xlsxwriter's ``constant_memory`` mode (rows are
streamed to disk, strings written inline), the CSV writer pyarrow.

Run::

    python -m bench.generate --rows 1000000 --out bench/out/ledger_1m.xlsx [--csv]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv
import xlsxwriter

DEFAULT_SEED = 20240601
START_DATE = dt.date(2023, 1, 1)
END_DATE = dt.date(2025, 12, 31)
EXCEL_EPOCH = dt.date(1899, 12, 30)
COLUMNS = ("日期", "单据编号", "客户名称", "区域", "业务员", "存货名称", "数量", "单价", "价税合计", "毛利")
OUT_DIR = Path(__file__).resolve().parent / "out"

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]


def _pairs(text: str) -> tuple[str, ...]:
    """Split a run of two-character words into a tuple."""
    return tuple(text[i : i + 2] for i in range(0, len(text), 2))


# region, share of customers, cities (largest first), sales reps
REGIONS: tuple[tuple[str, float, tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (region, share, tuple(cities.split()), tuple(reps.split()))
    for region, share, cities, reps in (
        ("华东", 0.30, "上海 杭州 南京 苏州 宁波 合肥 无锡 温州 常州 嘉兴", "张伟 李娜 王芳 钱进"),
        ("华南", 0.20, "深圳 广州 佛山 东莞 厦门 福州 珠海 中山", "陈静 杨磊 黄丽"),
        ("华北", 0.17, "北京 天津 石家庄 济南 青岛 太原 唐山", "赵强 周杰 吴霞"),
        ("华中", 0.12, "武汉 长沙 郑州 南昌 襄阳", "刘洋 孙涛"),
        ("西南", 0.10, "成都 重庆 昆明 贵阳 绵阳", "徐敏 马超"),
        ("西北", 0.06, "西安 兰州 银川 乌鲁木齐", "朱红 胡斌"),
        ("东北", 0.05, "沈阳 大连 长春 哈尔滨", "郭亮 林琳"),
    )
)
BRANDS = _pairs(
    "恒通宏达安和万隆中和东方百川天成金源永安同舟盛世星河嘉禾长青博远联创鼎盛瑞丰华信"
    "新锐汇通广源信达宏图远航腾飞兴业凯达德润恒信富华鑫源润泽明辉晨光海纳天佑中联泰和"
    "和顺宝丰安泰华美锦程振华启明卓越精诚永盛金桥众诚弘毅鸿运瑞祥九州聚丰达通海川正元"
)
TRADES = (
    "科技",
    "电子",
    "机械",
    "实业",
    "智能装备",
    "贸易",
    "物流",
    "医药",
    "食品",
    "建材",
    "化工",
    "新能源",
    "汽车零部件",
    "环保工程",
)
# product, list price (CNY incl. VAT), gross margin, popularity
CATALOGUE: tuple[tuple[str, float, float, float], ...] = (
    ("工业传感器A型", 800.0, 0.26, 0.10),
    ("工业传感器B型", 1300.0, 0.28, 0.07),
    ("压力传感器P3", 1850.0, 0.31, 0.05),
    ("温度传感器T2", 420.0, 0.24, 0.04),
    ("控制模块C1", 3100.0, 0.30, 0.08),
    ("PLC控制器S7-1200", 8600.0, 0.22, 0.05),
    ("人机界面HMI-10", 4200.0, 0.27, 0.03),
    ("变频器V5 (7.5kW)", 5600.0, 0.21, 0.06),
    ("伺服电机M2", 3800.0, 0.19, 0.05),
    ("减速机R3", 2600.0, 0.17, 0.03),
    ("线缆套装", 200.0, 0.12, 0.09),
    ("备件包", 92.0, 0.15, 0.07),
    ("连接器组件", 35.0, 0.20, 0.06),
    ("接线端子排", 18.0, 0.22, 0.05),
    ("电磁流量计F4", 6800.0, 0.33, 0.03),
    ("数字万用表D1", 680.0, 0.29, 0.04),
    ("在线分析仪A9", 23800.0, 0.36, 0.01),
    ("维保服务(年)", 11500.0, 0.40, 0.02),
    ("安装调试服务", 2500.0, 0.35, 0.03),
    ("技术培训(人天)", 1800.0, 0.45, 0.02),
    ("系统集成方案", 58000.0, 0.25, 0.005),
    ("气动元件套件", 560.0, 0.23, 0.03),
    ("工业网关G2", 2900.0, 0.29, 0.015),
)


def _company_names(rng: np.random.Generator, n: int) -> tuple[ObjArray, IntArray]:
    """``n`` unique company names and each one's region index."""
    shares = np.array([r[1] for r in REGIONS])
    region = rng.choice(len(REGIONS), size=n, p=shares / shares.sum())
    cities = [c for r in REGIONS for c in r[2]]
    offsets = np.cumsum([0] + [len(r[2]) for r in REGIONS])
    sizes = np.diff(offsets)
    # bigger cities first: city k of a region has weight 0.8**k
    u = rng.random(n)
    city_local = np.floor(np.log1p(-u * (1 - 0.8 ** sizes[region])) / np.log(0.8)).astype(np.int64)
    city = offsets[region] + np.minimum(city_local, sizes[region] - 1)
    n_brands = len(BRANDS)

    def draw_brand(k: int) -> IntArray:
        # 70 % two-character brands (恒通), 30 % four-character ones (恒通宏达): index >= n_brands
        two = rng.integers(n_brands, size=k)
        four = n_brands + rng.integers(n_brands, size=k) * n_brands + rng.integers(n_brands, size=k)
        return np.where(rng.random(k) < 0.7, two, four)

    brand = draw_brand(n)
    trade = rng.integers(len(TRADES), size=n)
    while True:
        key = (city * (n_brands * (n_brands + 1)) + brand) * len(TRADES) + trade
        _, first = np.unique(key, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        k = int(dup.sum())
        if k == 0:
            break
        brand[dup] = draw_brand(k)
        trade[dup] = rng.integers(len(TRADES), size=k)
    brand_table = np.array(
        list(BRANDS) + [a + b for a in BRANDS for b in BRANDS],
        dtype=object,
    )
    suffix = np.where(rng.random(n) < 0.18, "股份有限公司", "有限公司").astype(object)
    names = np.array(cities, dtype=object)[city] + brand_table[brand] + np.array(TRADES, dtype=object)[trade] + suffix
    return names, region.astype(np.int64)


def _day_weights(n_days: int) -> FloatArray:
    """Weekdays busier than weekends, slow growth, Spring Festival (late Jan/Feb) dip."""
    days = np.arange(n_days)
    weekday = (START_DATE.weekday() + days) % 7
    w = np.where(weekday < 5, 1.0, 0.25) * (1.0 + 0.15 * days / n_days)
    day_of_year = np.array([(START_DATE + dt.timedelta(days=int(d))).timetuple().tm_yday for d in days])
    w = np.where((day_of_year >= 25) & (day_of_year <= 45), w * 0.35, w)
    return w / w.sum()


def generate_ledger(rows: int, seed: int = DEFAULT_SEED) -> pa.Table:
    """The ledger as an Arrow table (日期 as date32, numbers as float64, the rest as text)."""
    rng = np.random.default_rng(seed)
    n_customers = max(1, rows // 20)
    names, region = _company_names(rng, n_customers)
    reps_by_region = [r[3] for r in REGIONS]
    rep = np.array([reps_by_region[r][i % len(reps_by_region[r])] for i, r in enumerate(region)], dtype=object)
    # heavy tail: order frequency and line size both lognormal per customer
    frequency = rng.lognormal(0.0, 1.6, n_customers)
    size = rng.lognormal(0.0, 0.8, n_customers)
    discount = rng.uniform(0.82, 1.0, n_customers)
    margin_offset = rng.normal(0.0, 0.04, n_customers)

    # orders of 1-8 lines until ``rows`` lines
    lines_per_order = np.minimum(1 + rng.poisson(1.5, int(rows / 2.5 * 1.2) + 16), 8)
    n_orders = int(np.searchsorted(np.cumsum(lines_per_order), rows)) + 1
    lines_per_order = lines_per_order[:n_orders].copy()
    lines_per_order[-1] -= int(lines_per_order.sum()) - rows
    n_days = (END_DATE - START_DATE).days + 1
    order_day = rng.choice(n_days, size=n_orders, p=_day_weights(n_days))
    # every customer orders at least once (when there are enough orders); the rest by frequency
    order_customer = rng.choice(n_customers, size=n_orders, p=frequency / frequency.sum())
    first_orders = min(n_customers, n_orders)
    order_customer[rng.permutation(n_orders)[:first_orders]] = rng.permutation(n_customers)[:first_orders]
    is_return = rng.random(n_orders) < 0.02
    order_day.sort()  # an ERP report lists orders by date; order numbers count up within a day
    first_of_day = np.searchsorted(order_day, order_day, side="left")
    seq = np.arange(n_orders) - first_of_day + 1
    dates = np.datetime64(START_DATE.isoformat(), "D") + order_day
    ymd = np.char.replace(np.datetime_as_string(dates, unit="D"), "-", "")
    prefix = np.where(is_return, "XT", "XS")
    order_id = np.char.add(np.char.add(np.char.add(prefix, ymd), "-"), np.char.zfill(seq.astype(str), 5))

    order_of_line = np.repeat(np.arange(n_orders), lines_per_order)
    customer = order_customer[order_of_line]
    popularity = np.array([p[3] for p in CATALOGUE])
    product = rng.choice(len(CATALOGUE), size=rows, p=popularity / popularity.sum())
    list_price = np.array([p[1] for p in CATALOGUE])[product]
    unit_price = np.round(list_price * discount[customer] * rng.uniform(0.97, 1.03, rows), 2)
    quantity = np.maximum(1.0, np.ceil(rng.lognormal(np.log(2.0 * size[customer]), 0.9))).clip(max=5000.0)
    quantity = np.where(is_return[order_of_line], -np.minimum(quantity, 1 + rng.integers(0, 5, rows)), quantity)
    amount = np.round(quantity * unit_price, 2)
    margin = np.array([p[2] for p in CATALOGUE])[product] + margin_offset[customer]
    profit = np.round(amount * margin, 2)
    region_names = np.array([r[0] for r in REGIONS], dtype=object)
    product_names = np.array([p[0] for p in CATALOGUE], dtype=object)
    return pa.table(
        {
            "日期": pa.array(dates[order_of_line], type=pa.date32()),
            "单据编号": pa.array(order_id[order_of_line].astype(object), type=pa.string()),
            "客户名称": pa.array(names[customer], type=pa.string()),
            "区域": pa.array(region_names[region[customer]], type=pa.string()),
            "业务员": pa.array(rep[customer], type=pa.string()),
            "存货名称": pa.array(product_names[product], type=pa.string()),
            "数量": pa.array(quantity, type=pa.float64()),
            "单价": pa.array(unit_price, type=pa.float64()),
            "价税合计": pa.array(amount, type=pa.float64()),
            "毛利": pa.array(profit, type=pa.float64()),
        }
    )


def write_xlsx(table: pa.Table, path: Path, sheet: str = "销售明细") -> None:
    """Write ``table`` as one sheet, header in row 1, with xlsxwriter's constant_memory mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = workbook.add_worksheet(sheet)
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    money_fmt = workbook.add_format({"num_format": "#,##0.00"})
    bold = workbook.add_format({"bold": True})
    ws.set_column(0, 0, 11)
    ws.set_column(1, 1, 17)
    ws.set_column(2, 2, 30)
    ws.set_column(5, 5, 18)
    ws.write_row(0, 0, list(table.column_names), bold)
    columns = table.column_names
    serial = (
        np.asarray(table.column(columns[0]).to_numpy(zero_copy_only=False), dtype="datetime64[D]")
        - np.datetime64(EXCEL_EPOCH.isoformat(), "D")
    ).astype(np.int64)
    texts = [table.column(c).to_pylist() for c in columns[1:6]]
    numbers = [table.column(c).to_numpy() for c in columns[6:]]
    write_number, write_string = ws.write_number, ws.write_string
    for i, (day, order_id, customer, region, rep, product, qty, price, amount, profit) in enumerate(
        zip(serial.tolist(), *texts, *(n.tolist() for n in numbers), strict=True), start=1
    ):
        write_number(i, 0, day, date_fmt)
        write_string(i, 1, order_id)
        write_string(i, 2, customer)
        write_string(i, 3, region)
        write_string(i, 4, rep)
        write_string(i, 5, product)
        write_number(i, 6, qty)
        write_number(i, 7, price, money_fmt)
        write_number(i, 8, amount, money_fmt)
        write_number(i, 9, profit, money_fmt)
    workbook.close()


def write_csv(table: pa.Table, path: Path) -> None:
    """Write ``table`` as UTF-8 CSV with a header line (dates as ISO ``yyyy-mm-dd``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(table, str(path))


def default_path(rows: int, suffix: str = ".xlsx") -> Path:
    """``bench/out/ledger_1m.xlsx`` for 1,000,000 rows, ``ledger_50k.xlsx`` for 50,000, …"""
    if rows % 1_000_000 == 0:
        size = f"{rows // 1_000_000}m"
    elif rows % 1000 == 0:
        size = f"{rows // 1000}k"
    else:
        size = str(rows)
    return OUT_DIR / f"ledger_{size}{suffix}"


def ensure_xlsx(rows: int, path: Path | None = None, seed: int = DEFAULT_SEED) -> Path:
    """Path of the generated ``rows``-row xlsx, writing it first when it does not exist."""
    path = path or default_path(rows)
    if not path.exists():
        tmp = path.with_name(path.name + ".part.xlsx")
        write_xlsx(generate_ledger(rows, seed), tmp)
        tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> None:
    """CLI: generate and write the ledger; print what was written as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, help="xlsx (or .csv) path; default bench/out/ledger_<size>.xlsx")
    parser.add_argument("--csv", action="store_true", help="also write the same rows as CSV next to the xlsx")
    args = parser.parse_args(argv)
    out: Path = args.out or default_path(args.rows)
    started = time.perf_counter()
    table = generate_ledger(args.rows, args.seed)
    generated = time.perf_counter()
    written: dict[str, object] = {"rows": table.num_rows, "seed": args.seed}
    written["generate_s"] = round(generated - started, 2)
    if out.suffix.lower() == ".csv":
        write_csv(table, out)
        written["csv"] = str(out)
    else:
        write_xlsx(table, out)
        written["xlsx"] = str(out)
        written["xlsx_mb"] = round(out.stat().st_size / 1e6, 1)
        if args.csv:
            write_csv(table, out.with_suffix(".csv"))
            written["csv"] = str(out.with_suffix(".csv"))
    written["write_s"] = round(time.perf_counter() - generated, 2)
    print(json.dumps(written, ensure_ascii=False))


if __name__ == "__main__":
    main()
