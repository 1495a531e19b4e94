"""The one translation table of the UI: every string a user reads comes from :data:`TEXTS`.

``t("home.title")`` renders a key in the current language (``zh`` by default, or ``en``);
placeholders are ``str.format`` fields: ``t("table.rows", n=662)``. Messages of the analytics
layer (ingest errors, skip reasons) have their own table in :mod:`analytics.errors`.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"

TEXTS: dict[str, dict[str, str]] = {
    # frame
    "app.page_title": {"zh": "KA Radar · 大客户雷达", "en": "KA Radar · 大客户雷达"},
    "app.name": {"zh": "大客户雷达", "en": "KA Radar"},
    "lang.label": {"zh": "语言 / Language", "en": "Language / 语言"},
    "lang.zh": {"zh": "简体中文", "en": "简体中文"},
    "lang.en": {"zh": "English", "en": "English"},
    "nav.home": {"zh": "首页", "en": "Home"},
    "nav.data": {"zh": "数据", "en": "Data"},
    "nav.key_accounts": {"zh": "大客户", "en": "Key accounts"},
    "nav.pyramid": {"zh": "客户金字塔", "en": "Pyramid"},
    "nav.rfm": {"zh": "RFM 分群", "en": "RFM"},
    "nav.churn": {"zh": "客户流失", "en": "Churn"},
    "nav.satisfaction": {"zh": "满意度", "en": "Satisfaction"},
    "nav.customer_card": {"zh": "客户档案卡", "en": "Customer card"},
    "error.unexpected": {
        "zh": "页面出现意外错误，已记录。请刷新页面重试；若问题持续，请联系管理员。",
        "en": "Something went wrong on this page; the error was logged. Reload the page to try again, "
        "and contact your administrator if it persists.",
    },
    "error.database": {
        "zh": "无法打开数据库（可能正被其他程序使用），请稍后刷新重试。",
        "en": "The database cannot be opened (another program may be using it); reload in a moment.",
    },
    "error.demo_failed": {
        "zh": "演示数据加载失败，已记录。可在“数据”页上传自己的文件。",
        "en": "The demo data could not be loaded (logged). Upload your own files on the Data page.",
    },
    # sidebar: filters and freshness
    "filters.header": {"zh": "筛选", "en": "Filters"},
    "filters.period": {"zh": "日期范围", "en": "Date range"},
    "filters.regions": {"zh": "区域", "en": "Region"},
    "filters.sales_reps": {"zh": "销售员", "en": "Sales rep"},
    "filters.categories": {"zh": "品类", "en": "Category"},
    "filters.channels": {"zh": "渠道", "en": "Channel"},
    "filters.all": {"zh": "全部", "en": "All"},
    "filters.no_data": {"zh": "暂无交易数据。", "en": "No transactions yet."},
    "freshness.header": {"zh": "数据状态", "en": "Data status"},
    "freshness.last_upload": {"zh": "最近上传：{when}", "en": "Last upload: {when}"},
    "freshness.last_transaction": {"zh": "最新交易：{when}", "en": "Latest transaction: {when}"},
    "freshness.none": {"zh": "尚无数据", "en": "No data yet"},
    "badge.demo": {"zh": "演示数据", "en": "Demo data"},
    "badge.demo_help": {
        "zh": "当前显示的是自动加载的演示公司数据。可在“数据”页一键移除。",
        "en": "You are looking at the demo company loaded automatically. Remove it with one click on the Data page.",
    },
    "badge.real": {"zh": "真实数据", "en": "Your data"},
    # home
    "home.title": {"zh": "首页", "en": "Home"},
    "home.caption": {
        "zh": "筛选范围内的核心指标（侧栏筛选对所有页面生效）。",
        "en": "Headline figures for the current filters (the sidebar filters apply to every page).",
    },
    "home.demo_notice": {
        "zh": "这是演示数据（一家虚构的工业自动化分销商）。在“数据”页上传自己的销售明细，或一键移除演示数据。",
        "en": "This is demo data (a fictional industrial-automation distributor). Upload your own ledger on the "
        "Data page, or remove the demo there with one click.",
    },
    "home.no_data": {
        "zh": "当前筛选条件下没有交易数据。请调整侧栏筛选，或在“数据”页上传销售明细。",
        "en": "No transactions match the current filters. "
        "Adjust the sidebar filters or upload a ledger on the Data page.",
    },
    "kpi.revenue": {"zh": "净销售额", "en": "Net revenue"},
    "kpi.revenue_help": {
        "zh": "筛选范围内全部金额之和，退货（负数）已冲减。",
        "en": "Sum of all amounts in the filters; returns (negative lines) are netted.",
    },
    "kpi.profit": {"zh": "毛利", "en": "Gross profit"},
    "kpi.profit_help": {
        "zh": "毛利之和；上传文件没有毛利列时显示“–”。",
        "en": "Sum of profit; “–” when the uploads have no profit column.",
    },
    "kpi.customers": {"zh": "客户数", "en": "Customers"},
    "kpi.customers_help": {
        "zh": "筛选范围内至少有一笔交易的客户。",
        "en": "Customers with at least one line in the filters.",
    },
    "kpi.active": {"zh": "活跃客户", "en": "Active customers"},
    "kpi.active_help": {
        "zh": "截至 {date} 的最近 365 天内有交易的客户。",
        "en": "Customers who bought in the 365 days up to {date}.",
    },
    "kpi.transactions": {"zh": "交易笔数", "en": "Transactions"},
    "kpi.transactions_help": {"zh": "销售明细行数（含退货行）。", "en": "Ledger lines (returns included)."},
    "month.header": {"zh": "最近一个月：{month}", "en": "Latest month: {month}"},
    "month.revenue": {"zh": "当月销售额", "en": "Revenue this month"},
    "month.customers": {"zh": "当月购买客户", "en": "Buying customers"},
    "month.new_customers": {"zh": "新客户", "en": "New customers"},
    "month.new_help": {
        "zh": "在该月首次购买的客户。",
        "en": "Customers whose first purchase ever was in that month.",
    },
    "month.vs": {"zh": "环比 {month}", "en": "vs {month}"},
    "freshness.line": {
        "zh": "数据：{first} 至 {last} · 最近上传 {upload}",
        "en": "Data: {first} to {last} · last upload {upload}",
    },
    "chart.monthly_title_yoy": {
        "zh": "{period}销售额 {value}，同比 {change}（对比{previous}）",
        "en": "Revenue {period}: {value}, {change} vs {previous}",
    },
    "chart.monthly_title": {"zh": "{period}销售额 {value}", "en": "Revenue {period}: {value}"},
    "chart.month_axis": {"zh": "月份", "en": "Month"},
    "chart.money_axis": {"zh": "金额（{unit}）", "en": "Amount ({unit})"},
    "chart.customers_axis": {"zh": "客户数（家）", "en": "Customers"},
    "chart.revenue": {"zh": "销售额", "en": "Revenue"},
    "chart.profit": {"zh": "毛利", "en": "Gross profit"},
    "chart.customers": {"zh": "购买客户", "en": "Buying customers"},
    "table.monthly": {"zh": "按月明细", "en": "By month"},
    "table.csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "table.xlsx": {"zh": "下载 Excel", "en": "Download Excel"},
    "table.rows": {"zh": "共 {n} 行", "en": "{n} rows"},
    # column labels of tables (col.<name>)
    "col.month": {"zh": "月份", "en": "Month"},
    "col.revenue": {"zh": "销售额", "en": "Revenue"},
    "col.profit": {"zh": "毛利", "en": "Gross profit"},
    "col.customers": {"zh": "购买客户数", "en": "Buying customers"},
    "col.upload_id": {"zh": "编号", "en": "ID"},
    "col.kind": {"zh": "类型", "en": "Kind"},
    "col.file_name": {"zh": "文件", "en": "File"},
    "col.sheet": {"zh": "工作表", "en": "Sheet"},
    "col.rows_read": {"zh": "读取行数", "en": "Rows read"},
    "col.rows_stored": {"zh": "导入行数", "en": "Rows stored"},
    "col.rows_skipped": {"zh": "跳过行数", "en": "Rows skipped"},
    "col.skipped_reasons": {"zh": "跳过原因", "en": "Skipped because"},
    "col.first_date": {"zh": "最早日期", "en": "First date"},
    "col.last_date": {"zh": "最晚日期", "en": "Last date"},
    "col.uploaded_by": {"zh": "上传人", "en": "Uploaded by"},
    "col.uploaded_at": {"zh": "上传时间", "en": "Uploaded at"},
    "col.status": {"zh": "状态", "en": "Status"},
    "col.undone_at": {"zh": "撤销时间", "en": "Undone at"},
    "col.is_demo": {"zh": "演示", "en": "Demo"},
    "col.row": {"zh": "行号", "en": "Row"},
    "col.reason": {"zh": "原因", "en": "Reason"},
    "col.column": {"zh": "列", "en": "Column"},
    "col.value": {"zh": "原始值", "en": "Value"},
    "col.rows": {"zh": "行数", "en": "Rows"},
    "col.file_column": {"zh": "文件中的列", "en": "File column"},
    "col.sample": {"zh": "示例值", "en": "Example"},
    "col.field": {"zh": "对应字段", "en": "Field"},
    "col.confidence": {"zh": "匹配度", "en": "Confidence"},
    # kinds, fields, statuses
    "kind.ledger": {"zh": "销售明细", "en": "Sales ledger"},
    "kind.customers": {"zh": "客户档案", "en": "Customer master"},
    "kind.surveys": {"zh": "满意度调查", "en": "Satisfaction survey"},
    "kind.complaints": {"zh": "投诉记录", "en": "Complaints"},
    "status.stored": {"zh": "已导入", "en": "stored"},
    "status.undone": {"zh": "已撤销", "en": "undone"},
    "field.none": {"zh": "（不导入）", "en": "(not used)"},
    "field.customer": {"zh": "客户", "en": "Customer"},
    "field.order_date": {"zh": "日期", "en": "Date"},
    "field.amount": {"zh": "金额", "en": "Amount"},
    "field.profit": {"zh": "毛利", "en": "Profit"},
    "field.quantity": {"zh": "数量", "en": "Quantity"},
    "field.unit_price": {"zh": "单价", "en": "Unit price"},
    "field.order_id": {"zh": "订单号", "en": "Order id"},
    "field.product": {"zh": "产品", "en": "Product"},
    "field.category": {"zh": "品类", "en": "Category"},
    "field.region": {"zh": "区域", "en": "Region"},
    "field.sales_rep": {"zh": "销售员", "en": "Sales rep"},
    "field.channel": {"zh": "渠道", "en": "Channel"},
    "field.customer_code": {"zh": "客户编号", "en": "Customer code"},
    "field.display_name": {"zh": "显示名称", "en": "Display name"},
    "field.city": {"zh": "城市", "en": "City"},
    "field.industry": {"zh": "行业", "en": "Industry"},
    "field.first_contact": {"zh": "建档日期", "en": "First contact"},
    "field.credit_rating": {"zh": "信用等级", "en": "Credit rating"},
    "field.contact_person": {"zh": "联系人", "en": "Contact person"},
    "field.survey_date": {"zh": "调查日期", "en": "Survey date"},
    "field.overall": {"zh": "总体满意度", "en": "Overall score"},
    "field.recommend": {"zh": "推荐意愿", "en": "Likely to recommend"},
    "field.comment": {"zh": "意见", "en": "Comment"},
    "field.complaint_id": {"zh": "投诉编号", "en": "Complaint id"},
    "field.opened_date": {"zh": "投诉日期", "en": "Opened"},
    "field.severity": {"zh": "严重程度", "en": "Severity"},
    "field.status": {"zh": "处理状态", "en": "Status"},
    "field.resolved_date": {"zh": "解决日期", "en": "Resolved"},
    "field.description": {"zh": "问题描述", "en": "Description"},
    "field.required": {"zh": "{label} *", "en": "{label} *"},
    # data page
    "data.title": {"zh": "数据", "en": "Data"},
    "data.caption": {
        "zh": "上传 ERP/Excel 导出的原始文件，无需事先整理：先检查识别结果和校验报告，确认后才会导入。",
        "en": "Upload files as exported from your ERP or Excel, without editing them: check what was recognised "
        "and the validation report first; nothing is stored until you confirm.",
    },
    "data.uploader": {
        "zh": "选择文件（xlsx、xls、csv，可多选）",
        "en": "Choose files (xlsx, xls, csv; several at once)",
    },
    "data.kind": {"zh": "文件类型", "en": "Kind of file"},
    "data.kind_detected": {"zh": "自动识别为：{kind}", "en": "Detected: {kind}"},
    "data.sheets_used": {"zh": "使用的工作表：{sheets}", "en": "Sheets used: {sheets}"},
    "data.sheet_header": {"zh": "{sheet}（表头在第 {row} 行）", "en": "{sheet} (header in row {row})"},
    "data.sheets_ignored": {"zh": "忽略的工作表：{sheets}", "en": "Sheets ignored: {sheets}"},
    "data.ignored.hidden": {"zh": "隐藏的工作表", "en": "hidden sheet"},
    "data.ignored.no_header": {"zh": "没有可识别的表头", "en": "no recognisable header row"},
    "data.ignored.different_columns": {"zh": "列与主表不同", "en": "columns differ from the main sheet"},
    "data.mapping": {"zh": "列映射", "en": "Column mapping"},
    "data.mapping_help": {
        "zh": "检查每一列对应的字段；在“对应字段”列中可修改。带 * 的字段为必需。"
        "确认后的映射会被记住，下个月同样表头的文件会自动映射。",
        "en": "Check the field each column maps to; change it in the “Field” column. Fields marked * are required. "
        "A confirmed mapping is remembered, so next month's file with the same headers maps itself.",
    },
    "data.mapping_duplicate": {
        "zh": "字段“{field}”被指定给了多列，只使用第一列“{column}”。",
        "en": "Field “{field}” is chosen for several columns; only the first one, “{column}”, is used.",
    },
    "data.constants": {"zh": "整批文件的固定值", "en": "Values for the whole file"},
    "data.constants_help": {
        "zh": "文件中没有的列可以在这里填一个固定值（例如区域 = 华东），留空则不填。",
        "en": "For a field the file has no column for, enter one value for every row (e.g. region = East); "
        "leave empty for none.",
    },
    "data.date_order": {"zh": "日期中日和月的顺序", "en": "Day/month order of the dates"},
    "data.dmy": {"zh": "日在前（31/12/2024）", "en": "Day first (31/12/2024)"},
    "data.mdy": {"zh": "月在前（12/31/2024）", "en": "Month first (12/31/2024)"},
    "data.report": {"zh": "校验报告（尚未导入）", "en": "Validation report (nothing stored yet)"},
    "data.rows_read": {"zh": "读取行数", "en": "Rows read"},
    "data.rows_to_store": {"zh": "将导入行数", "en": "Rows to store"},
    "data.rows_skipped": {"zh": "跳过行数", "en": "Rows skipped"},
    "data.skipped_by_reason": {"zh": "跳过原因", "en": "Skipped, by reason"},
    "data.bad_rows": {
        "zh": "有问题的行（行号为原文件中的行号）",
        "en": "Rows with problems (row numbers as in your file)",
    },
    "data.warning_cells": {
        "zh": "“{field}”列有 {n} 个单元格无法识别，已置空（整行仍会导入）。",
        "en": "{n} cells of “{field}” could not be read and are left empty (the rows are still stored).",
    },
    "data.nothing_to_store": {"zh": "没有可导入的行。", "en": "There are no rows to store."},
    "data.overlap_choice": {"zh": "如何处理重叠的数据？", "en": "What should happen to the overlapping rows?"},
    "data.overlap.replace": {"zh": "替换这部分已有数据", "en": "Replace that slice of stored data"},
    "data.overlap.append": {"zh": "追加（保留已有数据）", "en": "Append (keep the stored rows)"},
    "data.confirm": {"zh": "确认导入", "en": "Confirm and store"},
    "data.confirm_help": {
        "zh": "整个文件作为一次上传导入：要么全部成功，要么不做任何改动；之后可撤销。",
        "en": "The file is stored as one upload: all rows or none; it can be undone later.",
    },
    "data.stored_title": {"zh": "已导入 {file}", "en": "Stored {file}"},
    "data.log": {"zh": "上传记录", "en": "Upload log"},
    "data.log_empty": {"zh": "还没有任何上传。", "en": "Nothing has been uploaded yet."},
    "data.undo": {"zh": "撤销上传", "en": "Undo an upload"},
    "data.undo_pick": {"zh": "选择要撤销的上传", "en": "Upload to undo"},
    "data.undo_placeholder": {"zh": "请选择一次上传", "en": "Choose an upload"},
    "data.undo_button": {"zh": "撤销", "en": "Undo"},
    "data.undone": {"zh": "已撤销第 {id} 次上传，删除了 {n} 行。", "en": "Upload #{id} undone; {n} rows removed."},
    "data.undo_missing": {"zh": "该上传已被撤销。", "en": "That upload was already undone."},
    "data.demo": {"zh": "演示数据", "en": "Demo data"},
    "data.demo_loaded": {
        "zh": "数据库中有演示数据。上传自己的数据后，建议移除演示数据。",
        "en": "The store holds the demo company. Once your own data is in, remove the demo.",
    },
    "data.remove_demo": {"zh": "移除演示数据", "en": "Remove demo data"},
    "data.demo_removed": {"zh": "已移除演示数据（{n} 次上传）。", "en": "Demo data removed ({n} uploads)."},
    "data.no_demo": {"zh": "没有演示数据。", "en": "No demo data is loaded."},
    # key accounts page (pages/key_accounts.py): keys ka.*
    # pyramid page (pages/pyramid.py): keys pyr.*
    # rfm page (pages/rfm.py): keys rfm.*
    # churn page (pages/churn.py): keys churn.*
    # satisfaction page (pages/satisfaction.py): keys sat.*
    # customer card page (pages/customer_card.py): keys card.*
}


def _current_lang() -> str:
    """The session's language (Streamlit state when a script is running, else the default)."""
    try:
        from ui import state

        return state.lang()
    except Exception:  # outside a Streamlit run (plain tests, scripts)
        return DEFAULT_LANG


def t(key: str, /, lang: str | None = None, **params: object) -> str:
    """Translate ``key`` into ``lang`` (default: the session's language) and fill ``params``.

    A missing key renders as the key itself, so a typo is visible but never crashes a page
    (``tests/test_i18n.py`` keeps every literal key in the table).
    """
    entry = TEXTS.get(key)
    if entry is None:
        return key
    template = entry.get(lang or _current_lang()) or entry[DEFAULT_LANG]
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def has(key: str) -> bool:
    """Whether ``key`` is in the table (for optional labels such as ``col.<name>``)."""
    return key in TEXTS
