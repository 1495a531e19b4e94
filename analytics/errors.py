"""Ingest problems as codes with parameters, rendered in the user's language (zh or en).

The analytics layer never builds user-facing sentences inline: it raises :class:`IngestError`
with a code, and the CLI or the page renders it with :func:`message`.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "empty_file": {"en": "The file is empty.", "zh": "文件是空的。"},
    "unknown_format": {
        "en": "This is not an Excel or CSV file (the content is not recognised).",
        "zh": "无法识别文件内容：这不是 Excel 或 CSV 文件。",
    },
    "html_file": {
        "en": "This file is a web page saved with an Excel name. Open it in Excel and save it as .xlsx.",
        "zh": "该文件其实是网页（HTML），只是扩展名为 Excel。请用 Excel 打开后另存为 .xlsx。",
    },
    "password_protected": {
        "en": "The workbook is password-protected. Remove the password in Excel and upload it again.",
        "zh": "工作簿设置了密码保护。请在 Excel 中取消密码后重新上传。",
    },
    "corrupt_file": {
        "en": "The file is damaged or truncated and cannot be read.",
        "zh": "文件已损坏或不完整，无法读取。",
    },
    "not_a_workbook": {"en": "The zip file is not an Excel workbook.", "zh": "该压缩文件不是 Excel 工作簿。"},
    "file_too_large_unpacked": {
        "en": "The workbook unpacks to {size_mb} MB, above the limit.",
        "zh": "工作簿解压后达 {size_mb} MB，超过上限。",
    },
    "zip_bomb": {
        "en": "The workbook is compressed suspiciously strongly (a possible zip bomb) and was refused.",
        "zh": "工作簿压缩比异常（疑似压缩炸弹），已拒绝。",
    },
    "xml_dtd": {
        "en": "The workbook contains XML entity declarations, which are not allowed.",
        "zh": "工作簿包含 XML 实体声明，出于安全原因不予读取。",
    },
    "zip_size_mismatch": {
        "en": "“{member}” in the workbook unpacks to more than the {declared} bytes its zip directory declares: the file is damaged or manipulated, and was refused.",
        "zh": "工作簿中的“{member}”解压后超过压缩目录声明的 {declared} 字节：文件已损坏或被篡改，已拒绝。",
    },
    "file_too_complex": {
        "en": "The file is too complex to read within the memory limit for uploads; split it into smaller files or delete unused rows, columns and sheets.",
        "zh": "文件过于复杂，在上传的内存上限内无法读取；请拆分为较小的文件，或删除多余的行、列和工作表。",
    },
    "parse_timeout": {
        "en": "Reading the file took longer than {seconds} s and was stopped; split it into smaller files.",
        "zh": "读取文件超过 {seconds} 秒，已中止；请拆分为较小的文件。",
    },
    "parser_crashed": {
        "en": "The file reader crashed on this file ({how}); the file is probably damaged. Open it in Excel, save it again and retry.",
        "zh": "读取该文件时解析程序崩溃（{how}），文件可能已损坏。请用 Excel 打开后重新保存再上传。",
    },
    "sheet_too_large": {
        "en": "A sheet spans {rows} rows × {columns} columns (its used range), above the limit; delete unused rows/columns.",
        "zh": "某工作表的使用范围达 {rows} 行 × {columns} 列，超过上限；请删除多余的空行/空列。",
    },
    "unknown_encoding": {
        "en": "The text encoding of the CSV file could not be recognised; save it as UTF-8.",
        "zh": "无法识别 CSV 文件的文字编码，请另存为 UTF-8。",
    },
    "no_header": {
        "en": "No header row found in sheet “{sheet}”: expected column names such as 客户/日期/金额 or Customer/Date/Amount.",
        "zh": "在工作表“{sheet}”中找不到表头行：应包含 客户、日期、金额 等列名。",
    },
    "no_sheet": {
        "en": "No sheet of this file has the columns of a {kind} file.",
        "zh": "文件中没有任何工作表包含{kind}所需的列。",
    },
    "unknown_sheet": {"en": "There is no sheet named “{sheet}”.", "zh": "找不到名为“{sheet}”的工作表。"},
    "upload_not_allowed": {
        "en": "Your role ({role}) cannot upload files; ask an administrator for the uploader role.",
        "zh": "您的角色（{role}）不能上传文件；如需上传，请联系管理员开通上传权限。",
    },
    "kind_not_allowed": {
        "en": "Region-restricted uploaders can upload sales ledgers and customer master files only.",
        "zh": "区域受限的上传者只能上传销售明细和客户档案。",
    },
    "missing_field": {
        "en": "Required column “{field}” was not found; map it to one of the file's columns.",
        "zh": "缺少必需的列“{field}”，请在映射中指定对应的列。",
    },
    "unknown_column": {
        "en": "Column “{column}” (mapped to {field}) does not exist in the file.",
        "zh": "映射到 {field} 的列“{column}”在文件中不存在。",
    },
    "ambiguous_dates": {
        "en": "Column “{column}” has dates like {example} whose day/month order is ambiguous; choose day-first or month-first.",
        "zh": "列“{column}”中的日期（如 {example}）无法判断日/月顺序，请选择“日在前”或“月在前”。",
    },
    "no_usable_rows": {
        "en": "None of the {rows} rows could be used; see the list of rejected rows.",
        "zh": "全部 {rows} 行都无法使用，请查看被拒绝的行。",
    },
    "strict_rejected": {
        "en": "{bad} of {rows} rows cannot be used (first: row {first_row}, {first_reason}); strict mode refuses the whole file.",
        "zh": "{rows} 行中有 {bad} 行无法使用（首个：第 {first_row} 行，{first_reason}），严格模式下整个文件被拒绝。",
    },
    "overlap": {
        "en": "Stored uploads ({files}) already cover {regions} in {first} – {last} ({rows} stored rows in that period). Replace that slice, or append?",
        "zh": "已导入的文件（{files}）已覆盖 {regions} 在 {first} 至 {last} 期间的数据（该期间已有 {rows} 行）。替换这部分数据，还是追加？",
    },
    "duplicate": {
        "en": "This file was already stored (upload #{upload_id}); nothing was changed.",
        "zh": "该文件已经导入过（第 {upload_id} 次上传），未做任何改动。",
    },
    "stored": {
        "en": "Stored {stored} of {rows} rows; {skipped} skipped.",
        "zh": "已导入 {rows} 行中的 {stored} 行，跳过 {skipped} 行。",
    },
    "bad_constant": {
        "en": "Constant “{field}” is not a field of {kind} files.",
        "zh": "常量“{field}”不是{kind}文件的字段。",
    },
    "formula_no_value": {
        "en": "{n} rows have formulas without a saved result in optional columns; those cells are left empty (the rows are still stored). Open the file in Excel and save it to keep the results.",
        "zh": "有 {n} 行的可选列中含有未保存计算结果的公式，这些单元格已置空（整行仍会导入）。请用 Excel 打开并保存后再上传以保留结果。",
    },
    "wal_quarantined": {
        "en": "The database's write-ahead log (its last, unsaved changes) was damaged and has been moved aside to {path}; the database opened without it, so the most recent upload may be missing — check the upload log and upload it again if needed.",
        "zh": "数据库的预写日志（最近尚未落盘的改动）已损坏，已移至 {path} 隔离保存；数据库在不含这些改动的情况下打开，最近一次上传可能缺失，请查看上传记录，必要时重新上传。",
    },
    "database_damaged": {
        "en": "The database file {path} is damaged and cannot be opened ({detail}); restore it from a backup. Nothing was deleted.",
        "zh": "数据库文件 {path} 已损坏，无法打开（{detail}）；请从备份恢复。没有删除任何文件。",
    },
    "database_busy": {
        "en": "The database is in use by another program; try again in a moment.",
        "zh": "数据库正被其他程序使用，请稍后再试。",
    },
}

# Reasons a row is skipped (also the keys of rows_skipped in reports and the upload log).
REASONS: dict[str, dict[str, str]] = {
    "empty_row": {"en": "empty row", "zh": "空行"},
    "total_row": {"en": "total/subtotal row", "zh": "合计/小计行"},
    "missing_customer": {"en": "no customer", "zh": "缺少客户"},
    "missing_date": {"en": "no date", "zh": "缺少日期"},
    "bad_date": {"en": "not a date", "zh": "日期无法识别"},
    "missing_amount": {"en": "no amount", "zh": "缺少金额"},
    "bad_amount": {"en": "not a number", "zh": "金额无法识别"},
    "missing_score": {"en": "no score", "zh": "缺少评分"},
    "bad_score": {"en": "score not a number or outside the scale", "zh": "评分无法识别或超出量表"},
    "already_stored": {"en": "already stored", "zh": "已导入过"},
    "formula_no_value": {"en": "formula without a saved result", "zh": "公式没有已保存的计算结果"},
    "out_of_scope": {"en": "region outside your access", "zh": "区域不在您的权限范围内"},
    "bad_number": {"en": "not a number (left empty)", "zh": "数字无法识别（置空）"},
}


class IngestError(Exception):
    """A file or an upload that cannot be stored; ``code`` keys :data:`MESSAGES`."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def render(self, lang: str = "en") -> str:
        """The message in ``lang`` ("zh" or "en")."""
        return message(self.code, lang, **self.params)


def message(code: str, lang: str = "en", **params: object) -> str:
    """Render a message code in ``lang``, falling back to English."""
    templates = MESSAGES.get(code, {"en": code, "zh": code})
    template = templates.get(lang, templates["en"])
    return template.format(**params)


def reason_label(reason: str, lang: str = "en") -> str:
    """Human label of a skip reason code."""
    return REASONS.get(reason, {}).get(lang, reason)
