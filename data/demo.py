"""Deterministic demo company for KA Radar: a Chinese industrial-automation distributor.

The demo tells the stories the dashboard is built to find, so a fresh install has something to
show and tests have something realistic to chew on:

* about 2,400 customers (Chinese company names, unique) in six regions, each region with its own
  sales reps, cities, industries and credit ratings;
* four years of ledger lines (``START_DATE`` … ``END_DATE``) with order ids, products in six
  categories, quantity × unit price = amount, gross profit, ~2 % returns as negative lines and
  seasonality (Spring Festival and National Day dips, a year-end peak);
* customer value drawn from a lognormal, so the top 20 % bring roughly three quarters of
  revenue, and a handful of anchor accounts make every default tier (钻石 … 普通) populated;
* margins that vary by product and by customer, some customers unprofitable (the profit whale
  curve peaks above 100 %);
* monthly acquisition cohorts, churners (some slowing down before they stop, including a few
  large accounts that are slowing right at the end date), growth and decline per customer;
* satisfaction surveys (overall 1–5, recommend 0–10, four dimensions) where satisfied customers
  buy more often and churn less, and a complaint log skewed towards a few categories with open
  complaints at some top customers.

Everything comes from one :class:`numpy.random.Generator` seeded by ``seed``: the same seed gives
the same frames on every run. Generation is vectorised (no Python loop per line); it takes well
under a second, and :func:`load_demo` stores the four frames through :func:`loader.store_frame`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd

from analytics import loader, store

START_DATE = dt.date(2022, 1, 1)
END_DATE = dt.date(2025, 12, 31)
DEFAULT_SEED = 7
N_CUSTOMERS = 2400
SURVEY_SCALE = (1.0, 5.0)
DEMO_VERSION = 1
KIND_ORDER = ("customers", "ledger", "surveys", "complaints")
FILE_NAMES = {kind: f"demo:{kind}" for kind in KIND_ORDER}

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjArray = npt.NDArray[np.object_]

_N_DAYS = (END_DATE - START_DATE).days + 1


def _pairs(text: str) -> tuple[str, ...]:
    """Split a run of two-character words (brands, given names) into a tuple."""
    return tuple(text[i : i + 2] for i in range(0, len(text), 2))


# region, share of customers, cities (largest first), sales reps
_REGIONS: tuple[tuple[str, float, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "华东",
        0.30,
        ("上海", "杭州", "南京", "苏州", "宁波", "合肥", "无锡", "温州"),
        ("张伟", "李娜", "王芳"),
    ),
    ("华南", 0.21, ("深圳", "广州", "佛山", "东莞", "厦门", "福州"), ("陈静", "杨磊", "黄丽")),
    ("华北", 0.18, ("北京", "天津", "石家庄", "济南", "青岛", "太原"), ("赵强", "周杰", "吴霞")),
    ("华中", 0.13, ("武汉", "长沙", "郑州", "南昌"), ("刘洋", "孙涛")),
    ("西南", 0.10, ("成都", "重庆", "昆明", "贵阳"), ("徐敏", "马超")),
    ("西北", 0.08, ("西安", "兰州", "银川", "乌鲁木齐"), ("朱红", "胡斌")),
)
REGIONS = tuple(r[0] for r in _REGIONS)
SALES_REPS = tuple(rep for r in _REGIONS for rep in r[3])

_BRANDS = _pairs(
    "恒通宏达安和万隆中和东方百川天成金源永安同舟盛世星河嘉禾长青博远联创鼎盛瑞丰华信"
    "新锐汇通广源信达宏图远航腾飞兴业凯达德润恒信富华鑫源润泽明辉晨光海纳天佑中联泰和"
    "和顺宝丰安泰华美锦程振华启明卓越精诚永盛金桥众诚弘毅鸿运瑞祥九州聚丰达通海川正元"
)
# word in the company name -> industry recorded in the customer master
_BUSINESS: tuple[tuple[str, str], ...] = (
    ("科技", "电子"),
    ("电子", "电子"),
    ("机械", "制造"),
    ("实业", "制造"),
    ("智能装备", "制造"),
    ("贸易", "贸易"),
    ("物流", "物流"),
    ("医药", "医药"),
    ("食品", "食品"),
    ("建材", "建筑"),
    ("化工", "化工"),
    ("新能源", "能源"),
    ("汽车零部件", "汽车"),
    ("环保工程", "环保"),
)
_CHANNELS = ("直销", "经销商", "电商")
_CHANNEL_WEIGHTS = (0.55, 0.35, 0.10)
_CREDIT_RATINGS = ("AAA", "AA", "A", "BBB", "BB", "B")
_SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹")
_GIVEN_NAMES = _pairs(
    "建国志强秀英海燕国华晓明丽娟文杰春梅永刚静怡振宇红霞立新雪梅俊杰桂兰宏伟玉兰子涵思远淑珍德明晓燕"
)

# category, product, list price (CNY), gross margin at list price, popularity within category
_CATALOGUE: tuple[tuple[str, str, float, float, float], ...] = (
    ("传感器", "工业传感器A型", 800.0, 0.26, 0.40),
    ("传感器", "工业传感器B型", 1300.0, 0.28, 0.30),
    ("传感器", "压力传感器P3", 1850.0, 0.31, 0.20),
    ("传感器", "温度传感器T2", 420.0, 0.24, 0.10),
    ("控制系统", "控制模块C1", 3100.0, 0.30, 0.55),
    ("控制系统", "PLC控制器S7", 8600.0, 0.22, 0.30),
    ("控制系统", "人机界面HMI-10", 4200.0, 0.27, 0.15),
    ("驱动设备", "变频器V5", 5600.0, 0.21, 0.50),
    ("驱动设备", "伺服电机M2", 3800.0, 0.19, 0.35),
    ("驱动设备", "减速机R3", 2600.0, 0.17, 0.15),
    ("线缆配件", "线缆套装", 200.0, 0.12, 0.45),
    ("线缆配件", "备件包", 92.0, 0.15, 0.30),
    ("线缆配件", "连接器组件", 35.0, 0.20, 0.15),
    ("线缆配件", "接线端子排", 18.0, 0.22, 0.10),
    ("仪器仪表", "电磁流量计F4", 6800.0, 0.33, 0.45),
    ("仪器仪表", "数字万用表D1", 680.0, 0.29, 0.40),
    ("仪器仪表", "在线分析仪A9", 23800.0, 0.36, 0.15),
    ("技术服务", "维保服务(年)", 11500.0, 0.40, 0.45),
    ("技术服务", "安装调试服务", 2500.0, 0.35, 0.35),
    ("技术服务", "技术培训(人天)", 1800.0, 0.45, 0.12),
    ("技术服务", "系统集成方案", 58000.0, 0.25, 0.08),
)
CATEGORIES = tuple(dict.fromkeys(c[0] for c in _CATALOGUE))
_CATEGORY_WEIGHTS = (0.26, 0.20, 0.18, 0.16, 0.10, 0.10)

SURVEY_DIMENSIONS = ("产品质量", "服务态度", "交付及时性", "价格合理性")
_COMMENTS_GOOD = ("产品质量稳定", "售后响应快，满意", "交货准时，合作愉快", "技术支持专业", "希望继续保持")
_COMMENTS_MID = (
    "希望增加培训",
    "价格偏高，希望给予优惠",
    "对接人变动频繁",
    "希望缩短交货周期",
    "发票开具速度一般",
)
_COMMENTS_BAD = (
    "交货经常延迟，影响生产",
    "产品故障率偏高",
    "售后响应太慢",
    "价格明显高于同行",
    "问题反馈后迟迟没有答复",
    "正在考虑更换供应商",
)

# complaint category, share (Pareto-like), description templates ({p} = product of the order)
_COMPLAINTS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("交付延迟", 0.34, ("{p}交货比合同约定晚了一周", "{p}分批到货，影响现场进度", "物流信息长时间未更新")),
    ("产品质量", 0.27, ("{p}到货后出现故障", "{p}批次质量不稳定", "{p}外观破损，要求更换")),
    ("价格争议", 0.13, ("{p}报价高于上次合同价", "返利未按约定兑现", "对调价通知有异议")),
    ("服务态度", 0.10, ("客服响应慢，多次催促无回复", "业务员沟通态度差", "售后工程师未按约定时间上门")),
    ("发票问题", 0.09, ("发票抬头错误，需重开", "发票迟迟未寄出", "发票金额与合同不符")),
    ("安装调试", 0.07, ("{p}安装调试不到位", "{p}调试后仍无法正常运行", "现场调试人员经验不足")),
)
# 除夕 (Spring Festival eve): business stops for about two weeks around it
_SPRING_FESTIVAL_EVES = tuple(
    dt.date.fromisoformat(d)
    for d in (
        "2019-02-04",
        "2020-01-24",
        "2021-02-11",
        "2022-01-31",
        "2023-01-21",
        "2024-02-09",
        "2025-01-28",
        "2026-02-16",
        "2027-02-05",
        "2028-01-25",
        "2029-02-12",
        "2030-02-02",
    )
)
_SEVERITIES = ("一般", "严重", "紧急")
_SEVERITY_WEIGHTS = (0.60, 0.30, 0.10)
_RESOLVE_MEDIAN_DAYS = (12.0, 7.0, 3.0)


@dataclass(frozen=True)
class DemoData:
    """The four canonical frames of the demo company, ready for :func:`loader.store_frame`."""

    ledger: pd.DataFrame
    customers: pd.DataFrame
    surveys: pd.DataFrame
    complaints: pd.DataFrame

    def frame(self, kind: str) -> pd.DataFrame:
        """Return the frame of one upload kind: ``ledger``, ``customers``, ``surveys`` or ``complaints``."""
        if kind not in KIND_ORDER:
            raise ValueError(f"unknown kind {kind!r}")
        frame: pd.DataFrame = getattr(self, kind)
        return frame


@dataclass(frozen=True)
class _Population:
    """Per-customer latent traits (one array element per customer)."""

    name: ObjArray
    region: IntArray
    city: ObjArray
    industry: ObjArray
    rep: ObjArray
    channel: ObjArray
    value: FloatArray  # expected annual revenue at acquisition, CNY
    freq: FloatArray  # expected orders per year
    start: IntArray  # day index of the first purchase
    churn: IntArray  # day index from which the customer no longer buys (may lie after END_DATE)
    slowing: BoolArray  # orders thin out before the churn day
    decay: FloatArray  # length of that slow-down, days
    growth: FloatArray  # log growth of order value per year
    satisfaction: FloatArray  # latent, standard normal
    discount: FloatArray
    margin_offset: FloatArray
    pref_category: IntArray
    second_category: IntArray
    legacy: BoolArray  # customer before the data window starts


def _days_to_dates(days: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    """Day indices (0 = ``START_DATE``) as ``datetime64[s]`` dates."""
    return (np.datetime64(START_DATE, "D") + days.astype("timedelta64[D]")).astype("datetime64[s]")


def _day_index(date: dt.date) -> int:
    """Day index of a calendar date."""
    return (date - START_DATE).days


def _day_weights() -> FloatArray:
    """Relative order intensity per day: weekdays, months, Spring Festival, National Day; mean 1."""
    dates = pd.date_range(START_DATE, END_DATE, freq="D")
    month_factor = np.array([0.95, 0.70, 1.05, 1.00, 1.00, 1.10, 0.95, 0.95, 1.05, 0.85, 1.10, 1.30])
    weekday_factor = np.array([1.0, 1.05, 1.05, 1.05, 1.0, 0.30, 0.12])
    weights = month_factor[dates.month.to_numpy() - 1] * weekday_factor[dates.day_of_week.to_numpy()]
    day = np.arange(_N_DAYS)
    for eve in _SPRING_FESTIVAL_EVES:
        idx = _day_index(eve)
        weights[(day >= idx - 5) & (day <= idx + 10)] *= 0.2
    for year in range(START_DATE.year, END_DATE.year + 1):
        idx = _day_index(dt.date(year, 10, 1))
        weights[(day >= idx) & (day <= idx + 6)] *= 0.15
    return np.asarray(weights / weights.mean(), dtype=np.float64)


def _unique_names(rng: np.random.Generator, city_idx: IntArray, n: int) -> tuple[IntArray, IntArray]:
    """Brand and business-word indices such that (city, brand, word) is unique per customer."""
    brand = rng.integers(len(_BRANDS), size=n)
    word = rng.integers(len(_BUSINESS), size=n)
    while True:
        keys = (city_idx * len(_BRANDS) + brand) * len(_BUSINESS) + word
        _, first = np.unique(keys, return_index=True)
        duplicate = np.ones(n, dtype=bool)
        duplicate[first] = False
        if not duplicate.any():
            return brand, word
        brand[duplicate] = rng.integers(len(_BRANDS), size=int(duplicate.sum()))
        word[duplicate] = rng.integers(len(_BUSINESS), size=int(duplicate.sum()))


def _population(rng: np.random.Generator) -> _Population:
    """Draw the customers and their hidden traits (value, frequency, lifetime, satisfaction, …)."""
    n = N_CUSTOMERS
    region = rng.choice(len(_REGIONS), size=n, p=np.array([r[1] for r in _REGIONS]))
    all_cities = [city for r in _REGIONS for city in r[2]]
    city_idx = np.zeros(n, dtype=np.int64)
    rep = np.empty(n, dtype=object)
    offset = 0
    for r, (_, _, cities, reps) in enumerate(_REGIONS):
        mask = region == r
        weights = 0.78 ** np.arange(len(cities))
        city_idx[mask] = offset + rng.choice(len(cities), size=int(mask.sum()), p=weights / weights.sum())
        rep[mask] = np.array(reps, dtype=object)[rng.integers(len(reps), size=int(mask.sum()))]
        offset += len(cities)
    city = np.array(all_cities, dtype=object)[city_idx]

    value = np.exp(rng.normal(np.log(42_000.0), 1.55, size=n))
    ranked = np.argsort(-value, kind="stable")
    anchors = ranked[:5]
    value_rank = np.empty(n, dtype=np.int64)
    value_rank[ranked] = np.arange(n)
    value[anchors] = np.maximum(value[anchors], [16e6, 9.5e6, 7.2e6, 6.1e6, 5.6e6])
    satisfaction = rng.normal(size=n)
    freq = np.clip(6.0 * np.sqrt(value / 20_000.0) * np.exp(0.4 * satisfaction), 1.0, 200.0)

    legacy = rng.random(n) < 0.40
    legacy[anchors] = True
    new_start = 30 + (rng.random(n) ** 0.85 * (_N_DAYS - 60)).astype(np.int64)
    start = np.where(legacy, rng.integers(0, 45, size=n), new_start).astype(np.int64)
    hazard = np.clip(0.22 * (value / 42_000.0) ** -0.3, 0.03, 0.6) * np.exp(-0.55 * satisfaction)
    churn = (start + rng.exponential(365.0 / hazard)).astype(np.int64)
    churn[anchors] = 10 * _N_DAYS
    slowing = rng.random(n) < 0.6
    decay = rng.uniform(100.0, 220.0, size=n)
    # large accounts slowing down right now: the early-warning page should flag them
    for rank, days_after_end in ((11, 75), (24, 40), (57, 110)):
        who = ranked[rank]
        churn[who] = _N_DAYS + days_after_end
        slowing[who] = True
        decay[who] = 200.0
        satisfaction[who] = min(satisfaction[who], -0.8)

    growth = np.clip(rng.normal(0.02, 0.12, size=n), -0.3, 0.3)
    rising = rng.random(n) < 0.04
    growth[rising] = rng.uniform(0.3, 0.55, size=int(rising.sum()))
    growth[anchors] = np.maximum(growth[anchors], 0.04)

    discount = np.clip(0.035 * np.log10(value / 20_000.0) + rng.normal(0.0, 0.015, size=n), 0.0, 0.15)
    margin_offset = rng.normal(0.0, 0.05, size=n)
    # Kaplan's whale: big accounts are among the most and the least profitable (discounts, service)
    unprofitable = rng.random(n) < np.where((value_rank >= 5) & (value_rank < 150), 0.28, 0.16)
    unprofitable[ranked[[7, 15, 22, 31, 44, 60, 85]]] = True
    unprofitable[anchors] = False
    margin_offset[unprofitable] -= rng.uniform(0.3, 0.55, size=int(unprofitable.sum()))

    pref_category = rng.choice(len(CATEGORIES), size=n, p=np.array(_CATEGORY_WEIGHTS))
    second_category = rng.choice(len(CATEGORIES), size=n, p=np.array(_CATEGORY_WEIGHTS))
    channel = np.array(_CHANNELS, dtype=object)[rng.choice(len(_CHANNELS), size=n, p=np.array(_CHANNEL_WEIGHTS))]

    brand, word = _unique_names(rng, city_idx, n)
    suffix = np.where(
        rng.random(n) < np.where(np.array([w[0] == "科技" for w in _BUSINESS])[word], 0.45, 0.12),
        "股份有限公司",
        "有限公司",
    ).astype(object)
    suffix[value_rank < 12] = "集团有限公司"
    names = (
        city + np.array(_BRANDS, dtype=object)[brand] + np.array([w[0] for w in _BUSINESS], dtype=object)[word] + suffix
    )
    industry = np.array([w[1] for w in _BUSINESS], dtype=object)[word]
    return _Population(
        name=names,
        region=region.astype(np.int64),
        city=city,
        industry=industry,
        rep=rep,
        channel=channel,
        value=value,
        freq=freq,
        start=start,
        churn=churn,
        slowing=slowing,
        decay=decay,
        growth=growth,
        satisfaction=satisfaction,
        discount=discount,
        margin_offset=margin_offset,
        pref_category=pref_category.astype(np.int64),
        second_category=second_category.astype(np.int64),
        legacy=legacy,
    )


@dataclass(frozen=True)
class _Orders:
    """Sales orders (one element per order, sorted by day) and their ledger lines."""

    customer: IntArray
    day: IntArray
    order_id: ObjArray
    first_product: IntArray  # product of the order's first line
    lines: pd.DataFrame


def _order_ids(prefix: str, days: IntArray) -> ObjArray:
    """Ids like ``XS2024001234``: prefix, year, running number within the year (``days`` sorted)."""
    years = _days_to_dates(days).astype("datetime64[Y]").astype(np.int64) + 1970
    first_of_year = np.searchsorted(years, years, side="left")
    seq = np.arange(len(days)) - first_of_year + 1
    ids = prefix + pd.Series(years).astype(str) + pd.Series(seq).astype(str).str.zfill(6)
    return np.asarray(ids.to_numpy(dtype=object), dtype=object)


def _orders(rng: np.random.Generator, pop: _Population) -> _Orders:
    """Orders per customer (Poisson in seasonal time, thinned before churn) expanded into lines."""
    n = len(pop.value)
    cum = np.concatenate([[0.0], np.cumsum(_day_weights())])
    last_day = np.minimum(pop.churn - 1, _N_DAYS - 1)
    lo = cum[np.minimum(pop.start + 1, _N_DAYS)]
    hi = cum[np.maximum(last_day + 1, 0)]
    span = np.maximum(hi - lo, 0.0)
    n_extra = rng.poisson(pop.freq / 365.0 * span)
    cust = np.repeat(np.arange(n), n_extra)
    u = lo[cust] + rng.random(len(cust)) * span[cust]
    day = np.clip(np.searchsorted(cum, u, side="right") - 1, 0, _N_DAYS - 1)
    gap = pop.churn[cust] - day
    thinning = pop.slowing[cust] & (gap < pop.decay[cust])
    keep = ~thinning | (rng.random(len(cust)) < np.maximum(gap / pop.decay[cust], 0.08))
    anchor = int(np.argmax(pop.value))
    # every customer's first purchase opens its cohort; the biggest account also buys on END_DATE
    o_cust = np.concatenate([np.arange(n), cust[keep], [anchor]]).astype(np.int64)
    o_day = np.concatenate([pop.start, day[keep], [_N_DAYS - 1]]).astype(np.int64)
    order = np.lexsort((o_cust, o_day))
    o_cust, o_day = o_cust[order], o_day[order]
    n_orders = len(o_day)

    sigma = 0.55
    aov = pop.value / pop.freq
    years_in = (o_day - pop.start[o_cust]) / 365.0
    amount = aov[o_cust] * np.exp(pop.growth[o_cust] * years_in) * rng.lognormal(-(sigma**2) / 2, sigma, n_orders)
    more = np.clip(0.14 + 0.08 * np.log(amount / 3000.0), 0.05, 0.5)
    n_lines = 1 + rng.binomial(4, more)
    line_order = np.repeat(np.arange(n_orders), n_lines)
    n_total = len(line_order)
    share = rng.gamma(2.0, size=n_total)
    share /= np.bincount(line_order, weights=share)[line_order]
    target = amount[line_order] * share
    l_cust = o_cust[line_order]
    l_day = o_day[line_order]

    cat_of = np.array([CATEGORIES.index(c[0]) for c in _CATALOGUE])
    price = np.array([c[2] for c in _CATALOGUE])
    base_margin = np.array([c[3] for c in _CATALOGUE])
    popularity = np.array([c[4] for c in _CATALOGUE])
    pick = rng.random(n_total)
    any_category = rng.choice(len(CATEGORIES), size=n_total, p=np.array(_CATEGORY_WEIGHTS))
    category = np.where(
        pick < 0.55,
        pop.pref_category[l_cust],
        np.where(pick < 0.75, pop.second_category[l_cust], any_category),
    )
    product = np.zeros(n_total, dtype=np.int64)
    for k in range(len(CATEGORIES)):
        mask = category == k
        members = np.flatnonzero(cat_of == k)
        product[mask] = rng.choice(members, size=int(mask.sum()), p=popularity[members] / popularity[members].sum())
    # a line far smaller than the product's price buys something the customer can afford instead
    by_price = np.argsort(price, kind="stable")
    affordable = np.maximum(np.searchsorted(price[by_price], target, side="right"), 1)
    fallback = by_price[(rng.random(n_total) * affordable).astype(np.int64)]
    product = np.where(price[product] > 2.5 * target, fallback, product)

    disc = pop.discount[l_cust]
    unit_price = np.round(
        price[product] * (1 - disc) * (1 + 0.025 * l_day / 365.0) * np.exp(rng.normal(0.0, 0.03, n_total)), 2
    )
    quantity = np.maximum(np.rint(target / unit_price), 1.0)
    line_amount = np.round(quantity * unit_price, 2)
    margin = 1 - (1 - base_margin[product]) / (1 - disc) + pop.margin_offset[l_cust] + rng.normal(0, 0.04, n_total)
    profit = np.round(line_amount * margin, 2)
    order_id = _order_ids("XS", o_day)

    # returns: ~2 % of lines come back 5–60 days later, partly or wholly
    returned = np.flatnonzero(rng.random(n_total) < 0.021)
    r_day = l_day[returned] + rng.integers(5, 61, size=len(returned))
    inside = r_day < _N_DAYS
    returned, r_day = returned[inside], r_day[inside]
    by_day = np.argsort(r_day, kind="stable")
    returned, r_day = returned[by_day], r_day[by_day]
    r_qty = -np.minimum(
        np.maximum(np.rint(quantity[returned] * rng.uniform(0.1, 1.0, len(returned))), 1.0),
        quantity[returned],
    )
    r_amount = np.round(r_qty * unit_price[returned], 2)
    r_profit = np.round(r_amount * margin[returned], 2)

    all_cust = np.concatenate([l_cust, l_cust[returned]])
    all_product = np.concatenate([product, product[returned]])
    lines = pd.DataFrame(
        {
            "customer": pop.name[all_cust],
            "order_date": _days_to_dates(np.concatenate([l_day, r_day])),
            "order_id": np.concatenate([order_id[line_order], _order_ids("TH", r_day)]),
            "product": np.array([c[1] for c in _CATALOGUE], dtype=object)[all_product],
            "category": np.array(CATEGORIES, dtype=object)[cat_of[all_product]],
            "quantity": np.concatenate([quantity, r_qty]),
            "unit_price": np.concatenate([unit_price, unit_price[returned]]),
            "amount": np.concatenate([line_amount, r_amount]),
            "profit": np.concatenate([profit, r_profit]),
            "region": np.array(REGIONS, dtype=object)[pop.region[all_cust]],
            "sales_rep": pop.rep[all_cust],
            "channel": pop.channel[all_cust],
        }
    )
    lines = lines.sort_values(["order_date", "order_id"], kind="stable").reset_index(drop=True)
    lines["source_row"] = np.arange(1, len(lines) + 1)
    first_line = np.concatenate([[0], np.cumsum(n_lines)[:-1]])
    return _Orders(customer=o_cust, day=o_day, order_id=order_id, first_product=product[first_line], lines=lines)


def _trailing_revenue(pop: _Population, lines: pd.DataFrame) -> FloatArray:
    """Net revenue per customer (population order) over the last 365 days up to ``END_DATE``."""
    since = pd.Timestamp(END_DATE) - pd.Timedelta(days=364)
    recent = lines[lines["order_date"] >= since]
    totals = recent.groupby("customer")["amount"].sum()
    return np.asarray(pd.Series(pop.name).map(totals).fillna(0.0).to_numpy(dtype=np.float64))


def _complaints(rng: np.random.Generator, pop: _Population, orders: _Orders) -> pd.DataFrame:
    """Complaint log: a few percent of orders trigger one; unhappy and slowing customers complain more."""
    cust = orders.customer
    gap = pop.churn[cust] - orders.day
    rate = 0.02 * np.exp(-0.6 * pop.satisfaction[cust]) * np.where(pop.slowing[cust] & (gap < 365), 1.6, 1.0)
    hit = np.flatnonzero(rng.random(len(cust)) < rate)
    opened = orders.day[hit] + rng.integers(2, 31, size=len(hit))
    inside = opened < _N_DAYS
    hit, opened = hit[inside], opened[inside]
    c_cust = cust[hit]
    product = orders.first_product[hit]
    category = rng.choice(len(_COMPLAINTS), size=len(hit), p=np.array([c[1] for c in _COMPLAINTS]))
    severity = rng.choice(len(_SEVERITIES), size=len(hit), p=np.array(_SEVERITY_WEIGHTS))

    # open complaints at the very top: the escalation list must not be empty
    revenue = _trailing_revenue(pop, orders.lines)
    top = np.argsort(-revenue, kind="stable")[[0, 2, 3, 6, 9]]
    c_cust = np.concatenate([c_cust, top])
    opened = np.concatenate([opened, _N_DAYS - 1 - np.array([6, 12, 20, 33, 41])])
    last_order = np.array([np.flatnonzero(cust == who)[-1] for who in top])
    product = np.concatenate([product, orders.first_product[last_order]])
    category = np.concatenate([category, np.array([0, 1, 2, 1, 3])])
    severity = np.concatenate([severity, np.array([1, 2, 1, 1, 2])])
    forced = np.concatenate([np.zeros(len(hit), dtype=bool), np.ones(len(top), dtype=bool)])

    days = np.ceil(rng.lognormal(np.log(np.array(_RESOLVE_MEDIAN_DAYS)[severity]), 0.7)).astype(np.int64)
    resolved_day = opened + days
    stuck = rng.random(len(opened)) < 0.02
    resolved = (resolved_day < _N_DAYS) & ~stuck & ~forced
    order = np.lexsort((c_cust, opened))
    product_names = np.array([c[1] for c in _CATALOGUE], dtype=object)
    templates = [_COMPLAINTS[k][2] for k in category[order]]
    choice = rng.integers(3, size=len(order))
    description = [t[i].format(p=product_names[p]) for t, i, p in zip(templates, choice, product[order], strict=True)]
    frame = pd.DataFrame(
        {
            "complaint_id": [f"TS{i:05d}" for i in range(1, len(order) + 1)],
            "customer": pop.name[c_cust[order]],
            "opened_date": _days_to_dates(opened[order]),
            "category": np.array([c[0] for c in _COMPLAINTS], dtype=object)[category[order]],
            "severity": np.array(_SEVERITIES, dtype=object)[severity[order]],
            "status": np.where(resolved[order], "已解决", "处理中").astype(object),
            "resolved_date": pd.Series(_days_to_dates(resolved_day[order])).where(resolved[order]),
            "description": description,
        }
    )
    frame["source_row"] = np.arange(1, len(frame) + 1)
    return frame


def _survey_waves() -> IntArray:
    """Start day of each survey wave: mid-May and early November of every year in the window."""
    starts = [
        _day_index(dt.date(year, month, day))
        for year in range(START_DATE.year, END_DATE.year + 1)
        for month, day in ((5, 10), (11, 5))
    ]
    return np.array(starts, dtype=np.int64)


def _surveys(rng: np.random.Generator, pop: _Population, complaints: pd.DataFrame) -> pd.DataFrame:
    """Twice-yearly survey waves; bigger accounts answer more often, churners and complainers score lower."""
    n = len(pop.value)
    waves = _survey_waves()
    cust = np.repeat(np.arange(n), len(waves))
    day = np.tile(waves, n) + rng.integers(0, 40, size=len(cust))
    answer_rate = np.clip(0.25 + 0.07 * np.log10(pop.value / 10_000.0), 0.18, 0.5)
    active = (day >= pop.start[cust]) & (day < pop.churn[cust]) & (day < _N_DAYS)
    take = active & (rng.random(len(cust)) < answer_rate[cust])
    cust, day = cust[take], day[take]
    order = np.lexsort((cust, day))
    cust, day = cust[order], day[order]
    m = len(cust)

    near_churn = (pop.churn[cust] - day) < 270
    survey_dates = pd.DataFrame({"customer": pop.name[cust], "date": _days_to_dates(day), "row": np.arange(m)})
    opened = complaints[["customer", "opened_date"]].rename(columns={"opened_date": "date"}).sort_values("date")
    recent = pd.merge_asof(
        survey_dates.sort_values("date"),
        opened.assign(complained=True),
        on="date",
        by="customer",
        direction="backward",
        tolerance=pd.Timedelta(days=180),
    ).sort_values("row")
    complained = recent["complained"].fillna(False).to_numpy(dtype=bool)

    mood = pop.satisfaction[cust] + rng.normal(0.0, 0.5, m) - 0.9 * near_churn - 0.6 * complained

    def score(center: float, slope: float, noise: float) -> FloatArray:
        return np.clip(np.rint(center + slope * mood + rng.normal(0.0, noise, m)), 1.0, 5.0)

    overall = np.clip(np.rint(3.8 + 0.85 * mood), 1.0, 5.0)
    recommend = np.clip(np.rint(7.0 + 2.0 * mood + rng.normal(0.0, 0.8, m)), 0.0, 10.0)
    dims = {
        "产品质量": np.clip(np.rint(overall + 0.1 + rng.normal(0.0, 0.55, m)), 1.0, 5.0),
        "服务态度": score(4.0, 0.45, 0.8),
        "交付及时性": score(3.6, 0.75, 0.7),
        "价格合理性": score(3.2, 0.25, 0.9),
    }
    pools = (_COMMENTS_BAD, _COMMENTS_MID, _COMMENTS_GOOD)
    mood_class = np.where(overall >= 4, 2, np.where(overall >= 3, 1, 0))
    comment = np.full(m, None, dtype=object)
    for k, pool in enumerate(pools):
        mask = (mood_class == k) & (rng.random(m) < 0.6)
        comment[mask] = np.array(pool, dtype=object)[rng.integers(len(pool), size=int(mask.sum()))]
    frame = pd.DataFrame(
        {
            "customer": pop.name[cust],
            "survey_date": _days_to_dates(day),
            "overall": overall,
            "recommend": recommend,
            "comment": comment,
        }
    )
    for dimension in SURVEY_DIMENSIONS:
        values = dims[dimension]
        values[rng.random(m) < 0.03] = np.nan  # the odd unanswered question
        frame[f"{loader.DIMENSION_PREFIX}{dimension}"] = values
    frame["source_row"] = np.arange(1, m + 1)
    return frame


def _customer_master(rng: np.random.Generator, pop: _Population) -> pd.DataFrame:
    """Build the customer master (客户档案): codes by first contact, region, city, rep, rating, contact."""
    n = len(pop.value)
    first_contact = np.where(
        pop.legacy, -rng.integers(60, 3650, size=n), pop.start - rng.integers(7, 121, size=n)
    ).astype(np.int64)
    standing = 0.5 * (np.log(pop.value) - np.log(42_000.0)) / 1.55 + 0.3 * pop.satisfaction + rng.normal(0, 0.8, n)
    rating = np.digitize(-standing, [-1.6, -0.7, 0.2, 1.0, 1.8])
    contact = (
        np.array(_SURNAMES, dtype=object)[rng.integers(len(_SURNAMES), size=n)]
        + np.array(_GIVEN_NAMES, dtype=object)[rng.integers(len(_GIVEN_NAMES), size=n)]
    )
    order = np.lexsort((np.arange(n), first_contact))
    frame = pd.DataFrame(
        {
            "customer": pop.name[order],
            "customer_code": [f"KH{i:05d}" for i in range(1, n + 1)],
            "region": np.array(REGIONS, dtype=object)[pop.region[order]],
            "city": pop.city[order],
            "industry": pop.industry[order],
            "sales_rep": pop.rep[order],
            "first_contact": _days_to_dates(first_contact[order]),
            "credit_rating": np.array(_CREDIT_RATINGS, dtype=object)[rating[order]],
            "contact_person": contact[order],
        }
    )
    frame["source_row"] = np.arange(1, n + 1)
    return frame


def generate(seed: int = DEFAULT_SEED) -> DemoData:
    """Generate the demo company; the same ``seed`` always gives equal frames."""
    rng = np.random.default_rng(seed)
    pop = _population(rng)
    orders = _orders(rng, pop)
    complaints = _complaints(rng, pop, orders)
    surveys = _surveys(rng, pop, complaints)
    customers = _customer_master(rng, pop)
    return DemoData(ledger=orders.lines, customers=customers, surveys=surveys, complaints=complaints)


def _file_hash(kind: str, seed: int) -> str:
    """Stable content id of one demo upload (kind, seed and generator version)."""
    return hashlib.sha256(f"karadar-demo:v{DEMO_VERSION}:{kind}:seed={seed}".encode()).hexdigest()


def stored_demo_uploads(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Ids of the demo uploads currently stored (not undone), oldest first."""
    rows = con.execute(
        "select upload_id from uploads where is_demo and status = 'stored' order by upload_id"
    ).fetchall()
    return [int(r[0]) for r in rows]


