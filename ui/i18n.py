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
    "link.share": {"zh": "分享此视图", "en": "Share this view"},
    "link.help": {
        "zh": "复制此链接：打开它的人看到同一页面、同样的筛选和设置（需有访问权限）。",
        "en": "Copy this link: whoever opens it sees the same page, filters and settings (access permitting).",
    },
    "link.stale": {
        "zh": "链接中的部分参数已不适用，已改用默认值：{params}",
        "en": "Some settings in the link no longer apply and fell back to their defaults: {params}",
    },
    "live.updated": {
        "zh": "数据已更新（有人上传或撤销了数据），页面已自动刷新。",
        "en": "The data changed (an upload or undo elsewhere); this page has refreshed itself.",
    },
    "present.header": {"zh": "演示模式", "en": "Presentation"},
    "present.toggle": {"zh": "演示模式", "en": "Presentation mode"},
    "present.help": {
        "zh": "隐藏侧栏和所有控件，放大数字和标题，适合投影。链接中带 present=1 即可直接进入。",
        "en": "Hides the sidebar and every control and enlarges numbers and titles for a projector. "
        "A link with present=1 opens straight into it.",
    },
    "present.tour": {"zh": "自动轮播的页面", "en": "Pages to cycle through"},
    "present.advance": {"zh": "每页停留秒数（0 = 不轮播）", "en": "Seconds per page (0 = stay)"},
    "present.exit": {"zh": "退出演示", "en": "Leave presentation"},
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
    "ka.title": {"zh": "大客户", "en": "Key accounts"},
    "ka.caption": {
        "zh": "谁贡献了销售额（二八法则 / ABC 分类）、销售额有多集中（洛伦兹曲线 / 基尼系数）、谁创造了利润（利润鲸鱼曲线）。",
        "en": "Who brings the revenue (80/20 rule, ABC classes), how concentrated it is (Lorenz curve, Gini), "
        "and who earns the profit (profit whale curve).",
    },
    "ka.period_default": {
        "zh": "分析期：{start} 至 {end}（截至最新交易日的最近 {months} 个月；可在侧栏选择日期范围）。",
        "en": "Period: {start} to {end} (the {months} months up to the latest transaction; "
        "pick a date range in the sidebar).",
    },
    "ka.period_chosen": {"zh": "分析期：{start} 至 {end}。", "en": "Period: {start} to {end}."},
    "ka.no_data": {
        "zh": "当前筛选条件下没有交易数据，无法识别大客户。请调整侧栏筛选，或在“数据”页上传销售明细。",
        "en": "No transactions match the current filters, so there are no key accounts to show. "
        "Adjust the sidebar filters or upload a ledger on the Data page.",
    },
    "ka.no_positive": {
        "zh": "分析期内没有净销售额为正的客户（退货冲减了全部购买），无法排名。",
        "en": "No customer has positive net revenue in the period (returns cancel every purchase), so nobody "
        "can be ranked.",
    },
    "ka.top_share": {"zh": "头部客户比例", "en": "Top share of customers"},
    "ka.top_share_help": {
        "zh": "标题句中“前 X% 的客户贡献了 Y% 的销售额”里的 X。",
        "en": "The X in the headline “the top X% of customers bring Y% of revenue”.",
    },
    "ka.abc_cuts": {"zh": "ABC 分界（累计销售额占比）", "en": "ABC cutoffs (cumulative share of revenue)"},
    "ka.abc_cuts_help": {
        "zh": "按销售额从高到低累计：累计占比达到左侧分界为 A 类，达到右侧分界为 B 类，其余为 C 类。"
        "跨越分界的那一家归入上一类。",
        "en": "Customers by revenue, largest first: class A until the cumulative share reaches the left cutoff, "
        "B until the right one, C after. The customer that crosses a cutoff belongs to the upper class.",
    },
    "ka.headline": {
        "zh": "前 {share} 的客户（{count} 家）贡献了 {revenue_share} 的销售额；"
        "{target} 的销售额来自 {target_count} 家客户（{target_share}）",
        "en": "The top {share} of customers ({count}) bring {revenue_share} of revenue; "
        "{target} of revenue comes from {target_count} customers ({target_share})",
    },
    "ka.kpi_ranked": {"zh": "参与排名客户", "en": "Customers ranked"},
    "ka.kpi_ranked_help": {
        "zh": "分析期内净销售额大于 0 的客户。",
        "en": "Customers with net revenue above 0 in the period.",
    },
    "ka.kpi_gini": {"zh": "基尼系数", "en": "Gini coefficient"},
    "ka.kpi_gini_help": {
        "zh": "客户销售额的集中度：0 = 每家客户一样多，越接近 1 越集中在少数客户。",
        "en": "Concentration of customer revenue: 0 = every customer buys the same, close to 1 = a few "
        "customers bring almost everything.",
    },
    "ka.kpi_class": {"zh": "{cls} 类客户", "en": "Class {cls} customers"},
    "ka.kpi_class_help.A": {
        "zh": "累计销售额占比达到 {a} 为止的头部客户（含跨越分界的那一家）。",
        "en": "The largest customers until the cumulative share of revenue reaches {a} (the one crossing it "
        "included).",
    },
    "ka.kpi_class_help.B": {
        "zh": "累计销售额占比从 {a} 到 {b} 的客户。",
        "en": "Customers from a cumulative share of {a} up to {b}.",
    },
    "ka.kpi_class_help.C": {
        "zh": "其余客户，包括净销售额 ≤ 0、未参与排名的客户。",
        "en": "Everyone else, including the customers with net revenue ≤ 0 that are not ranked.",
    },
    "ka.excluded": {
        "zh": "另有 {count} 家客户在分析期内净销售额 ≤ 0（退货冲减超过购买，合计 {revenue}），未参与排名："
        "它们没有贡献销售额，计入会让累计占比超过 100%、基尼系数失去意义。它们计为 C 类，列在客户名单末尾。",
        "en": "{count} more customers had net revenue ≤ 0 in the period (returns exceeding purchases, {revenue} "
        "in total) and are not ranked: they bring no revenue, and counting them would push cumulative shares "
        "above 100% and make the Gini meaningless. They count as class C and come last in the customer list.",
    },
    "ka.excluded_items": {
        "zh": "{count} 个{unit}的净销售额 ≤ 0，未参与排名，计为 C 类。",
        "en": "{count} {unit} with net revenue ≤ 0 are not ranked and count as class C.",
    },
    "ka.tab.pareto": {"zh": "帕累托与 ABC", "en": "Pareto & ABC"},
    "ka.tab.lorenz": {"zh": "集中度", "en": "Concentration"},
    "ka.tab.whale": {"zh": "利润鲸鱼曲线", "en": "Profit whale curve"},
    "ka.tab.list": {"zh": "客户名单", "en": "Customer list"},
    "ka.dimension": {"zh": "排名对象", "en": "Rank"},
    "ka.dim.customer": {"zh": "客户", "en": "Customers"},
    "ka.dim.product": {"zh": "产品", "en": "Products"},
    "ka.dim.category": {"zh": "品类", "en": "Categories"},
    "ka.dim.region": {"zh": "区域", "en": "Regions"},
    "ka.unit.customer": {"zh": "客户", "en": "customers"},
    "ka.unit.product": {"zh": "产品", "en": "products"},
    "ka.unit.category": {"zh": "品类", "en": "categories"},
    "ka.unit.region": {"zh": "区域", "en": "regions"},
    "ka.name.customer": {"zh": "客户", "en": "Customer"},
    "ka.name.product": {"zh": "产品", "en": "Product"},
    "ka.name.category": {"zh": "品类", "en": "Category"},
    "ka.name.region": {"zh": "区域", "en": "Region"},
    "ka.count.customer": {"zh": "客户数", "en": "Customers"},
    "ka.count.product": {"zh": "产品数", "en": "Products"},
    "ka.count.category": {"zh": "品类数", "en": "Categories"},
    "ka.count.region": {"zh": "区域数", "en": "Regions"},
    "ka.count_share.customer": {"zh": "客户占比", "en": "Share of customers"},
    "ka.count_share.product": {"zh": "产品占比", "en": "Share of products"},
    "ka.count_share.category": {"zh": "品类占比", "en": "Share of categories"},
    "ka.count_share.region": {"zh": "区域占比", "en": "Share of regions"},
    "ka.cum_share.customer": {"zh": "客户累计占比", "en": "Cumulative share of customers"},
    "ka.cum_share.product": {"zh": "产品累计占比", "en": "Cumulative share of products"},
    "ka.cum_share.category": {"zh": "品类累计占比", "en": "Cumulative share of categories"},
    "ka.cum_share.region": {"zh": "区域累计占比", "en": "Cumulative share of regions"},
    "ka.no_items": {
        "zh": "分析期内的交易没有填写{unit}，无法按{unit}排名。",
        "en": "No line in the period names its {unit}, so they cannot be ranked.",
    },
    "ka.blank": {"zh": "（未填写）", "en": "(blank)"},
    "ka.pareto_title": {
        "zh": "前 {share} 的{unit}贡献 {revenue_share} 的销售额；A 类 {a_count} 个{unit}贡献 {a_share}",
        "en": "Top {share} of {unit} bring {revenue_share} of revenue; {a_count} class A {unit} bring {a_share}",
    },
    "ka.pareto_x": {"zh": "{unit}排名（1 = 销售额最高）", "en": "Rank of {unit} by revenue (1 = largest)"},
    "ka.revenue_axis": {"zh": "销售额（{unit}）", "en": "Revenue ({unit})"},
    "ka.cum_revenue": {"zh": "累计销售额占比", "en": "Cumulative share of revenue"},
    "ka.cum_revenue_axis": {"zh": "累计销售额占比（%）", "en": "Cumulative share of revenue (%)"},
    "ka.rank_of": {"zh": "第 {rank} 名", "en": "#{rank}"},
    "ka.band": {"zh": "{cls} 类 · {count}", "en": "{cls} · {count}"},
    "ka.top_marker": {"zh": "前 {share}", "en": "Top {share}"},
    "ka.abc_table": {"zh": "ABC 分类汇总", "en": "ABC classes"},
    "ka.chart_data": {"zh": "图表数据（可下载）", "en": "Chart data (downloadable)"},
    "ka.lorenz_title": {
        "zh": "基尼系数 {gini}：销售额较小的一半客户只贡献了 {bottom} 的销售额",
        "en": "Gini {gini}: the smaller half of customers bring only {bottom} of revenue",
    },
    "ka.lorenz_x": {
        "zh": "客户累计占比（按销售额从小到大，%）",
        "en": "Cumulative share of customers (smallest first, %)",
    },
    "ka.lorenz_curve": {"zh": "洛伦兹曲线", "en": "Lorenz curve"},
    "ka.equality": {"zh": "完全平均", "en": "Perfect equality"},
    "ka.lorenz_caption": {
        "zh": "曲线离对角线越远，销售额越集中；基尼系数 = 对角线与曲线之间面积的 2 倍。",
        "en": "The further the curve sags below the diagonal, the more concentrated the revenue; "
        "the Gini is twice the area between them.",
    },
    "ka.whale_title": {
        "zh": "利润在前 {peak_customers} 的客户处达到总利润的 {peak}；{losers} 家亏损客户回吐了 {given_back}",
        "en": "Profit peaks at {peak} of the total after the top {peak_customers} of customers; "
        "{losers} unprofitable customers give back {given_back}",
    },
    "ka.whale_x": {
        "zh": "客户累计占比（按毛利从高到低，%）",
        "en": "Cumulative share of customers (most profitable first, %)",
    },
    "ka.whale_y": {"zh": "累计毛利占总毛利（%）", "en": "Cumulative profit, share of total (%)"},
    "ka.whale_curve": {"zh": "累计毛利", "en": "Cumulative profit"},
    "ka.whale_total": {"zh": "总毛利 = 100%", "en": "Total profit = 100%"},
    "ka.whale_peak": {"zh": "峰值 {peak}", "en": "Peak {peak}"},
    "ka.whale_loss_zone": {"zh": "亏损客户", "en": "Unprofitable customers"},
    "ka.whale_peak_metric": {"zh": "利润峰值", "en": "Peak profit share"},
    "ka.whale_peak_help": {
        "zh": "按毛利从高到低累计，盈利客户的毛利合计占总毛利的比例（常远超 100%）。",
        "en": "Profit of the profitable customers, ranked from most profitable, as a share of total profit "
        "(often far above 100%).",
    },
    "ka.whale_peak_at": {"zh": "峰值位置", "en": "Peak reached after"},
    "ka.whale_peak_at_value": {"zh": "前 {share} 的客户", "en": "top {share} of customers"},
    "ka.whale_peak_at_help": {"zh": "前 {count} 家客户。", "en": "The top {count} customers."},
    "ka.whale_losers": {"zh": "亏损客户", "en": "Unprofitable customers"},
    "ka.whale_losers_help": {
        "zh": "分析期内毛利为负的客户，合计亏损 {loss}。",
        "en": "Customers with negative profit in the period, {loss} in total.",
    },
    "ka.whale_given_back": {"zh": "回吐利润", "en": "Profit given back"},
    "ka.whale_given_back_help": {
        "zh": "亏损客户吞掉的利润占总毛利的比例（峰值 − 100%）。",
        "en": "Share of total profit the unprofitable customers destroy (peak − 100%).",
    },
    "ka.whale_caption": {
        "zh": "Sherden 的 80/20/30 规律：最赚钱的 20% 客户常贡献 80% 以上的利润，最不赚钱的 30% 会吃掉其中一半。"
        "曲线越过 100% 的部分，就是亏损客户吞掉的利润。",
        "en": "Sherden's 80/20/30: the most profitable 20% of customers often earn over 80% of profit and the "
        "least profitable 30% eat half of it. Whatever the curve rises above 100% is profit the unprofitable "
        "customers destroy.",
    },
    "ka.whale_without_profit": {
        "zh": "{count} 家客户没有毛利数据，未计入鲸鱼曲线。",
        "en": "{count} customers have no profit data and are not on the whale curve.",
    },
    "ka.no_profit": {
        "zh": "数据中没有毛利列，无法绘制利润鲸鱼曲线。上传带毛利的销售明细即可查看。",
        "en": "The data has no profit column, so there is no profit whale curve. Upload a ledger with profit "
        "to see it.",
    },
    "ka.profit_not_positive": {
        "zh": "分析期内总毛利 ≤ 0，“占总毛利的比例”没有意义，因此不绘制鲸鱼曲线。",
        "en": "Total profit in the period is ≤ 0, so shares of it mean nothing and there is no whale curve.",
    },
    "ka.list_caption": {
        "zh": "按销售额排名；ABC 按上方分界，分级按“客户金字塔”页的设置，RFM 分群按分析期计算。",
        "en": "Ranked by revenue; ABC by the cutoffs above, tiers by the settings of the Pyramid page, "
        "RFM segments over the period.",
    },
    "ka.tier.diamond": {"zh": "钻石", "en": "Diamond"},
    "ka.tier.platinum": {"zh": "白金", "en": "Platinum"},
    "ka.tier.gold": {"zh": "黄金", "en": "Gold"},
    "ka.tier.vip": {"zh": "贵宾", "en": "VIP"},
    "ka.tier.ordinary": {"zh": "普通", "en": "Ordinary"},
    "ka.tier.key": {"zh": "重要", "en": "Key"},
    "ka.tier.major": {"zh": "主要", "en": "Major"},
    "ka.tier.small": {"zh": "小客户", "en": "Small"},
    "ka.segment.champions": {"zh": "重要价值", "en": "Champions"},
    "ka.segment.loyal": {"zh": "忠诚客户", "en": "Loyal"},
    "ka.segment.potential_loyalist": {"zh": "潜力客户", "en": "Potential loyalists"},
    "ka.segment.new": {"zh": "新客户", "en": "New"},
    "ka.segment.promising": {"zh": "有希望", "en": "Promising"},
    "ka.segment.need_attention": {"zh": "需要关注", "en": "Need attention"},
    "ka.segment.about_to_sleep": {"zh": "即将沉睡", "en": "About to sleep"},
    "ka.segment.at_risk": {"zh": "有流失风险", "en": "At risk"},
    "ka.segment.cant_lose": {"zh": "不能失去", "en": "Can't lose"},
    "ka.segment.hibernating": {"zh": "沉睡客户", "en": "Hibernating"},
    "ka.segment.lost": {"zh": "已流失", "en": "Lost"},
    "ka.col.tier": {"zh": "分级", "en": "Tier"},
    "ka.col.rfm_segment": {"zh": "RFM 分群", "en": "RFM segment"},
    "col.revenue_rank": {"zh": "排名", "en": "Rank"},
    "col.rank": {"zh": "排名", "en": "Rank"},
    "col.revenue_share": {"zh": "销售额占比", "en": "Share of revenue"},
    "col.cum_revenue_share": {"zh": "累计销售额占比", "en": "Cumulative share of revenue"},
    "col.abc_class": {"zh": "ABC 类", "en": "ABC class"},
    "col.abc": {"zh": "ABC 类", "en": "ABC class"},
    "col.profit_share": {"zh": "毛利占比", "en": "Share of profit"},
    "col.cum_profit_share": {"zh": "累计毛利占比", "en": "Cumulative share of profit"},
    # pyramid page (pages/pyramid.py): keys pyr.*
    # rfm page (pages/rfm.py): keys rfm.*
    # churn page (pages/churn.py): keys churn.*
    # satisfaction page (pages/satisfaction.py): keys sat.*
    "sat.title": {"zh": "满意度", "en": "Satisfaction"},
    "sat.caption": {
        "zh": "客户满意度（CSAT、NPS）、满意度与复购和流失的关系、满意度驱动因素和投诉管理。"
        "日期筛选作用于调查日期和投诉日期；区域、销售员、品类、渠道筛选按客户生效。",
        "en": "Customer satisfaction (CSAT, NPS), how satisfaction relates to repurchase and churn, what drives it, "
        "and complaints. The date range applies to survey and complaint dates; region, sales rep, category and "
        "channel filters select customers.",
    },
    "sat.no_surveys": {
        "zh": "当前筛选范围内没有满意度调查。请在“数据”页上传满意度调查（客户、调查日期、总体满意度，"
        "可选各维度得分和 0–10 分的推荐意愿）。",
        "en": "There are no satisfaction surveys in the current filters. Upload a survey file on the Data page "
        "(customer, survey date, overall score; optionally dimension scores and a 0–10 “likely to recommend”).",
    },
    "sat.no_complaints": {
        "zh": "当前筛选范围内没有投诉记录。请在“数据”页上传投诉记录（客户、投诉日期、类别、严重程度、处理状态、解决日期）。",
        "en": "There are no complaints in the current filters. Upload a complaint log on the Data page "
        "(customer, opened date, category, severity, status, resolved date).",
    },
    "sat.to_data": {"zh": "前往“数据”页上传", "en": "Go to the Data page"},
    "sat.tables": {"zh": "表格视图与下载", "en": "Table view and download"},
    "sat.score_label": {"zh": "{score} 分", "en": "{score}"},
    "sat.score_on_scale": {"zh": "{score} 分（{scale}）", "en": "{score} ({scale})"},
    "sat.score_axis": {"zh": "总体满意度（分）", "en": "Overall score (points)"},
    "sat.points": {"zh": "分", "en": "points"},
    "sat.normalised_points": {"zh": "0–100 折算分", "en": "0–100, rescaled"},
    # CSAT
    "sat.csat.header": {"zh": "客户满意度（CSAT）", "en": "Customer satisfaction (CSAT)"},
    "sat.csat.mean": {"zh": "平均满意度", "en": "Mean score"},
    "sat.csat.mean_help": {
        "zh": "总体满意度的平均分；量表 {scale} 分（上传时检测并确认）。",
        "en": "Mean overall score on the {scale} scale (detected and confirmed at upload).",
    },
    "sat.csat.mean_mixed_help": {
        "zh": "各次上传的量表不同（{scales}），平均分折算为 0–100：(得分 − 量表最低分) ÷ (最高分 − 最低分) × 100。",
        "en": "The uploads use different scales ({scales}), so the mean is rescaled to 0–100: "
        "(score − scale minimum) ÷ (maximum − minimum) × 100.",
    },
    "sat.csat.top2": {"zh": "满意率（前两档）", "en": "Satisfied (top-2 box)"},
    "sat.csat.top2_help": {
        "zh": "总体满意度落在量表最高两档（{top} 分）的答卷占比。",
        "en": "Share of responses in the top two points of their scale ({top}).",
    },
    "sat.csat.responses": {"zh": "有效答卷", "en": "Responses"},
    "sat.csat.responses_help": {
        "zh": "有总体满意度得分的调查答卷数。",
        "en": "Survey responses with an overall score.",
    },
    "sat.csat.dist_title": {
        "zh": "{share} 的答卷给出 {top} 分（满意）",
        "en": "{share} of responses are satisfied ({top})",
    },
    "sat.csat.responses_axis": {"zh": "答卷数（份）", "en": "Responses"},
    "sat.csat.responses_series": {"zh": "答卷", "en": "Responses"},
    "sat.csat.responses_hover": {"zh": "{n} 份（{share}）", "en": "{n} ({share})"},
    "sat.csat.trend_title": {
        "zh": "满意率从 {first}（{first_month}）变为 {last}（{last_month}）",
        "en": "Satisfied share went from {first} ({first_month}) to {last} ({last_month})",
    },
    "sat.csat.trend_title_one": {"zh": "{month}满意率 {share}", "en": "Satisfied share in {month}: {share}"},
    "sat.csat.share_axis": {"zh": "满意率（%）", "en": "Satisfied share (%)"},
    "sat.csat.mean_axis": {"zh": "平均分（{unit}）", "en": "Mean score ({unit})"},
    "sat.csat.top2_series": {"zh": "满意率", "en": "Satisfied share"},
    "sat.csat.mean_series": {"zh": "平均分", "en": "Mean score"},
    # NPS
    "sat.nps.header": {"zh": "净推荐值（NPS）", "en": "Net Promoter Score (NPS)"},
    "sat.nps.none": {
        "zh": "调查中没有 0–10 分的“推荐意愿”得分，无法计算 NPS。上传调查时把推荐意愿列映射为“推荐意愿”即可。",
        "en": "The surveys have no 0–10 “likely to recommend” answers, so there is no NPS. Map that column to "
        "“Likely to recommend” when uploading a survey.",
    },
    "sat.nps.value": {"zh": "NPS", "en": "NPS"},
    "sat.nps.value_help": {
        "zh": "推荐者占比 − 贬损者占比（百分点，−100 至 100；Reichheld, 2003）。共 {n} 份有推荐意愿得分的答卷。",
        "en": "% promoters − % detractors, in points from −100 to 100 (Reichheld, 2003); {n} responses with a "
        "recommend score.",
    },
    "sat.nps.promoters": {"zh": "推荐者（9–10 分）", "en": "Promoters (9–10)"},
    "sat.nps.passives": {"zh": "中立者（7–8 分）", "en": "Passives (7–8)"},
    "sat.nps.detractors": {"zh": "贬损者（0–6 分）", "en": "Detractors (0–6)"},
    "sat.nps.count_help": {"zh": "{n} 份答卷", "en": "{n} responses"},
    "sat.nps.title": {
        "zh": "NPS {nps}：推荐者 {promoters}，贬损者 {detractors}",
        "en": "NPS {nps}: {promoters} promoters, {detractors} detractors",
    },
    "sat.nps.share_axis": {"zh": "答卷占比（%）", "en": "Share of responses (%)"},
    "sat.nps.nps_axis": {"zh": "NPS（点）", "en": "NPS (points)"},
    "sat.nps.month_axis": {"zh": "调查月份", "en": "Survey month"},
    # satisfaction → loyalty
    "sat.loyalty.header": {"zh": "满意度与忠诚度", "en": "Satisfaction and loyalty"},
    "sat.loyalty.days": {"zh": "复购观察期（调查后天数）", "en": "Repurchase window (days after the survey)"},
    "sat.loyalty.days_help": {
        "zh": "调查后这么多天内有购买即算复购。观察期超出数据末尾的答卷不计入复购率。",
        "en": "A purchase within this many days after the survey counts as a repurchase. Responses whose window "
        "runs past the end of the data are left out of the rate.",
    },
    "sat.loyalty.title": {
        "zh": "打 {top} 分的客户 {days} 天内复购率是打 {next} 分客户的 {ratio} 倍",
        "en": "Customers who scored {top} repurchased within {days} days {ratio}× as often as those who scored {next}",
    },
    "sat.loyalty.title_plain": {
        "zh": "调查后 {days} 天内复购率与 {months} 个月内流失率（按总体满意度）",
        "en": "Repurchase within {days} days and churn within {months} months after the survey, by score",
    },
    "sat.loyalty.rate_of": {"zh": "{score} 分客户复购率", "en": "Repurchase rate, score {score}"},
    "sat.loyalty.rate_help": {
        "zh": "调查后 {days} 天内再次购买的答卷占比（{n} 份可观察的答卷）。",
        "en": "Share of responses followed by a purchase within {days} days ({n} responses with a full window).",
    },
    "sat.loyalty.ratio": {"zh": "复购率倍数", "en": "Repurchase ratio"},
    "sat.loyalty.ratio_value": {"zh": "{ratio} 倍", "en": "{ratio}×"},
    "sat.loyalty.ratio_help": {
        "zh": "{top} 分复购率 ÷ {next} 分复购率。参照：Jones & Sasser（1995）报告的一家公司中，"
        "“完全满意”的客户复购率约为“满意”客户的 6 倍。",
        "en": "Repurchase rate at {top} ÷ rate at {next}. For reference, Jones & Sasser (1995) report a company "
        "where completely satisfied customers repurchased about 6× as often as merely satisfied ones.",
    },
    "sat.loyalty.repurchase_series": {"zh": "{days} 天内复购率", "en": "Repurchased within {days} days"},
    "sat.loyalty.churn_series": {"zh": "{months} 个月内流失率", "en": "Churned within {months} months"},
    "sat.loyalty.rate_axis": {"zh": "占答卷比例（%）", "en": "Share of responses (%)"},
    "sat.loyalty.caption": {
        "zh": "复购 = 调查后 {days} 天内有正金额购买；流失 = 调查后 {months} 个月内没有任何购买"
        "（{months} 个月是“客户流失”页设置的窗口）。观察期超出数据末尾（{end}）的答卷不计入对应比率。",
        "en": "Repurchase = a purchase (positive amount) within {days} days after the survey; churn = no purchase "
        "within {months} months after it ({months} months is the window set on the Churn page). Responses whose "
        "window runs past the end of the data ({end}) are left out of that rate.",
    },
    "sat.loyalty.no_ledger": {
        "zh": "没有对应客户的销售明细，无法计算调查后的复购和流失。请在“数据”页上传销售明细。",
        "en": "There are no ledger lines for these customers, so repurchase and churn after a survey cannot be "
        "computed. Upload a sales ledger on the Data page.",
    },
    "sat.loyalty.none_eligible": {
        "zh": "所有答卷的 {days} 天观察期都超出了数据末尾（{end}），暂无可计算的复购率。请缩短观察期或上传更新的销售明细。",
        "en": "Every response's {days}-day window runs past the end of the data ({end}), so there is no repurchase "
        "rate yet. Shorten the window or upload a newer ledger.",
    },
    # drivers
    "sat.drivers.header": {"zh": "满意度驱动因素", "en": "Satisfaction drivers"},
    "sat.drivers.none": {
        "zh": "调查中没有分维度得分（如产品、服务、交付、价格、人员），无法做重要性–表现分析。",
        "en": "The surveys have no dimension scores (e.g. product, service, delivery, price, staff), so there is "
        "no importance–performance analysis.",
    },
    "sat.drivers.flat": {
        "zh": "分维度得分或总体得分没有变化（或答卷少于 3 份），无法计算重要性。",
        "en": "The dimension or overall scores do not vary (or there are fewer than 3 responses), so importance "
        "cannot be computed.",
    },
    "sat.drivers.title_focus": {
        "zh": "最该改进：{names}——对总体满意度影响大，但得分低于平均",
        "en": "Concentrate here: {names} — important to overall satisfaction, but scored below average",
    },
    "sat.drivers.title_top": {
        "zh": "对总体满意度影响最大的是“{name}”（ρ = {rho}）",
        "en": "{name} matters most for overall satisfaction (ρ = {rho})",
    },
    "sat.drivers.perf_axis": {"zh": "表现：平均得分（{unit}）", "en": "Performance: mean score ({unit})"},
    "sat.drivers.imp_axis": {
        "zh": "重要性：与总体满意度的相关系数 ρ",
        "en": "Importance: correlation ρ with overall",
    },
    "sat.drivers.hover": {
        "zh": "平均得分 {mean} · 重要性 ρ = {rho} · {quadrant}",
        "en": "Mean {mean} · importance ρ = {rho} · {quadrant}",
    },
    "sat.drivers.caption": {
        "zh": "每个点是一个维度：横轴为该维度的平均得分（表现），纵轴为该维度得分与总体满意度的 Spearman 等级相关系数"
        "（重要性）；虚线为各维度的平均值（重要性–表现分析，Martilla & James, 1977）。",
        "en": "Each point is a dimension: x is its mean score (performance), y the Spearman rank correlation of its "
        "score with the overall score (importance); the dashed lines are the means over the dimensions "
        "(importance–performance analysis, Martilla & James, 1977).",
    },
    "sat.quadrant.keep_up": {"zh": "继续保持", "en": "Keep up the good work"},
    "sat.quadrant.concentrate_here": {"zh": "重点改进", "en": "Concentrate here"},
    "sat.quadrant.low_priority": {"zh": "低优先级", "en": "Low priority"},
    "sat.quadrant.possible_overkill": {"zh": "可能投入过度", "en": "Possible overkill"},
    "sat.dim.product": {"zh": "产品", "en": "Product"},
    "sat.dim.service": {"zh": "服务", "en": "Service"},
    "sat.dim.delivery": {"zh": "交付", "en": "Delivery"},
    "sat.dim.price": {"zh": "价格", "en": "Price"},
    "sat.dim.staff": {"zh": "人员", "en": "Staff"},
    # complaints
    "sat.complaints.header": {"zh": "投诉管理", "en": "Complaints"},
    "sat.complaints.total": {"zh": "投诉数", "en": "Complaints"},
    "sat.complaints.total_help": {
        "zh": "投诉日期在筛选范围内的投诉；已解决 {resolved} 件。",
        "en": "Complaints opened in the filters; {resolved} resolved.",
    },
    "sat.complaints.open": {"zh": "未结投诉", "en": "Open complaints"},
    "sat.complaints.open_help": {
        "zh": "没有解决日期、处理状态也不是“已解决/已关闭”等的投诉。",
        "en": "Complaints without a resolved date whose status is not resolved/closed.",
    },
    "sat.complaints.median_days": {"zh": "解决用时中位数", "en": "Median time to resolve"},
    "sat.complaints.median_help": {
        "zh": "已解决投诉从投诉日期到解决日期的天数中位数。",
        "en": "Median days from opened to resolved date, over resolved complaints.",
    },
    "sat.complaints.days_value": {"zh": "{days} 天", "en": "{days} days"},
    "sat.complaints.escalations": {"zh": "大客户未结投诉", "en": "Open at key accounts"},
    "sat.complaints.escalations_help": {
        "zh": "下方升级清单中的投诉数。",
        "en": "Complaints on the escalation list below.",
    },
    "sat.complaints.pareto_title": {
        "zh": "{k} 类投诉（共 {n} 类）占全部投诉的 {share}",
        "en": "{k} of {n} categories account for {share} of complaints",
    },
    "sat.complaints.category_axis": {"zh": "投诉类别", "en": "Complaint category"},
    "sat.complaints.count_axis": {"zh": "投诉数（件）", "en": "Complaints"},
    "sat.complaints.cum_axis": {"zh": "累计占比（%）", "en": "Cumulative share (%)"},
    "sat.complaints.count_series": {"zh": "投诉数", "en": "Complaints"},
    "sat.complaints.cum_series": {"zh": "累计占比", "en": "Cumulative share"},
    "sat.complaints.blank": {"zh": "（未填）", "en": "(blank)"},
    "sat.escalation.header": {"zh": "升级清单：大客户的未结投诉", "en": "Escalation list: open complaints of key accounts"},
    "sat.escalation.caption": {
        "zh": "A 类客户（{period}累计销售额前 {a_cut}）或{tiers}客户的未结投诉，按严重程度和投诉时长排序；"
        "时长计至 {date}。ABC 阈值和分级标准与“大客户”“客户金字塔”页的设置一致。",
        "en": "Open complaints of A-class customers (top {a_cut} of cumulative revenue, {period}) or {tiers} "
        "customers, most severe and oldest first; age as of {date}. The ABC cutoff and the tiers follow the "
        "settings of the Key accounts and Pyramid pages.",
    },
    "sat.escalation.none": {
        "zh": "大客户没有未结投诉。",
        "en": "No open complaints at key accounts.",
    },
    "sat.escalation.or": {"zh": "、", "en": " or "},
    "sat.around.header": {"zh": "投诉前后的满意度", "en": "Satisfaction before and after a complaint"},
    "sat.around.max_days": {
        "zh": "调查与投诉的最大间隔（天，0 = 不限）",
        "en": "Max days between survey and complaint (0 = any)",
    },
    "sat.around.max_days_help": {
        "zh": "只使用投诉前后这么多天内的调查；0 表示不限。",
        "en": "Use only surveys within this many days of the complaint; 0 means any distance.",
    },
    "sat.around.title_down": {
        "zh": "投诉后满意度平均从 {before} 降至 {after}（{pairs} 件投诉前后都有调查）",
        "en": "After a complaint, satisfaction fell from {before} to {after} on average ({pairs} complaints with a "
        "survey before and after)",
    },
    "sat.around.title_up": {
        "zh": "投诉后满意度平均从 {before} 升至 {after}（{pairs} 件投诉前后都有调查）",
        "en": "After a complaint, satisfaction rose from {before} to {after} on average ({pairs} complaints with a "
        "survey before and after)",
    },
    "sat.around.title_same": {
        "zh": "投诉前后满意度平均不变：{before}（{pairs} 件投诉前后都有调查）",
        "en": "Satisfaction was unchanged after a complaint: {before} on average ({pairs} complaints with a survey "
        "before and after)",
    },
    "sat.around.before": {"zh": "投诉前", "en": "Before"},
    "sat.around.after": {"zh": "投诉后", "en": "After"},
    "sat.around.mean_series": {"zh": "平均满意度", "en": "Mean score"},
    "sat.around.none": {
        "zh": "没有前后都有调查的投诉（同一客户在投诉日前和投诉日后各需一份调查）。",
        "en": "No complaint has a survey of the same customer both before and after it.",
    },
    "sat.around.caption": {
        "zh": "每件投诉取同一客户在投诉日之前的最后一份和之后的第一份调查（投诉当天的调查不用）；涉及 {customers} 位客户。{test}",
        "en": "For each complaint: the same customer's last survey before and first survey after the opening date "
        "(a survey on that day is not used); {customers} customers. {test}",
    },
    "sat.around.p_value": {
        "zh": "Wilcoxon 符号秩检验 p = {p}。",
        "en": "Wilcoxon signed-rank test: p = {p}.",
    },
    # tier names (analytics.tiers codes)
    "sat.tier.diamond": {"zh": "钻石", "en": "Diamond"},
    "sat.tier.platinum": {"zh": "白金", "en": "Platinum"},
    "sat.tier.gold": {"zh": "黄金", "en": "Gold"},
    "sat.tier.vip": {"zh": "贵宾", "en": "VIP"},
    "sat.tier.ordinary": {"zh": "普通", "en": "Ordinary"},
    "sat.tier.key": {"zh": "重要", "en": "Key"},
    "sat.tier.major": {"zh": "主要", "en": "Major"},
    "sat.tier.small": {"zh": "小客户", "en": "Small"},
    # column labels of the page's tables (explicit labels: sat.col.<column>)
    "sat.col.scale_min": {"zh": "量表最低分", "en": "Scale min"},
    "sat.col.scale_max": {"zh": "量表最高分", "en": "Scale max"},
    "sat.col.score": {"zh": "得分", "en": "Score"},
    "sat.col.responses": {"zh": "答卷数", "en": "Responses"},
    "sat.col.share": {"zh": "占比", "en": "Share"},
    "sat.col.month": {"zh": "月份", "en": "Month"},
    "sat.col.month_index": {"zh": "月序号", "en": "Month index"},
    "sat.col.mean": {"zh": "平均分", "en": "Mean score"},
    "sat.col.mean_normalised": {"zh": "平均分（0–1 折算）", "en": "Mean (0–1 rescaled)"},
    "sat.col.top2_share": {"zh": "满意率（前两档）", "en": "Top-2 share"},
    "sat.col.promoters": {"zh": "推荐者", "en": "Promoters"},
    "sat.col.detractors": {"zh": "贬损者", "en": "Detractors"},
    "sat.col.nps": {"zh": "NPS", "en": "NPS"},
    "sat.col.surveys": {"zh": "答卷数", "en": "Responses"},
    "sat.col.repurchase_eligible": {"zh": "可观察复购", "en": "Repurchase window complete"},
    "sat.col.repurchased": {"zh": "已复购", "en": "Repurchased"},
    "sat.col.repurchase_rate": {"zh": "复购率", "en": "Repurchase rate"},
    "sat.col.churn_eligible": {"zh": "可观察流失", "en": "Churn window complete"},
    "sat.col.churned": {"zh": "已流失", "en": "Churned"},
    "sat.col.churn_rate": {"zh": "流失率", "en": "Churn rate"},
    "sat.col.dimension": {"zh": "维度", "en": "Dimension"},
    "sat.col.importance": {"zh": "重要性（ρ）", "en": "Importance (ρ)"},
    "sat.col.p_value": {"zh": "p 值", "en": "p-value"},
    "sat.col.quadrant": {"zh": "象限", "en": "Quadrant"},
    "sat.col.category": {"zh": "投诉类别", "en": "Category"},
    "sat.col.complaints": {"zh": "投诉数", "en": "Complaints"},
    "sat.col.cumulative_share": {"zh": "累计占比", "en": "Cumulative share"},
    "sat.col.open": {"zh": "未结", "en": "Open"},
    "sat.col.median_days_to_resolve": {"zh": "解决用时中位数（天）", "en": "Median days to resolve"},
    "sat.col.severity": {"zh": "严重程度", "en": "Severity"},
    "sat.col.severity_rank": {"zh": "严重级别", "en": "Severity rank"},
    "sat.col.complaint_id": {"zh": "投诉编号", "en": "Complaint id"},
    "sat.col.customer_id": {"zh": "客户 ID", "en": "Customer id"},
    "sat.col.customer_name": {"zh": "客户", "en": "Customer"},
    "sat.col.region": {"zh": "区域", "en": "Region"},
    "sat.col.sales_rep": {"zh": "销售员", "en": "Sales rep"},
    "sat.col.abc_class": {"zh": "ABC 类", "en": "ABC class"},
    "sat.col.tier": {"zh": "客户等级", "en": "Tier"},
    "sat.col.revenue": {"zh": "期间销售额", "en": "Period revenue"},
    "sat.col.status": {"zh": "处理状态", "en": "Status"},
    "sat.col.opened_date": {"zh": "投诉日期", "en": "Opened"},
    "sat.col.age_days": {"zh": "已开天数", "en": "Days open"},
    "sat.col.before_date": {"zh": "投诉前调查日期", "en": "Survey before"},
    "sat.col.before_score": {"zh": "投诉前得分", "en": "Score before"},
    "sat.col.after_date": {"zh": "投诉后调查日期", "en": "Survey after"},
    "sat.col.after_score": {"zh": "投诉后得分", "en": "Score after"},
    "sat.col.before_norm": {"zh": "投诉前（0–1 折算）", "en": "Before (0–1)"},
    "sat.col.after_norm": {"zh": "投诉后（0–1 折算）", "en": "After (0–1)"},
    "sat.col.change_norm": {"zh": "变化（0–1 折算）", "en": "Change (0–1)"},
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
