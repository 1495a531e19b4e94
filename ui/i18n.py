"""The one translation table of the UI: every string a user reads comes from :data:`TEXTS`.

``t("home.title")`` renders a key in the current language (``zh`` by default, or ``en``);
placeholders are ``str.format`` fields: ``t("table.rows", n=662)``. Messages of the analytics
layer (ingest errors, skip reasons) have their own table in :mod:`analytics.errors`.
"""

from __future__ import annotations

from collections.abc import Iterable

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
    # meeting report (ui/report.py)
    "report.title": {"zh": "大客户雷达 · 会议报告", "en": "KA Radar · meeting report"},
    "report.generated": {"zh": "生成于 {when}", "en": "Generated {when}"},
    "report.data_dates": {"zh": "数据：{first} 至 {last}", "en": "Data: {first} to {last}"},
    "report.filters": {"zh": "筛选", "en": "Filters"},
    "report.period": {"zh": "日期 {start} 至 {end}", "en": "Dates {start} to {end}"},
    "report.no_filters": {"zh": "全部数据（无筛选）", "en": "All data (no filters)"},
    "report.rows_shown": {"zh": "仅显示前 {shown} 行（共 {total} 行）。", "en": "First {shown} of {total} rows."},
    "report.failed": {"zh": "本页生成失败", "en": "This page could not be rendered"},
    "report.download": {"zh": "下载会议报告（HTML）", "en": "Meeting report (HTML)"},
    "report.download_help": {
        "zh": "当前页面的图表（可交互）和表格，连同筛选条件和数据日期，"
        "保存为一个离线可打开的 HTML 文件，可直接邮件发送。",
        "en": "This page's charts (interactive) and tables, with the filters and data dates, as one HTML file "
        "that opens offline — ready to mail.",
    },
    # sign-in and roles (ui/auth.py)
    "auth.title": {"zh": "登录大客户雷达", "en": "Sign in to KA Radar"},
    "auth.name": {"zh": "用户名", "en": "User name"},
    "auth.password": {"zh": "密码", "en": "Password"},
    "auth.login": {"zh": "登录", "en": "Sign in"},
    "auth.login_oidc": {"zh": "使用公司账号登录", "en": "Sign in with your company account"},
    "auth.logout": {"zh": "退出登录", "en": "Sign out"},
    "auth.failed": {"zh": "用户名或密码不正确。", "en": "Wrong user name or password."},
    "auth.unknown_email": {
        "zh": "账号 {email} 未被授权访问，请联系管理员。",
        "en": "The account {email} has no access here; ask your administrator.",
    },
    "auth.signed_in": {"zh": "{name} · {role} · {scope}", "en": "{name} · {role} · {scope}"},
    "auth.all_regions": {"zh": "全部区域", "en": "all regions"},
    "auth.role": {"zh": "角色", "en": "Role"},
    "auth.role.viewer": {"zh": "查看者", "en": "viewer"},
    "auth.role.uploader": {"zh": "上传者", "en": "uploader"},
    "auth.role.admin": {"zh": "管理员", "en": "admin"},
    "auth.regions": {"zh": "区域", "en": "Regions"},
    "auth.email": {"zh": "邮箱", "en": "E-mail"},
    "auth.users": {"zh": "用户与权限", "en": "Users and roles"},
    "auth.users_help": {
        "zh": "用户在 .streamlit/secrets.toml 的 [karadar.users.<用户名>] 中配置"
        "（role、regions、password_hash 或 email）；密码哈希用 python -m analytics hash-password 生成，"
        "绝不保存明文。修改后对新的页面刷新立即生效。",
        "en": "Users live in .streamlit/secrets.toml under [karadar.users.<name>] (role, regions, password_hash or "
        "email); make a password hash with python -m analytics hash-password — never store a password in clear. "
        "Changes apply on the next page load.",
    },
    "auth.viewer_no_upload": {
        "zh": "您的角色是查看者：可以查看所有页面，但不能上传或撤销数据。",
        "en": "You are a viewer: you can read every page but not upload or undo data.",
    },
    "auth.upload_scope": {
        "zh": "您只能上传以下区域的数据：{regions}。其他区域的行会被跳过并列出。",
        "en": "You can upload rows of these regions only: {regions}. Rows of other regions are skipped and listed.",
    },
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
    "table.rows_one": {"zh": "共 {n} 行", "en": "{n} row"},
    # big tables (ui/tables.py: grids show their first MAX_SHOWN_ROWS rows): keys table.rows_shown
    "table.rows_shown": {
        "zh": "显示前 {shown} 行，共 {n} 行（下载文件包含全部行）",
        "en": "Showing the first {shown} of {n} rows (the downloads have every row)",
    },
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
    # tier names of analytics.tiers codes, the same on every page (ui.i18n.tier_name)
    "tier.diamond": {"zh": "钻石", "en": "Diamond"},
    "tier.platinum": {"zh": "白金", "en": "Platinum"},
    "tier.gold": {"zh": "黄金", "en": "Gold"},
    "tier.vip": {"zh": "贵宾", "en": "VIP"},
    "tier.ordinary": {"zh": "普通", "en": "Ordinary"},
    "tier.key": {"zh": "重要", "en": "Key"},
    "tier.major": {"zh": "主要", "en": "Major"},
    "tier.small": {"zh": "小客户", "en": "Small"},
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
    # data page upload progress (ui/upload.py): keys data.progress.*
    "data.progress.title": {"zh": "{file}：开始处理", "en": "{file}: starting"},
    "data.progress.running": {"zh": "{file}：{step}", "en": "{file}: {step}"},
    "data.progress.done": {"zh": "{file}：已完成", "en": "{file}: done"},
    "data.progress.failed": {"zh": "{file}：未能完成", "en": "{file}: could not finish"},
    # key accounts page (pages/key_accounts.py): keys ka.*
    "ka.title": {"zh": "大客户", "en": "Key accounts"},
    "ka.caption": {
        "zh": "谁贡献了销售额（二八法则 / ABC 分类）、销售额有多集中（洛伦兹曲线 / 基尼系数）、"
        "谁创造了利润（利润鲸鱼曲线）。",
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
        "en": "The largest customers until the cumulative share of revenue reaches {a}, the one crossing it included.",
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
    "ka.dimension": {"zh": "帕累托分析对象", "en": "Pareto of"},
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
    "ka.cut_label": {"zh": "{upper}/{lower} 分界 {cut}", "en": "{upper}/{lower} cutoff {cut}"},
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
    "ka.lorenz_hover": {
        "zh": "销售额最小的 {customers} 客户贡献 {revenue}",
        "en": "The smallest {customers} of customers bring {revenue}",
    },
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
    "ka.whale_peak_at": {"zh": "峰值处的客户占比", "en": "Customers up to the peak"},
    "ka.whale_peak_at_help": {
        "zh": "按毛利从高到低，前 {count} 家客户时累计毛利最高；之后的客户都在亏损或零利润。",
        "en": "Cumulative profit is highest after the {count} most profitable customers; everyone after them "
        "makes a loss or no profit.",
    },
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
    "pyr.no_data": {
        "zh": "当前筛选条件下没有交易数据，无法分级。请调整侧栏筛选，或在“数据”页上传销售明细。",
        "en": "No transactions match the current filters, so there is nothing to tier. "
        "Adjust the sidebar filters or upload a ledger on the Data page.",
    },
    "pyr.caption": {
        "zh": "按 {period} 的净销售额（退货已冲减）给客户分级，截至 {as_of}。门槛和比例对本页所有图表生效，"
        "也用于“大客户”和“客户档案卡”页。",
        "en": "Customers are tiered by net revenue (returns netted) in {period}, as of {as_of}. The floors and "
        "shares apply to every chart on this page and to the Key accounts and Customer card pages.",
    },
    "pyr.mode": {"zh": "分级方式", "en": "Tiering"},
    "pyr.mode.absolute": {"zh": "按金额门槛", "en": "Spend floors"},
    "pyr.mode.rank": {"zh": "按排名比例", "en": "Rank shares"},
    "pyr.node.new": {"zh": "新客户", "en": "New"},
    "pyr.node.lost": {"zh": "流失", "en": "Lost"},
    "pyr.floor": {"zh": "{tier}门槛（≥，{currency}）", "en": "{tier} floor (≥, {currency})"},
    "pyr.floor_caption": {"zh": "{tier}：{value} 及以上", "en": "{tier}: {value} and above"},
    "pyr.share": {"zh": "{tier}客户占比", "en": "{tier}: share of customers"},
    "pyr.share_rest": {"zh": "{tier}（其余客户）", "en": "{tier} (the rest)"},
    "pyr.ladder_order": {
        "zh": "{lower}门槛（{lower_value}）高于{upper}门槛（{upper_value}）：门槛须从钻石到贵宾逐级递减（可以相等）。",
        "en": "The {lower} floor ({lower_value}) is above the {upper} floor ({upper_value}): floors must not "
        "increase from Diamond down to VIP.",
    },
    "pyr.ladder_kept": {
        "zh": "暂按上一次有效的门槛分级：{ladder}。",
        "en": "Tiers still use the last valid floors: {ladder}.",
    },
    "pyr.shares_over": {
        "zh": "重要、主要、普通三级合计 {total}%，超过 100%：请调小其中一项。暂按上一次有效的比例分级：{kept}。",
        "en": "Key, Major and Ordinary add up to {total}%, more than 100%: lower one of them. "
        "Tiers still use the last valid shares: {kept}.",
    },
    "pyr.row.floor": {"zh": "{tier} ≥ {value}", "en": "{tier} ≥ {value}"},
    "pyr.row.below": {"zh": "{tier} < {value}", "en": "{tier} < {value}"},
    "pyr.row.top": {"zh": "{tier} · 前 {share}", "en": "{tier} · top {share}"},
    "pyr.row.next": {"zh": "{tier} · 其后 {share}", "en": "{tier} · next {share}"},
    "pyr.row.rest": {"zh": "{tier} · 其余 {share}", "en": "{tier} · other {share}"},
    "pyr.customer_share": {"zh": "客户占比", "en": "Share of customers"},
    "pyr.revenue_share": {"zh": "销售额占比", "en": "Share of revenue"},
    "pyr.bar_customers": {"zh": "{n} 家 · {share}", "en": "{n} · {share}"},
    "pyr.bar_revenue": {"zh": "{share} · {revenue}", "en": "{share} · {revenue}"},
    "pyr.pyramid_title": {
        "zh": "{tiers} {n} 家客户（占 {customer_share}）贡献 {revenue_share} 销售额",
        "en": "{tiers}: {n} customers ({customer_share}) bring {revenue_share} of revenue",
    },
    "pyr.pyramid_x": {
        "zh": "← 客户占比（%） | 销售额占比（%）→",
        "en": "← share of customers (%) | share of revenue (%) →",
    },
    "pyr.pyramid_y": {"zh": "客户等级", "en": "Tier"},
    "pyr.metric_help": {"zh": "贡献 {share} 的销售额。", "en": "Brings {share} of revenue."},
    "pyr.table": {"zh": "各级客户明细", "en": "Tiers in figures"},
    "pyr.migration": {"zh": "客户升降级", "en": "Tier migration"},
    "pyr.migration_caption": {
        "zh": "同一套分级分别用于本期（{current}）和上期（{previous}）。新客户：只在本期购买；流失：只在上期购买。",
        "en": "The same tiering applied to this period ({current}) and the one before ({previous}). "
        "New: bought only this period; lost: bought only in the period before.",
    },
    "pyr.move.up": {"zh": "升级", "en": "Moved up"},
    "pyr.move.same": {"zh": "不变", "en": "Same tier"},
    "pyr.move.down": {"zh": "降级", "en": "Moved down"},
    "pyr.move.new": {"zh": "新增", "en": "New"},
    "pyr.move.lost": {"zh": "流失", "en": "Lost"},
    "pyr.move_help.up": {"zh": "本期等级高于上期的客户。", "en": "Customers in a better tier than before."},
    "pyr.move_help.same": {"zh": "两期等级相同的客户。", "en": "Customers in the same tier in both periods."},
    "pyr.move_help.down": {"zh": "本期等级低于上期的客户。", "en": "Customers in a lower tier than before."},
    "pyr.move_help.new": {
        "zh": "上期没有购买、本期有购买的客户。",
        "en": "Customers who bought this period but not before.",
    },
    "pyr.move_help.lost": {
        "zh": "上期有购买、本期没有购买的客户。",
        "en": "Customers who bought before but not this period.",
    },
    "pyr.sankey_title": {
        "zh": "升级 {up} 家、降级 {down} 家；新增 {new} 家、流失 {lost} 家",
        "en": "{up} customers moved up, {down} down; {new} new, {lost} lost",
    },
    "pyr.sankey_previous": {"zh": "上期等级", "en": "Tier before"},
    "pyr.sankey_current": {"zh": "本期等级", "en": "Tier now"},
    "pyr.node_hover_previous": {"zh": "上期 {tier}：{n} 家客户", "en": "Before: {tier}, {n} customers"},
    "pyr.node_hover_current": {"zh": "本期 {tier}：{n} 家客户", "en": "Now: {tier}, {n} customers"},
    "pyr.flow_hover": {
        "zh": "{source} → {target}：{n} 家客户<br>上期销售额 {previous} → 本期 {current}",
        "en": "{source} → {target}: {n} customers<br>revenue before {previous} → now {current}",
    },
    "pyr.matrix_corner": {"zh": "上期等级 ↓ ／ 本期等级 →", "en": "Tier before ↓ / now →"},
    "pyr.no_migration": {"zh": "两期都没有购买的客户，无法比较。", "en": "No customer bought in either period."},
    "pyr.upgrade": {"zh": "升级潜力客户", "en": "Upgrade candidates"},
    "pyr.min_growth": {"zh": "销售额增长至少", "en": "Revenue growth at least"},
    "pyr.min_revenue": {"zh": "本期销售额至少（{currency}）", "en": "Revenue this period at least ({currency})"},
    "pyr.upgrade_caption": {
        "zh": "两期都有购买、本期不在最高一级（{top}）、销售额比上期增长 ≥ {growth} 且本期 ≥ {revenue} 的客户，"
        "按增长排序。“距下一级”是达到上一级门槛还差的金额。",
        "en": "Customers who bought in both periods, are below the top tier ({top}) now, grew revenue by at least "
        "{growth} and have at least {revenue} this period, by growth. “Gap to next tier” is the revenue still "
        "needed to reach the next tier's floor.",
    },
    "pyr.no_candidates": {
        "zh": "没有符合条件的客户；可降低增长或金额要求。",
        "en": "No customer meets the rule; lower the growth or revenue requirement.",
    },
    "pyr.col.tier": {"zh": "等级", "en": "Tier"},
    "pyr.col.customers": {"zh": "客户数", "en": "Customers"},
    "pyr.col.customer_share": {"zh": "客户占比", "en": "Share of customers"},
    "pyr.col.orders": {"zh": "订单数", "en": "Orders"},
    "pyr.col.average_order_value": {"zh": "平均订单金额", "en": "Average order value"},
    "pyr.col.purchase_frequency": {"zh": "人均订单数", "en": "Orders per customer"},
    "pyr.col.min_revenue": {"zh": "最低销售额", "en": "Lowest revenue"},
    "pyr.col.max_revenue": {"zh": "最高销售额", "en": "Highest revenue"},
    "pyr.col.customer_name": {"zh": "客户", "en": "Customer"},
    "pyr.col.previous_tier": {"zh": "上期等级", "en": "Tier before"},
    "pyr.col.current_tier": {"zh": "本期等级", "en": "Tier now"},
    "pyr.col.previous_revenue": {"zh": "上期销售额", "en": "Revenue before"},
    "pyr.col.current_revenue": {"zh": "本期销售额", "en": "Revenue now"},
    "pyr.col.growth": {"zh": "增长", "en": "Growth"},
    "pyr.col.next_tier": {"zh": "下一级", "en": "Next tier"},
    "pyr.col.gap_to_next_tier": {"zh": "距下一级", "en": "Gap to next tier"},
    # rfm page (pages/rfm.py): keys rfm.*
    "rfm.no_data": {
        "zh": "当前筛选条件下没有交易数据，无法做 RFM 分群。请调整侧栏筛选，或在“数据”页上传销售明细。",
        "en": "No transactions match the current filters, so there is nothing to score. "
        "Adjust the sidebar filters or upload a ledger on the Data page.",
    },
    "rfm.no_purchases": {
        "zh": "统计期间内只有退货、没有购买，无法计算最近一次购买时间。",
        "en": "The period holds only returns and no purchase, so recency cannot be measured.",
    },
    "rfm.caption": {
        "zh": "截至 {as_of}，统计期间 {start} – {end}。R = 距截至日的天数（最近一次购买），F = 期间内有购买的天数，"
        "M = 期间净销售额（退货已冲减）；三项各按五分位打 1–5 分（数值相同的客户同分，5 分最好）。"
        "分群只看 R 和 F。",
        "en": "As of {as_of}, period {start} – {end}. R = days since the last purchase, F = days with a purchase "
        "in the period, M = net revenue in the period (returns netted); each scored 1–5 by quintiles (equal "
        "values share a score; 5 is best). Segments come from R and F.",
    },
    "rfm.as_of": {"zh": "截至日期", "en": "As of"},
    "rfm.scored": {"zh": "参与评分的客户", "en": "Customers scored"},
    "rfm.scored_help": {
        "zh": "统计期间内至少购买过一次的客户。",
        "en": "Customers with at least one purchase in the period.",
    },
    "rfm.unscored": {"zh": "未评分（只有退货）", "en": "Not scored (returns only)"},
    "rfm.unscored_help": {
        "zh": "期间内只有退货或零金额记录的客户，没有最近一次购买日期，不参与评分。",
        "en": "Customers with only returns or zero lines in the period have no last purchase and are not scored.",
    },
    "rfm.segments": {"zh": "客户分群", "en": "Segments"},
    "rfm.grid": {"zh": "R × F 分布", "en": "R × F grid"},
    "rfm.customers": {"zh": "分群客户名单", "en": "Customers of a segment"},
    "rfm.segment.champions": {"zh": "冠军客户", "en": "Champions"},
    "rfm.segment.loyal": {"zh": "忠诚客户", "en": "Loyal"},
    "rfm.segment.potential_loyalist": {"zh": "潜力忠诚客户", "en": "Potential loyalists"},
    "rfm.segment.new": {"zh": "新客户", "en": "New"},
    "rfm.segment.promising": {"zh": "有潜力的新客户", "en": "Promising"},
    "rfm.segment.need_attention": {"zh": "需要关注", "en": "Need attention"},
    "rfm.segment.about_to_sleep": {"zh": "即将沉睡", "en": "About to sleep"},
    "rfm.segment.at_risk": {"zh": "有流失风险", "en": "At risk"},
    "rfm.segment.cant_lose": {"zh": "不能失去", "en": "Can't lose them"},
    "rfm.segment.hibernating": {"zh": "休眠客户", "en": "Hibernating"},
    "rfm.segment.lost": {"zh": "已流失", "en": "Lost"},
    "rfm.action.reward_and_ask_referrals": {
        "zh": "重点维护：专属客户经理、优先交付",
        "en": "Retain: account manager, priority delivery",
    },
    "rfm.action.upsell_and_cross_sell": {
        "zh": "扩大合作：推荐相关品类和升级产品",
        "en": "Grow: up-sell and cross-sell",
    },
    "rfm.action.nurture_to_loyalty": {
        "zh": "培养忠诚：定期拜访、签年度协议",
        "en": "Nurture: regular visits, annual contract",
    },
    "rfm.action.onboard": {
        "zh": "首单服务：欢迎拜访，促成第二单",
        "en": "Onboard: welcome visit, 2nd order",
    },
    "rfm.action.build_relationship": {
        "zh": "建立关系：介绍产品线、及时跟进",
        "en": "Build: introduce the range, follow up",
    },
    "rfm.action.personal_offer": {
        "zh": "针对性报价：了解需求、限时优惠",
        "en": "Offer: check needs, time-limited offer",
    },
    "rfm.action.reactivate": {"zh": "及时唤醒：提醒补货", "en": "Reactivate: reorder reminder"},
    "rfm.action.win_back_visit": {
        "zh": "上门挽回：拜访了解发生了什么变化",
        "en": "Win back: rep visit, find out what changed",
    },
    "rfm.action.escalate_to_management": {"zh": "升级处理：管理层出面挽回", "en": "Escalate: senior win-back visit"},
    "rfm.action.low_cost_reactivation": {"zh": "低成本唤醒：只做群发活动", "en": "Low cost: campaigns only"},
    "rfm.action.deprioritise": {"zh": "降低投入：不再主动跟进", "en": "Deprioritise: no active follow-up"},
    "rfm.tile": {"zh": "{n} 家 · 销售额 {share}", "en": "{n} customers · {share} of revenue"},
    "rfm.tile_hover": {
        "zh": "{segment}<br>{n} 家客户（{customer_share}）<br>销售额 {revenue}（{share}）<br>建议：{action}",
        "en": "{segment}<br>{n} customers ({customer_share})<br>revenue {revenue} ({share})<br>action: {action}",
    },
    "rfm.revenue_share": {"zh": "销售额占比", "en": "Share of revenue"},
    "rfm.treemap_title": {
        "zh": "{segment}：{n} 家客户（占 {customer_share}）贡献 {share} 销售额",
        "en": "{segment}: {n} customers ({customer_share}) bring {share} of revenue",
    },
    "rfm.cell_hover": {
        "zh": "R = {r}，F = {f}：{segment}<br>{n} 家客户",
        "en": "R = {r}, F = {f}: {segment}<br>{n} customers",
    },
    "rfm.customers_unit": {"zh": "客户数（家）", "en": "Customers"},
    "rfm.heatmap_title": {
        "zh": "R、F 都 ≥ 4 分的客户 {high} 家（{high_share}），都 ≤ 2 分的 {low} 家（{low_share}）",
        "en": "{high} customers ({high_share}) score 4+ on both R and F; {low} ({low_share}) score 2 or less on both",
    },
    "rfm.f_axis": {"zh": "F 分：购买天数（5 = 最多）", "en": "F score: purchase days (5 = most)"},
    "rfm.r_axis": {"zh": "R 分：最近一次购买（5 = 最近）", "en": "R score: last purchase (5 = most recent)"},
    "rfm.pick_segment": {"zh": "选择分群", "en": "Segment"},
    "rfm.pick_option": {"zh": "{segment}（{n} 家）", "en": "{segment} ({n})"},
    "rfm.suggested": {"zh": "**建议动作：** {action}", "en": "**Suggested action:** {action}"},
    "rfm.col.segment": {"zh": "分群", "en": "Segment"},
    "rfm.col.customers": {"zh": "客户数", "en": "Customers"},
    "rfm.col.customer_share": {"zh": "客户占比", "en": "% customers"},
    "rfm.col.monetary": {"zh": "M：销售额", "en": "M: revenue"},
    "rfm.col.monetary_share": {"zh": "销售额占比", "en": "% revenue"},
    "rfm.col.mean_recency_days": {"zh": "平均 R（天）", "en": "Mean R (days)"},
    "rfm.col.mean_frequency": {"zh": "平均 F（天）", "en": "Mean F (days)"},
    "rfm.col.mean_monetary": {"zh": "平均 M", "en": "Mean M"},
    "rfm.col.action": {"zh": "建议动作", "en": "Suggested action"},
    "rfm.col.customer_name": {"zh": "客户", "en": "Customer"},
    "rfm.col.region": {"zh": "区域", "en": "Region"},
    "rfm.col.sales_rep": {"zh": "销售员", "en": "Sales rep"},
    "rfm.col.recency_days": {"zh": "R：距今天数", "en": "R: days since last purchase"},
    "rfm.col.frequency": {"zh": "F：购买天数", "en": "F: purchase days"},
    "rfm.col.r_score": {"zh": "R 分", "en": "R score"},
    "rfm.col.f_score": {"zh": "F 分", "en": "F score"},
    "rfm.col.m_score": {"zh": "M 分", "en": "M score"},
    "rfm.col.rfm_cell": {"zh": "RFM 组合", "en": "RFM cell"},
    # churn page (pages/churn.py): keys churn.*
    "churn.title": {"zh": "客户流失", "en": "Churn"},
    "churn.caption": {
        "zh": "谁已经流失、谁正在流失、原因是什么；规则指标与 BG/NBD 概率模型并列，并可用留存期检验模型。"
        "流失按全部历史计算：侧栏的区域、销售员、品类、渠道生效，日期范围的结束日即截止日。",
        "en": "Who was lost, who is slipping away and why: rule-based figures beside the BG/NBD model, with a "
        "holdout check of the model. Churn reads the whole history: the sidebar's regions, reps, categories and "
        "channels apply, and the end of its date range is the as-of date.",
    },
    "churn.window": {"zh": "流失窗口", "en": "Churn window"},
    "churn.window_format": {"zh": "%d 个月", "en": "%d months"},
    "churn.window_help": {
        "zh": "比较截止日前的两个等长窗口：上期有购买、本期没有购买的客户算作流失。",
        "en": "Two windows of this length before the as-of date are compared: a customer who bought in the "
        "previous window but not in the current one is lost.",
    },
    "churn.no_data": {
        "zh": "当前筛选条件下没有交易数据，无法计算流失。请调整侧栏筛选，或在“数据”页上传销售明细。",
        "en": "No transactions match the current filters, so there is no churn to compute. Adjust the sidebar "
        "filters or upload a ledger on the Data page.",
    },
    "churn.no_active": {
        "zh": "上期窗口内没有购买客户，无法计算流失率。请缩短流失窗口，或把侧栏日期范围的结束日往后移。",
        "en": "Nobody bought in the previous window, so there is no churn rate. Shorten the churn window or move "
        "the end of the sidebar date range later.",
    },
    "churn.windows": {
        "zh": "截止 {as_of}：本期 {current}，上期 {previous}。",
        "en": "As of {as_of}: current window {current}, previous window {previous}.",
    },
    "churn.active": {"zh": "期初活跃客户", "en": "Active at start"},
    "churn.active_help": {
        "zh": "上期（{previous}）至少有一笔购买（金额 > 0）的客户。",
        "en": "Customers with at least one purchase (amount > 0) in the previous window ({previous}).",
    },
    "churn.lost": {"zh": "流失客户", "en": "Lost customers"},
    "churn.lost_help": {
        "zh": "期初活跃客户中，本期（{current}）没有任何购买的客户。",
        "en": "Customers active at start who bought nothing in the current window ({current}).",
    },
    "churn.rate": {"zh": "客户流失率", "en": "Churn rate"},
    "churn.rate_help": {
        "zh": "流失率 = 流失客户 ÷ 期初活跃客户 = {lost} ÷ {active}。",
        "en": "Churn rate = lost customers ÷ customers active at start = {lost} ÷ {active}.",
    },
    "churn.revenue_churn": {"zh": "收入流失率", "en": "Revenue churn"},
    "churn.revenue_churn_help": {
        "zh": "收入流失率 = 流失客户的上期销售额 ÷ 全部期初活跃客户的上期销售额 = {lost_revenue} ÷ {prior}。",
        "en": "Revenue churn = previous-window revenue of the lost customers ÷ previous-window revenue of all "
        "customers active at start = {lost_revenue} ÷ {prior}.",
    },
    "churn.nrr": {"zh": "净收入留存率", "en": "Net revenue retention"},
    "churn.nrr_help": {
        "zh": "净收入留存率 = 期初活跃客户的本期销售额 ÷ 他们的上期销售额 = {now} ÷ {prior}"
        "（新客户不计入；大于 100% 表示老客户的增长超过了流失）。",
        "en": "Net revenue retention = current-window revenue of the customers active at start ÷ their "
        "previous-window revenue = {now} ÷ {prior} (new customers not counted; above 100% the growth of the "
        "customers kept outweighs what the lost ones took away).",
    },
    "churn.points": {"zh": "{value} 个百分点", "en": "{value} pts"},
    "churn.tab.trend": {"zh": "流失趋势", "en": "Trend"},
    "churn.tab.profile": {"zh": "流失客户画像", "en": "Who was lost"},
    "churn.tab.cohorts": {"zh": "新客留存", "en": "Cohorts"},
    "churn.tab.at_risk": {"zh": "流失预警", "en": "At risk"},
    "churn.tab.model_check": {"zh": "模型检验", "en": "Model check"},
    "churn.tab.what_if": {"zh": "挽留测算", "en": "What if"},
    "churn.value_missing": {"zh": "（未填写）", "en": "(not set)"},
    "churn.band.satisfied": {"zh": "满意（前两档）", "en": "Satisfied (top 2)"},
    "churn.band.neutral": {"zh": "一般", "en": "Neutral"},
    "churn.band.dissatisfied": {"zh": "不满意", "en": "Dissatisfied"},
    "churn.band.no_survey": {"zh": "无调查", "en": "No survey"},
    "churn.dim.region": {"zh": "区域", "en": "Region"},
    "churn.dim.sales_rep": {"zh": "销售员", "en": "Sales rep"},
    "churn.dim.tier": {"zh": "客户等级", "en": "Tier"},
    "churn.dim.category": {"zh": "主要品类", "en": "Main category"},
    "churn.dim.satisfaction": {"zh": "满意度", "en": "Satisfaction"},
    # trend
    "churn.trend_points": {"zh": "显示月份数", "en": "Months shown"},
    "churn.trend_empty": {
        "zh": "所选月份内没有期初活跃客户，无法画出流失率趋势。",
        "en": "No month shown has customers active at start, so there is no churn trend to draw.",
    },
    "churn.trend_title": {
        "zh": "{month}流失率 {rate}（{window} 个月窗口），较{first} {change}",
        "en": "Churn rate {rate} at {month} ({window}-month window), {change} since {first}",
    },
    "churn.trend_title_one": {
        "zh": "{month}流失率 {rate}（{window} 个月窗口）",
        "en": "Churn rate {rate} at {month} ({window}-month window)",
    },
    "churn.trend_hover": {
        "zh": "{rate}（流失 {lost} / 期初 {active}）",
        "en": "{rate} ({lost} lost of {active} active at start)",
    },
    "churn.month_end_axis": {"zh": "截止月末", "en": "As of month end"},
    "churn.rate_axis": {"zh": "流失率（%）", "en": "Churn rate (%)"},
    # profile
    "churn.profile_by": {"zh": "按维度查看", "en": "Break down by"},
    "churn.profile_empty": {"zh": "该维度没有数据。", "en": "No data for this breakdown."},
    "churn.profile_title": {
        "zh": "按{dimension}：{value}流失客户最多，{lost} 家（流失率 {rate}）",
        "en": "By {dimension}: {value} lost the most customers, {lost} (churn rate {rate})",
    },
    "churn.profile_hover": {
        "zh": "{value}<br>流失率 {rate}（{lost} / {active}）<br>"
        "流失客户上期销售额 {revenue}，收入流失率 {revenue_churn}",
        "en": "{value}<br>churn rate {rate} ({lost} of {active})<br>previous revenue of the lost {revenue}, "
        "revenue churn {revenue_churn}",
    },
    "churn.overall_rate": {"zh": "整体 {rate}", "en": "overall {rate}"},
    "churn.lost_list": {"zh": "流失客户名单（{n} 家）", "en": "Lost customers ({n})"},
    # cohorts
    "churn.cohorts_shown": {"zh": "显示最近几个月的新客群", "en": "Latest cohorts shown"},
    "churn.cohort_months": {"zh": "首购后跟踪月数", "en": "Months after the first purchase"},
    "churn.cohort_empty": {"zh": "没有可显示的新客群。", "en": "There are no cohorts to show."},
    "churn.cohort_label": {"zh": "{cohort}（{n} 家）", "en": "{cohort} ({n})"},
    "churn.cohort_unseen": {
        "zh": "{cohort}新客 · 第 {month} 个月：尚未到达",
        "en": "{cohort} cohort · month {month}: not reached yet",
    },
    "churn.cohort_hover": {
        "zh": "{cohort}新客 {size} 家 · 第 {month} 个月：{share}（{n} 家在购买）",
        "en": "{cohort} cohort of {size} · month {month}: {share} ({n} buying)",
    },
    "churn.cohort_title": {
        "zh": "新客户次月复购率平均 {first}，第 {month} 个月 {last}",
        "en": "On average {first} of new customers buy again in month 1, {last} in month {month}",
    },
    "churn.cohort_title_short": {"zh": "最近 {n} 个月的新客群", "en": "The latest {n} monthly cohorts"},
    "churn.months_since_axis": {"zh": "首次购买后的月数（个月）", "en": "Months since the first purchase"},
    "churn.cohort_axis": {"zh": "首次购买月份（新客数）", "en": "Month of first purchase (customers)"},
    "churn.cohort_note": {
        "zh": "每格 = 该月新客户中在第 N 个月有购买的比例（第 0 个月为 100%）；平均值按客户数加权。"
        "数据第一个月的“新客”包含此前已有的老客户。",
        "en": "Each cell = share of the month's new customers buying in month N (month 0 is 100%); averages are "
        "weighted by customers. The first month of the data also holds every customer who existed before it.",
    },
    "churn.month_n": {"zh": "第 {n} 月", "en": "Month {n}"},
    # at risk
    "churn.overdue_k": {"zh": "超期倍数 k", "en": "Overdue multiple k"},
    "churn.overdue_k_help": {
        "zh": "距上次购买的天数超过 k × 该客户自己的购买间隔中位数，算作超期未购。",
        "en": "Overdue when the days since the last purchase exceed k × the customer's own median gap between "
        "purchases.",
    },
    "churn.overdue_floor": {"zh": "超期最少天数", "en": "Overdue floor (days)"},
    "churn.overdue_floor_help": {
        "zh": "同时还须超过这个天数，避免高频客户几天没下单就被标记。",
        "en": "The days must also exceed this floor, so a frequent buyer is not flagged after a few quiet days.",
    },
    "churn.horizon": {"zh": "预测未来周数 N", "en": "Forecast weeks N"},
    "churn.min_score": {"zh": "最低风险分", "en": "Minimum risk score"},
    "churn.fitting": {"zh": "正在拟合 BG/NBD 模型…", "en": "Fitting the BG/NBD model…"},
    "churn.no_model": {
        "zh": "BG/NBD 模型无法拟合：{reason}",
        "en": "The BG/NBD model cannot be fitted: {reason}",
    },
    "churn.reason.too_few_customers": {
        "zh": "客户太少（至少需要 10 家）。",
        "en": "too few customers (at least 10 are needed).",
    },
    "churn.reason.no_repeat_buyers": {
        "zh": "没有客户在首次购买后再次购买，无法区分购买频率和流失。请使用更长的历史或更晚的校准截止日。",
        "en": "no customer bought again after the first purchase, so purchase rates and dropout cannot be told "
        "apart. Use a longer history or a later calibration end.",
    },
    "churn.reason.did_not_converge": {
        "zh": "优化算法没有收敛。",
        "en": "the optimizer did not converge.",
    },
    "churn.reason.non_finite_optimum": {
        "zh": "在这些数据上似然函数没有有限的最大值。",
        "en": "the likelihood has no finite maximum on this data.",
    },
    "churn.reason.degenerate_optimum": {
        "zh": "有参数趋于 0 或无穷大：数据不足以识别模型（通常是复购太少或历史太短）。",
        "en": "a parameter ran off to zero or infinity: the data do not identify the model (typically too little "
        "repeat buying or too short a history).",
    },
    "churn.at_risk_count": {
        "zh": "风险分 ≥ {score} 的客户 {n} 家（共评估 {total} 家：近 24 个月有购买的客户）。点击列名可排序。",
        "en": "{n} customers with a risk score ≥ {score} (of {total} scored: everyone who bought in the last "
        "24 months). Click a column header to sort.",
    },
    "churn.expected_col": {"zh": "未来 {n} 周预计购买次数", "en": "Expected purchases, next {n} weeks"},
    "churn.rules": {"zh": "预警信号：规则、阈值与权重", "en": "Warning signals: rules, thresholds and weights"},
    "churn.rules_thresholds": {"zh": "阈值", "en": "Thresholds"},
    "churn.rules_weights": {"zh": "权重", "en": "Weights"},
    "churn.rule.recent_days": {"zh": "比较窗口（天）", "en": "Comparison window (days)"},
    "churn.rule.min_previous_orders": {
        "zh": "订单减少：前一窗口至少订单数",
        "en": "Fewer orders: at least this many orders before",
    },
    "churn.rule.freq_drop": {"zh": "订单减少：降幅至少（%）", "en": "Fewer orders: drop of at least (%)"},
    "churn.rule.value_drop": {"zh": "客单价下降：降幅至少（%）", "en": "Lower order value: drop of at least (%)"},
    "churn.rule.open_complaints_min": {"zh": "未结投诉至少（件）", "en": "Open complaints: at least"},
    "churn.rule.low_score_share": {
        "zh": "满意度低：得分不高于量表的（%）",
        "en": "Low satisfaction: score at most (% of the scale)",
    },
    "churn.rule.falling_min_drop": {
        "zh": "满意度下降：降幅超过量表的（%）",
        "en": "Falling satisfaction: drop of more than (% of the scale)",
    },
    "churn.rules_invalid": {
        "zh": "权重不能全部为 0，已改用默认权重。",
        "en": "The weights cannot all be 0; the default weights are used.",
    },
    "churn.signal.freq_falling": {"zh": "订单减少", "en": "Fewer orders"},
    "churn.signal.value_falling": {"zh": "客单价下降", "en": "Lower order value"},
    "churn.signal.overdue": {"zh": "超期未购", "en": "Overdue"},
    "churn.signal.open_complaints": {"zh": "未结投诉", "en": "Open complaints"},
    "churn.signal.low_satisfaction": {"zh": "满意度低", "en": "Low satisfaction"},
    "churn.signal.falling_satisfaction": {"zh": "满意度下降", "en": "Falling satisfaction"},
    "churn.signal.tier_downgrade": {"zh": "客户降级", "en": "Tier downgrade"},
    "churn.rule_line": {"zh": "**{signal}**（权重 {weight}）：{rule}", "en": "**{signal}** (weight {weight}): {rule}"},
    "churn.rule_text.freq_falling": {
        "zh": "近 {days} 天订单数 ≤ 前 {days} 天的 {share}，且前 {days} 天至少 {min} 笔",
        "en": "orders in the last {days} days ≤ {share} of the {days} days before, which had at least {min}",
    },
    "churn.rule_text.value_falling": {
        "zh": "近 {days} 天平均订单金额 ≤ 前 {days} 天的 {share}",
        "en": "average order value in the last {days} days ≤ {share} of the {days} days before",
    },
    "churn.rule_text.overdue": {
        "zh": "距上次购买天数 > {k} × 该客户购买间隔中位数，且 > {floor} 天",
        "en": "days since the last purchase > {k} × the customer's median gap, and > {floor} days",
    },
    "churn.rule_text.open_complaints": {
        "zh": "截止日仍未结案的投诉 ≥ {n} 件",
        "en": "{n} or more complaints still open at the as-of date",
    },
    "churn.rule_text.low_satisfaction": {
        "zh": "最近一次总体满意度在量表上的位置 ≤ {share}（如 1–5 分制 ≤ {example} 分）",
        "en": "latest overall score, as a share of its scale, ≤ {share} (e.g. ≤ {example} on 1–5)",
    },
    "churn.rule_text.falling_satisfaction": {
        "zh": "最近一次满意度比上一次低，降幅超过量表的 {drop}",
        "en": "latest score below the previous one by more than {drop} of the scale",
    },
    "churn.rule_text.tier_downgrade": {
        "zh": "近 12 个月的客户等级低于前 12 个月",
        "en": "tier of the last 12 months below that of the 12 months before",
    },
    "churn.score_formula": {
        "zh": "风险分 = 100 × 触发信号的权重之和 ÷ 全部权重之和（0–100）。",
        "en": "Risk score = 100 × sum of the weights of the fired signals ÷ sum of all weights (0–100).",
    },
    "churn.signal_separator": {"zh": "；", "en": "; "},
    "churn.signal_text.freq_falling": {
        "zh": "订单 {before}→{recent} 笔（{change}）",
        "en": "orders {before} → {recent} ({change})",
    },
    "churn.signal_text.value_falling": {
        "zh": "客单价 {before}→{recent}（{change}）",
        "en": "average order {before} → {recent} ({change})",
    },
    "churn.signal_text.overdue": {
        "zh": "已 {days} 天未购，超过平时间隔 {gap} 天的 {k} 倍",
        "en": "{days} days without a purchase, over {k} × the usual {gap}-day gap",
    },
    "churn.signal_text.open_complaints": {"zh": "{n} 件投诉未结", "en": "open complaints: {n}"},
    "churn.signal_text.low_satisfaction": {
        "zh": "满意度低：{score} 分（{low}–{high} 分制）",
        "en": "low satisfaction: {score} on a {low}–{high} scale",
    },
    "churn.signal_text.falling_satisfaction": {
        "zh": "满意度 {before}→{after} 分",
        "en": "satisfaction {before} → {after}",
    },
    "churn.signal_text.tier_downgrade": {"zh": "等级 {before}→{after}", "en": "tier {before} → {after}"},
    # model check
    "churn.check_short": {
        "zh": "数据历史太短（不足两周），无法划分校准期和留存期。",
        "en": "The history is too short (under two weeks) to split into a calibration and a holdout period.",
    },
    "churn.calibration_end": {"zh": "校准期截止日", "en": "Calibration end"},
    "churn.calibration_end_help": {
        "zh": "模型只用这一天及以前的购买来拟合，然后预测之后（留存期）的复购，并与实际对比。",
        "en": "The model is fitted on the purchases up to this day only; it then predicts the repeat purchases "
        "after it (the holdout period), which are compared with what happened.",
    },
    "churn.holdout_period": {
        "zh": "校准期：至 {calibration_end}；留存期：{start} – {end}（{weeks} 周）。"
        "客户范围：校准期截止日前已首购的客户；时间单位：周；同一天的多笔订单算一次购买。",
        "en": "Calibration: up to {calibration_end}; holdout: {start} – {end} ({weeks} weeks). Customers: those whose "
        "first purchase is on or before the calibration end; time in weeks; several orders on one day are one "
        "purchase.",
    },
    "churn.param_r": {"zh": "r", "en": "r"},
    "churn.param_r_help": {
        "zh": "每周购买率 λ 的伽马分布形状参数（Fader、Hardie & Lee 2005）。",
        "en": "Shape of the gamma distribution of the weekly purchase rate λ (Fader, Hardie & Lee 2005).",
    },
    "churn.param_alpha": {"zh": "α（周）", "en": "α (weeks)"},
    "churn.param_alpha_help": {
        "zh": "购买率伽马分布的尺度参数；平均每周购买率 = r ÷ α。",
        "en": "Scale of the gamma distribution of the purchase rate; mean weekly rate = r ÷ α.",
    },
    "churn.param_a": {"zh": "a", "en": "a"},
    "churn.param_a_help": {
        "zh": "每次购买后流失概率 p 的贝塔分布参数 a；平均流失概率 = a ÷ (a + b)。",
        "en": "Parameter a of the beta distribution of the dropout probability p after each purchase; "
        "mean p = a ÷ (a + b).",
    },
    "churn.param_b": {"zh": "b", "en": "b"},
    "churn.param_b_help": {
        "zh": "流失概率贝塔分布的参数 b。",
        "en": "Parameter b of the beta distribution of the dropout probability.",
    },
    "churn.param_loglik": {"zh": "对数似然", "en": "Log-likelihood"},
    "churn.param_loglik_help": {
        "zh": "最大化后的对数似然（FHL 2005 式 6 对全部客户求和）；CDNOW 样本上论文值为 −9,582.4。",
        "en": "The maximised log-likelihood (FHL 2005 eq. 6 summed over customers); −9,582.4 on the CDNOW "
        "sample in the paper.",
    },
    "churn.fit_reading": {
        "zh": "解读：在世客户平均每周购买 {rate} 次；每次购买后平均有 {dropout} 的概率流失。拟合客户 {customers} 家。",
        "en": "Reading: while alive, a customer buys {rate} times a week on average, and after each purchase drops "
        "out with probability {dropout} on average. {customers} customers fitted.",
    },
    "churn.check_title": {
        "zh": "留存期 {weeks} 周：预测复购 {predicted} 次，实际 {actual} 次（预测偏差 {diff}）",
        "en": "Holdout of {weeks} weeks: {predicted} repeat purchases predicted, {actual} actual ({diff})",
    },
    "churn.check_hover": {"zh": "人均 {mean} 次（{n} 家）", "en": "{mean} per customer ({n} customers)"},
    "churn.actual": {"zh": "实际", "en": "Actual"},
    "churn.predicted": {"zh": "模型预测", "en": "Predicted"},
    "churn.frequency_axis": {
        "zh": "校准期内复购次数（组）",
        "en": "Repeat purchases in the calibration period (group)",
    },
    "churn.holdout_mean_axis": {"zh": "留存期人均复购（次）", "en": "Holdout repeat purchases per customer"},
    "churn.tracking_title": {
        "zh": "累计复购：截至{date}预测 {predicted} 次，实际 {actual} 次",
        "en": "Cumulative repeat purchases to {date}: {predicted} predicted, {actual} actual",
    },
    "churn.calibration_end_mark": {"zh": " 校准期截止", "en": " calibration end"},
    "churn.week_axis": {"zh": "周（截止日）", "en": "Week ending"},
    "churn.cumulative_axis": {"zh": "累计复购次数（次）", "en": "Cumulative repeat purchases"},
    # what-if
    "churn.what_if_points": {"zh": "流失率降低", "en": "Churn rate falls by"},
    "churn.points_format": {"zh": "%d 个百分点", "en": "%d points"},
    "churn.what_if_points_help": {
        "zh": "Reichheld & Sasser（1990）的经典结论：流失率降低 5 个百分点，利润可提升 25%–85%。"
        "这里用你自己的数据估算。",
        "en": "The classic claim of Reichheld & Sasser (1990): 5 points less churn can raise profit by 25–85%. "
        "Here is the estimate from your own data.",
    },
    "churn.what_if_empty": {
        "zh": "本窗口内没有留存客户，无法估算。",
        "en": "No customer was retained in this window, so there is nothing to estimate from.",
    },
    "churn.basis.profit": {"zh": "毛利", "en": "profit"},
    "churn.basis.revenue": {"zh": "销售额", "en": "revenue"},
    "churn.what_if_target": {"zh": "目标流失率", "en": "Target churn rate"},
    "churn.what_if_from": {"zh": "当前 {rate}", "en": "now {rate}"},
    "churn.what_if_customers": {"zh": "多留住的客户（家）", "en": "Customers kept"},
    "churn.what_if_customers_help": {
        "zh": "= 期初活跃客户 {active} × {points} 个百分点（流失率不会低于 0）。",
        "en": "= {active} customers active at start × {points} points (churn cannot go below 0).",
    },
    "churn.what_if_value": {"zh": "多保留的{basis}", "en": "Extra {basis} kept"},
    "churn.what_if_value_help": {
        "zh": "= 多留住的客户 × 留存客户本期平均{basis} {average}。",
        "en": "= customers kept × the average current-window {basis} of a retained customer, {average}.",
    },
    "churn.what_if_share": {"zh": "{basis}提升", "en": "Rise in {basis}"},
    "churn.what_if_share_help": {
        "zh": "= 多保留的{basis} ÷ 留存客户本期{basis}合计 {baseline}；可与 Reichheld & Sasser 的 25%–85% 对照。",
        "en": "= extra {basis} kept ÷ the current-window {basis} of the retained customers, {baseline}; compare "
        "with the 25–85% of Reichheld & Sasser.",
    },
    "churn.what_if_compare": {
        "zh": "按你的数据：流失率降低 {points} 个百分点，{basis}提升 {share}；"
        "Reichheld & Sasser 研究的行业为 25%–85%。",
        "en": "From your data: {points} points less churn raise {basis} by {share}; in the industries Reichheld & "
        "Sasser studied it was 25–85%.",
    },
    "churn.assumptions": {"zh": "测算假设", "en": "Assumptions"},
    "churn.assumption.basis": {
        "zh": "价值口径：留存客户本期平均{basis}，每家 {average}（没有毛利数据时用销售额）。",
        "en": "Value: the average current-window {basis} of a retained customer, {average} (revenue when the "
        "data has no profit).",
    },
    "churn.assumption.window": {
        "zh": "窗口：截至 {as_of} 的 {window} 个月流失窗口。",
        "en": "Window: the {window}-month churn window ending {as_of}.",
    },
    "churn.assumption.saved_customers_like_retained": {
        "zh": "多留住的客户和实际留存客户的表现一样。",
        "en": "The customers saved behave like the customers actually retained.",
    },
    "churn.assumption.one_window_only": {
        "zh": "只计算一个窗口的价值：不计后续年份的客户终身价值，也不折现。",
        "en": "One window only: no lifetime value beyond it, no discounting.",
    },
    "churn.assumption.no_retention_cost": {
        "zh": "挽留工作本身不计成本。",
        "en": "The retention effort itself costs nothing.",
    },
    "churn.assumption.churn_cannot_go_below_zero": {
        "zh": "流失率最低降到 0。",
        "en": "The churn rate cannot fall below 0.",
    },
    "churn.what_if_source": {
        "zh": "来源：F. F. Reichheld & W. E. Sasser (1990), “Zero Defections: Quality Comes to Services”, "
        "Harvard Business Review 68(5) 105–111。",
        "en": "Source: F. F. Reichheld & W. E. Sasser (1990), “Zero Defections: Quality Comes to Services”, "
        "Harvard Business Review 68(5) 105–111.",
    },
    # column labels of this page's tables (churn.col.<column>)
    "churn.col.as_of": {"zh": "截止日", "en": "As of"},
    "churn.col.active_at_start": {"zh": "期初活跃客户", "en": "Active at start"},
    "churn.col.lost": {"zh": "流失客户", "en": "Lost"},
    "churn.col.churn_rate": {"zh": "流失率", "en": "Churn rate"},
    "churn.col.prior_revenue": {"zh": "上期销售额", "en": "Previous-window revenue"},
    "churn.col.lost_prior_revenue": {"zh": "流失客户上期销售额", "en": "Previous revenue of the lost"},
    "churn.col.revenue_churn": {"zh": "收入流失率", "en": "Revenue churn"},
    "churn.col.customer_name": {"zh": "客户", "en": "Customer"},
    "churn.col.region": {"zh": "区域", "en": "Region"},
    "churn.col.sales_rep": {"zh": "销售员", "en": "Sales rep"},
    "churn.col.tier": {"zh": "等级", "en": "Tier"},
    "churn.col.main_category": {"zh": "主要品类", "en": "Main category"},
    "churn.col.prior_orders": {"zh": "上期订单数", "en": "Previous-window orders"},
    "churn.col.last_purchase": {"zh": "最近购买", "en": "Last purchase"},
    "churn.col.days_since_last": {"zh": "未购天数", "en": "Days since last purchase"},
    "churn.col.latest_score": {"zh": "最近满意度", "en": "Latest score"},
    "churn.col.satisfaction_band": {"zh": "满意度分档", "en": "Satisfaction"},
    "churn.col.cohort": {"zh": "首购月份", "en": "Cohort"},
    "churn.col.cohort_size": {"zh": "新客数", "en": "Customers"},
    "churn.col.risk_score": {"zh": "风险分", "en": "Risk score"},
    "churn.col.signals": {"zh": "预警信号", "en": "Signals"},
    "churn.col.p_alive": {"zh": "在世概率 P(alive)", "en": "P(alive)"},
    "churn.col.median_gap_days": {"zh": "购买间隔中位数（天）", "en": "Median gap (days)"},
    "churn.col.revenue_12m": {"zh": "近 12 个月销售额", "en": "Revenue, last 12 months"},
    "churn.col.frequency": {"zh": "校准期复购次数", "en": "Calibration repeat purchases"},
    "churn.col.customers": {"zh": "客户数", "en": "Customers"},
    "churn.col.actual_mean": {"zh": "实际人均复购", "en": "Actual per customer"},
    "churn.col.predicted_mean": {"zh": "预测人均复购", "en": "Predicted per customer"},
    "churn.col.difference": {"zh": "预测 − 实际", "en": "Predicted − actual"},
    "churn.col.week": {"zh": "周", "en": "Week"},
    "churn.col.week_end": {"zh": "周截止日", "en": "Week ending"},
    "churn.col.actual": {"zh": "实际复购", "en": "Actual"},
    "churn.col.predicted": {"zh": "预测复购", "en": "Predicted"},
    "churn.col.actual_cumulative": {"zh": "实际累计", "en": "Actual, cumulative"},
    "churn.col.predicted_cumulative": {"zh": "预测累计", "en": "Predicted, cumulative"},
    "churn.col.holdout": {"zh": "留存期", "en": "Holdout"},
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
        "zh": "当前筛选范围内没有投诉记录。请在“数据”页上传投诉记录"
        "（客户、投诉日期、类别、严重程度、处理状态、解决日期）。",
        "en": "There are no complaints in the current filters. Upload a complaint log on the Data page "
        "(customer, opened date, category, severity, status, resolved date).",
    },
    "sat.to_data": {"zh": "前往“数据”页上传", "en": "Go to the Data page"},
    "sat.tables": {"zh": "表格视图与下载", "en": "Table view and download"},
    "sat.score_label": {"zh": "{score} 分", "en": "{score}"},
    "sat.score_on_scale": {"zh": "{score} 分（{scale}）", "en": "{score} ({scale})"},
    "sat.score_axis": {"zh": "总体满意度（分）", "en": "Overall score (points)"},
    "sat.points": {"zh": "分", "en": "points"},
    "sat.scale_unit": {"zh": "{scale} 分", "en": "{scale} points"},
    "sat.list_sep": {"zh": "、", "en": ", "},
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
    "sat.csat.top2_mixed": {"zh": "各量表最高两档", "en": "the top two points of each scale"},
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
    "sat.csat.trend_title_year": {
        "zh": "近 12 个月满意率 {last}，此前 12 个月 {previous}",
        "en": "Satisfied: {last} in the last 12 months, {previous} the 12 before",
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
    "sat.nps.month_axis_labelled": {
        "zh": "调查月份（柱顶数字为当月 NPS）",
        "en": "Survey month (NPS of the month above each bar)",
    },
    "sat.nps.share_axis": {"zh": "答卷占比（%）", "en": "Share of responses (%)"},
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
    "sat.loyalty.rate_hover": {"zh": "{rate}（{n} 份中 {hits} 份）", "en": "{rate} ({hits} of {n})"},
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
        "zh": "所有答卷的 {days} 天观察期都超出了数据末尾（{end}），暂无可计算的复购率。"
        "请缩短观察期或上传更新的销售明细。",
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
        "zh": "最该改进：{names}（影响大、得分低于平均）",
        "en": "Improve first: {names} (important, low score)",
    },
    "sat.drivers.title_top": {
        "zh": "对总体满意度影响最大的是“{name}”（ρ = {rho}）",
        "en": "{name} matters most for overall satisfaction (ρ = {rho})",
    },
    "sat.drivers.perf_axis": {"zh": "表现：平均得分（{unit}）", "en": "Performance: mean score ({unit})"},
    "sat.drivers.imp_axis": {"zh": "重要性（与总体的相关系数 ρ）", "en": "Importance (ρ with overall)"},
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
    "sat.escalation.header": {
        "zh": "升级清单：大客户的未结投诉",
        "en": "Escalation list: open complaints of key accounts",
    },
    "sat.escalation.caption": {
        "zh": "A 类客户（{period}累计销售额前 {a_cut}）或{tiers}客户的未结投诉，按严重程度和投诉时长排序。"
        "ABC 阈值和分级标准与“大客户”“客户金字塔”页的设置一致。",
        "en": "Open complaints of A-class customers (top {a_cut} of cumulative revenue, {period}) or {tiers} "
        "customers, most severe and oldest first. The ABC cutoff and the tiers follow the settings of the Key "
        "accounts and Pyramid pages.",
    },
    "sat.escalation.none": {
        "zh": "大客户没有未结投诉。",
        "en": "No open complaints at key accounts.",
    },
    "sat.escalation.as_of": {"zh": "投诉时长计至 {date}。", "en": "Days open as of {date}."},
    "sat.escalation.or": {"zh": "、", "en": " or "},
    "sat.around.header": {"zh": "投诉前后的满意度", "en": "Before vs after a complaint"},
    "sat.around.max_days": {
        "zh": "调查与投诉的最大间隔（天，0 = 不限）",
        "en": "Max days between survey and complaint (0 = any)",
    },
    "sat.around.max_days_help": {
        "zh": "只使用投诉前后这么多天内的调查；0 表示不限。",
        "en": "Use only surveys within this many days of the complaint; 0 means any distance.",
    },
    "sat.around.title_down": {
        "zh": "投诉后满意度平均从 {before} 降至 {after}",
        "en": "After a complaint the score fell: {before} → {after}",
    },
    "sat.around.title_up": {
        "zh": "投诉后满意度平均从 {before} 升至 {after}",
        "en": "After a complaint the score rose: {before} → {after}",
    },
    "sat.around.title_same": {
        "zh": "投诉前后满意度平均不变（{before}）",
        "en": "After a complaint the score held at {before}",
    },
    "sat.around.before": {"zh": "投诉前", "en": "Before"},
    "sat.around.after": {"zh": "投诉后", "en": "After"},
    "sat.around.mean_series": {"zh": "平均满意度", "en": "Mean score"},
    "sat.around.none": {
        "zh": "没有前后都有调查的投诉（同一客户在投诉日前和投诉日后各需一份调查）。",
        "en": "No complaint has a survey of the same customer both before and after it.",
    },
    "sat.around.caption": {
        "zh": "{pairs} 件投诉（{customers} 位客户）前后都有调查：取同一客户在投诉日之前的最后一份和之后的第一份调查"
        "（投诉当天的调查不用）。{test}",
        "en": "{pairs} complaints ({customers} customers) have a survey before and after: the same customer's last "
        "survey before and first survey after the opening date (a survey on that day is not used). {test}",
    },
    "sat.around.p_value": {
        "zh": "Wilcoxon 符号秩检验 p = {p}。",
        "en": "Wilcoxon signed-rank test: p = {p}.",
    },
    # survey uploads on the Data page (ui/upload.py): the score scale to confirm, the dimensions found
    "sat.upload.scale": {
        "zh": "评分量表（已根据得分自动识别，请确认）",
        "en": "Score scale (detected from the scores; please confirm)",
    },
    "sat.upload.scale_option": {"zh": "{low}–{high} 分", "en": "{low}–{high}"},
    "sat.upload.scale_help": {
        "zh": "总体满意度和各维度得分所用的量表。满意率按量表最高两档计算；超出量表的得分会被列为问题行。",
        "en": "The scale of the overall and dimension scores. The satisfied share counts the top two points of "
        "the scale; scores outside it are reported as bad rows.",
    },
    "sat.upload.dimensions": {
        "zh": "以下数字列将作为分维度得分导入：{names}",
        "en": "These numeric columns are stored as dimension scores: {names}",
    },
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
    "card.title": {"zh": "客户档案卡", "en": "Customer card"},
    "card.caption": {
        "zh": "一位客户的全部信息：等级、ABC 分类、RFM、流失风险、销售走势、所购产品、满意度调查与投诉。"
        "数字遵循侧边栏筛选。",
        "en": "Everything about one customer: tier, ABC class, RFM, churn risk, sales trend, products, surveys and "
        "complaints. Figures follow the sidebar filters.",
    },
    "card.no_data": {
        "zh": "当前筛选条件下没有交易数据，请放宽侧边栏筛选。",
        "en": "No transactions match the filters; widen the sidebar filters.",
    },
    "card.search": {"zh": "搜索客户", "en": "Search customers"},
    "card.search_placeholder": {"zh": "输入客户名称或编号的一部分", "en": "Part of a customer name or code"},
    "card.customer": {"zh": "客户", "en": "Customer"},
    "card.customer_help": {
        "zh": "按分析期销售额从高到低排列，最多列出 {n} 个匹配的客户；可直接输入文字筛选。",
        "en": "Biggest first by revenue in the analysis period, up to {n} matching customers; type to narrow the list.",
    },
    "card.no_match": {
        "zh": "没有名称或编号包含“{term}”的客户（在当前筛选范围内）。",
        "en": "No customer name or code contains “{term}” (within the current filters).",
    },
    "card.unknown_customer": {
        "zh": "未找到客户“{name}”（或不在当前筛选范围内），下面显示的是销售额最高的客户。",
        "en": "Customer “{name}” was not found (or is outside the current filters); showing the top customer by "
        "revenue instead.",
    },
    "card.master_missing": {
        "zh": "暂无该客户的客户档案（可在“数据”页上传）；区域和销售员取自销售明细。",
        "en": "No master data for this customer (upload a customer master on the Data page); region and rep come "
        "from the ledger.",
    },
    "card.lifetime": {
        "zh": "首次采购 {first}，累计净销售额 {revenue}",
        "en": "First purchase {first}; lifetime net revenue {revenue}",
    },
    "card.rank": {
        "zh": "分析期销售额排名第 {rank} 名（共 {n} 名），累计占比 {share}",
        "en": "Revenue rank {rank} of {n} in the period; cumulative share {share}",
    },
    "card.unranked": {
        "zh": "分析期净销售额 ≤ 0（退货多于采购），不参与排名",
        "en": "Net revenue ≤ 0 in the period (returns exceed purchases): not ranked",
    },
    "card.badge.tier": {"zh": "等级：{tier}", "en": "Tier: {tier}"},
    "card.badge.abc": {"zh": "{abc} 类客户", "en": "Class {abc}"},
    "card.badge.segment": {"zh": "RFM：{segment}", "en": "RFM: {segment}"},
    "card.rfm_scores": {
        "zh": "RFM 评分 R{r} · F{f} · M{m} · 建议 → {action}",
        "en": "RFM scores R{r} · F{f} · M{m} · suggested → {action}",
    },
    "card.not_in_period": {
        "zh": "该客户在分析期（{start}–{end}）内没有交易，因此没有等级、ABC 分类和 RFM 评分。",
        "en": "No transactions in the analysis period ({start} – {end}), so no tier, ABC class or RFM scores.",
    },
    "card.kpi.revenue": {"zh": "分析期销售额", "en": "Revenue (period)"},
    "card.kpi.revenue_help": {
        "zh": "{start}–{end} 的净销售额（已扣除退货）。",
        "en": "Net revenue {start} – {end} (returns deducted).",
    },
    "card.kpi.profit": {"zh": "分析期毛利", "en": "Gross profit (period)"},
    "card.kpi.profit_help": {
        "zh": "分析期毛利合计；销售明细没有毛利列时显示“–”。",
        "en": "Gross profit in the period; “–” when the ledger has no profit column.",
    },
    "card.kpi.margin": {"zh": "毛利率 {margin}", "en": "margin {margin}"},
    "card.kpi.vs_previous": {"zh": "比上一期", "en": "vs the period before"},
    "card.kpi.orders": {"zh": "订单数", "en": "Orders"},
    "card.kpi.orders_help": {
        "zh": "分析期内不同订单号的采购单数（无订单号时按采购日计）。",
        "en": "Distinct order ids of purchases in the period (purchase days when there are no order ids).",
    },
    "card.kpi.purchase_days": {"zh": "{n} 个采购日", "en": "{n} purchase days"},
    "card.kpi.purchase_days_one": {"zh": "{n} 个采购日", "en": "{n} purchase day"},
    "card.kpi.last_purchase": {"zh": "最近采购：{date}", "en": "last purchase {date}"},
    "card.kpi.days_since": {"zh": "距最近采购", "en": "Since last purchase"},
    "card.kpi.days_since_help": {"zh": "截至 {date}。", "en": "At {date}."},
    "card.days": {"zh": "{n} 天", "en": "{n} days"},
    "card.days_one": {"zh": "{n} 天", "en": "{n} day"},
    "card.risk.header": {"zh": "流失风险", "en": "Churn risk"},
    "card.risk.loading": {
        "zh": "正在计算流失预警与 BG/NBD 模型（首次打开需几秒）…",
        "en": "Computing the churn warnings and the BG/NBD model (a few seconds the first time)…",
    },
    "card.risk.score": {"zh": "流失预警分", "en": "Risk score"},
    "card.risk.score_value": {"zh": "{score} / 100", "en": "{score} / 100"},
    "card.risk.score_help": {
        "zh": "触发的预警信号权重之和（0–100），与“客户流失”页的预警名单相同。",
        "en": "Sum of the weights of the fired warning signals (0–100), as in the Churn page's warning list.",
    },
    "card.risk.none": {"zh": "未触发任何流失预警信号。", "en": "No churn warning signal fired."},
    "card.risk.signals": {"zh": "触发的预警信号：", "en": "Warning signals that fired:"},
    "card.risk.not_assessed": {
        "zh": "截至 {date} 的 24 个月内没有采购，未做流失预警评估。",
        "en": "No purchase in the 24 months up to {date}: not assessed for churn warnings.",
    },
    "card.p_alive": {"zh": "存活概率 P(alive)", "en": "P(alive)"},
    "card.p_alive_help": {
        "zh": "BG/NBD 模型（Fader, Hardie & Lee 2005）估计的、截至 {date} 该客户仍在持续采购的概率。",
        "en": "Probability that the customer is still buying at {date}, from the BG/NBD model "
        "(Fader, Hardie & Lee 2005).",
    },
    "card.expected": {"zh": "未来 {weeks} 周预计采购", "en": "Expected purchases ({weeks} wks)"},
    "card.expected_value": {"zh": "{n} 次", "en": "{n}"},
    "card.expected_help": {
        "zh": "BG/NBD 模型预测的采购日数（同一天的多笔订单算一次）。",
        "en": "Purchase days the BG/NBD model expects (several orders on one day count once).",
    },
    "card.horizon": {"zh": "预测周数", "en": "Forecast weeks"},
    "card.horizon_help": {
        "zh": "“预计采购”所覆盖的未来周数。",
        "en": "How many weeks ahead “expected purchases” looks.",
    },
    "card.bgnbd_unavailable": {"zh": "无法计算 P(alive)：{reason}", "en": "P(alive) is not available: {reason}"},
    "card.bgnbd.too_few_customers": {
        "zh": "客户太少，无法拟合 BG/NBD 模型。",
        "en": "too few customers to fit the BG/NBD model.",
    },
    "card.bgnbd.no_repeat_buyers": {
        "zh": "没有重复购买的客户，无法拟合 BG/NBD 模型。",
        "en": "no customer bought more than once, so the BG/NBD model cannot be fitted.",
    },
    "card.bgnbd.did_not_converge": {"zh": "BG/NBD 模型拟合未收敛。", "en": "the BG/NBD fit did not converge."},
    "card.bgnbd.non_finite_optimum": {
        "zh": "BG/NBD 模型拟合结果无效（非有限值）。",
        "en": "the BG/NBD fit ended at a non-finite value.",
    },
    "card.bgnbd.degenerate_optimum": {
        "zh": "BG/NBD 模型拟合结果退化（参数到达边界），数据不足以支持该模型。",
        "en": "the BG/NBD fit is degenerate (parameters at a bound): the data cannot support the model.",
    },
    "card.bgnbd.not_in_model": {
        "zh": "该客户在截至日期前没有采购。",
        "en": "the customer made no purchase up to the as-of date.",
    },
    "card.signal.freq_falling": {
        "zh": "采购频次下降：每 {days} 天的订单数 {before} → {recent}（{change}）",
        "en": "Ordering less often: orders per {days} days {before} → {recent} ({change})",
    },
    "card.signal.value_falling": {
        "zh": "客单价下降：平均每单 {before} → {recent}（{change}）",
        "en": "Smaller orders: average order {before} → {recent} ({change})",
    },
    "card.signal.overdue": {
        "zh": "超期未采购：已 {days} 天未采购，超过其通常采购间隔（{gap} 天）的 {k} 倍",
        "en": "Overdue: {days} days since the last purchase, more than {k} × the usual gap of {gap} days",
    },
    "card.signal.open_complaints": {"zh": "有 {n} 条投诉尚未解决", "en": "{n} complaints still open"},
    "card.signal.open_complaints_one": {"zh": "有 {n} 条投诉尚未解决", "en": "{n} complaint still open"},
    "card.signal.low_satisfaction": {
        "zh": "满意度偏低：最近一次 {score} 分（{scale} 分制）",
        "en": "Low satisfaction: latest score {score} on a {scale} scale",
    },
    "card.signal.falling_satisfaction": {
        "zh": "满意度下降：{before} → {after} 分",
        "en": "Satisfaction falling: {before} → {after}",
    },
    "card.signal.tier_downgrade": {
        "zh": "客户等级下降：{before} → {after}（近 12 个月对比之前 12 个月）",
        "en": "Tier downgrade: {before} → {after} (last 12 months against the 12 before)",
    },
    "card.tab.trend": {"zh": "销售走势", "en": "Sales trend"},
    "card.tab.products": {"zh": "所购产品", "en": "Products"},
    "card.tab.surveys": {"zh": "满意度调查", "en": "Surveys"},
    "card.tab.complaints": {"zh": "投诉记录", "en": "Complaints"},
    "card.trend.title_change": {
        "zh": "分析期销售额 {revenue}，比上一期 {change}",
        "en": "Revenue {revenue} in the period, {change} on the period before",
    },
    "card.trend.title_new": {
        "zh": "分析期销售额 {revenue}，上一期没有销售",
        "en": "Revenue {revenue} in the period, none in the period before",
    },
    "card.trend.orders": {"zh": "订单数", "en": "Orders"},
    "card.trend.orders_axis": {"zh": "订单数（单）", "en": "Orders"},
    "card.trend.caption": {
        "zh": "按月汇总侧边栏筛选范围内该客户的全部交易，直到 {end}；没有交易的月份记为 0。",
        "en": "Monthly totals of this customer's lines within the sidebar filters, up to {end}; months without "
        "lines count as 0.",
    },
    "card.trend.empty": {
        "zh": "筛选范围内没有该客户的交易。",
        "en": "No transactions of this customer within the filters.",
    },
    "card.products.title": {
        "zh": "前 {k} 个产品占该客户分析期销售额的 {share}",
        "en": "The top {k} products bring {share} of this customer's revenue in the period",
    },
    "card.products.title_single": {
        "zh": "分析期只采购了一个产品：{product}",
        "en": "A single product bought in the period: {product}",
    },
    "card.products.title_plain": {"zh": "分析期所购产品", "en": "Products bought in the period"},
    "card.products.axis_y": {"zh": "产品（销售额前 {n}）", "en": "Product (top {n} by revenue)"},
    "card.products.caption": {
        "zh": "分析期 {start}–{end} 的产品明细，合计等于分析期销售额。",
        "en": "Products in the analysis period {start} – {end}; they add up to the period revenue.",
    },
    "card.products.empty": {
        "zh": "分析期内没有该客户的交易明细。",
        "en": "No lines of this customer in the analysis period.",
    },
    "card.products.no_name": {"zh": "（未注明产品）", "en": "(no product given)"},
    "card.surveys.title": {
        "zh": "最近一次满意度 {score} 分（{scale} 分制），{n} 次调查平均 {mean} 分",
        "en": "Latest satisfaction {score} on a {scale} scale; average {mean} over {n} surveys",
    },
    "card.surveys.title_one": {
        "zh": "满意度 {score} 分（{scale} 分制），目前只有 1 次调查",
        "en": "Satisfaction {score} on a {scale} scale, from a single survey",
    },
    "card.surveys.title_norm": {
        "zh": "最近一次满意度为满分的 {score}，{n} 次调查平均 {mean}",
        "en": "Latest satisfaction {score} of the scale; average {mean} over {n} surveys",
    },
    "card.surveys.axis_x": {"zh": "调查日期", "en": "Survey date"},
    "card.surveys.axis_y": {"zh": "总体满意度（{scale} 分）", "en": "Overall score ({scale})"},
    "card.surveys.axis_y_norm": {"zh": "总体满意度（占满分 %）", "en": "Overall score (% of the scale)"},
    "card.surveys.overall": {"zh": "总体满意度", "en": "Overall"},
    "card.surveys.empty": {
        "zh": "暂无该客户的满意度调查记录（在当前筛选范围内）。",
        "en": "No satisfaction surveys for this customer (within the current filters).",
    },
    "card.complaints.summary": {
        "zh": "共 {n} 条投诉，{open} 条未解决；已解决投诉的处理用时中位数 {median} 天。",
        "en": "{n} complaints, {open} open; median time to resolve {median} days.",
    },
    "card.col.orders": {"zh": "订单数", "en": "Orders"},
    "card.col.product": {"zh": "产品", "en": "Product"},
    "card.col.category": {"zh": "品类", "en": "Category"},
    "card.col.revenue_share": {"zh": "占该客户销售额", "en": "Share of the customer's revenue"},
    "card.col.quantity": {"zh": "数量", "en": "Quantity"},
    "card.col.lines": {"zh": "明细行数", "en": "Lines"},
    "card.col.last_purchase": {"zh": "最近采购", "en": "Last purchase"},
    "card.col.survey_date": {"zh": "调查日期", "en": "Survey date"},
    "card.col.overall": {"zh": "总体满意度", "en": "Overall"},
    "card.col.scale_min": {"zh": "量表下限", "en": "Scale min"},
    "card.col.scale_max": {"zh": "量表上限", "en": "Scale max"},
    "card.col.recommend": {"zh": "推荐意愿（0–10）", "en": "Likely to recommend (0–10)"},
    "card.col.comment": {"zh": "意见", "en": "Comment"},
    "card.col.complaint_id": {"zh": "投诉编号", "en": "Complaint id"},
    "card.col.opened_date": {"zh": "投诉日期", "en": "Opened"},
    "card.col.severity": {"zh": "严重程度", "en": "Severity"},
    "card.col.resolved_date": {"zh": "解决日期", "en": "Resolved"},
    "card.col.days_to_resolve": {"zh": "处理用时（天）", "en": "Days to resolve"},
    "card.col.is_open": {"zh": "未解决", "en": "Open"},
    "card.col.description": {"zh": "问题描述", "en": "Description"},
    "card.complaints.empty": {
        "zh": "暂无该客户的投诉记录（在当前筛选范围内）。",
        "en": "No complaints recorded for this customer (within the current filters).",
    },
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


def plural_key(key: str, n: float) -> str:
    """``key``, or ``<key>_one`` when ``n`` is 1 and that key exists (English singular: "1 row", "1 day")."""
    return f"{key}_one" if n == 1 and f"{key}_one" in TEXTS else key


def tier_name(code: object, lang: str | None = None) -> str:
    """Display name of a tier code of :mod:`analytics.tiers` (``diamond`` → 钻石 / Diamond); other values as text."""
    key = f"tier.{code}"
    return t(key, lang) if key in TEXTS else str(code)


def tier_names(codes: Iterable[object], lang: str | None = None) -> list[str | None]:
    """:func:`tier_name` of every entry of a column (None stays None), translated once per distinct code."""
    lang = lang or _current_lang()
    names: dict[object, str | None] = {}
    out = []
    for code in codes:
        if code not in names:
            missing = code is None or (isinstance(code, float) and code != code)  # None or NaN
            names[code] = None if missing else tier_name(str(code), lang)
        out.append(names[code])
    return out


def has(key: str) -> bool:
    """Whether ``key`` is in the table (for optional labels such as ``col.<name>``)."""
    return key in TEXTS