def load_demo(con: duckdb.DuckDBPyConnection, *, seed: int = DEFAULT_SEED, data: DemoData | None = None) -> list[int]:
    """Store the demo company (customers, ledger, surveys, complaints) as demo uploads.

    Returns the upload ids in that order. Idempotent: when demo uploads are already stored their
    ids are returned and nothing is added (call :func:`remove_demo` first to reload). If one of the
    four uploads fails, the ones already stored are undone before the error is re-raised.
    ``data`` stores a pre-generated :class:`DemoData` instead of generating from ``seed``.
    """
    existing = stored_demo_uploads(con)
    if existing:
        return existing
    demo = data if data is not None else generate(seed)
    ids: list[int] = []
    try:
        for kind in KIND_ORDER:
            frame = demo.frame(kind)
            meta = loader.UploadMeta(
                kind=kind,
                file_name=FILE_NAMES[kind],
                file_hash=_file_hash(kind, seed),
                rows_read=len(frame),
                uploaded_by="demo",
                is_demo=True,
                survey_scale=SURVEY_SCALE if kind == "surveys" else None,
            )
            ids.append(loader.store_frame(con, frame, meta).upload_id)
    except Exception:
        for upload_id in reversed(ids):
            loader.undo_upload(con, upload_id)
        raise
    return ids


def remove_demo(con: duckdb.DuckDBPyConnection) -> int:
    """Undo every stored demo upload; returns the number of uploads removed.

    Customers that only the demo knew (no rows left in any table) are dropped as well, so real
    data uploaded afterwards does not share the store with 2,400 empty demo identities.
    """
    ids = stored_demo_uploads(con)
    if not ids:
        return 0
    con.execute("create or replace temp table demo_upload_ids as select unnest(?::integer[]) as upload_id", [ids])
    con.execute(
        """
        create or replace temp table demo_customer_ids as
        select customer_id from transactions where upload_id in (select upload_id from demo_upload_ids)
        union
        select customer_id from customer_master where upload_id in (select upload_id from demo_upload_ids)
        union select customer_id from surveys where upload_id in (select upload_id from demo_upload_ids)
        union select customer_id from complaints where upload_id in (select upload_id from demo_upload_ids)
        """
    )
    try:
        for upload_id in reversed(ids):
            loader.undo_upload(con, upload_id)
        con.execute("begin transaction")
        try:
            con.execute(
                """
                delete from customers
                where customer_id in (select customer_id from demo_customer_ids)
                  and customer_id not in (
                      select customer_id from transactions
                      union all select customer_id from customer_master
                      union all select customer_id from surveys
                      union all select customer_id from complaints
                  )
                """
            )
            store.bump_data_version(con)
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    finally:
        con.execute("drop table if exists demo_customer_ids")
        con.execute("drop table if exists demo_upload_ids")
    return len(ids)
