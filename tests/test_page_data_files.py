"""Data page: upload progress for big files (status box with the stages), in both languages."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from pagetest import SAMPLES, XLSX_MIME, label, metric, new_app, no_errors

from analytics import ingest
from ui.format import escape_markdown

SAMPLE = SAMPLES / "华东区_2024年销售明细.xlsx"


def _below_header() -> int:
    sheet = openpyxl.load_workbook(SAMPLE, read_only=True)["销售明细"]
    return sheet.max_row - 3  # title, date line, header (read off the file)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_big_upload_shows_its_stages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setattr(ingest, "PROGRESS_MIN_BYTES", SAMPLE.stat().st_size)  # this file counts as big
    at = new_app(tmp_path / "k.duckdb", monkeypatch, lang).run()
    at.switch_page("pages/data_files.py").run()
    at.file_uploader[0].set_value((SAMPLE.name, SAMPLE.read_bytes(), XLSX_MIME)).run()
    no_errors(at)
    assert metric(at, "data.rows_to_store", lang) == "662"
    assert len(at.status) == 1
    box = at.status[0]
    # the label is Markdown: the file name is shown as written
    assert box.label == label("data.progress.done", lang).format(file=escape_markdown(SAMPLE.name))
    assert box.state == "complete"
    rows = _below_header()
    lines = [c.value for c in box.caption]
    read, check = ("已读取", "校验完成") if lang == "zh" else ("read", "checked")
    assert len(lines) == 2
    assert lines[0].startswith(read) and f"{rows}" in lines[0]
    assert lines[1].startswith(check) and "662" in lines[1]
    # both stages of this run are done: two of the upload's three
    assert [getattr(p, "value", None) for p in box.get("progress")] == [int(100 * 2 / 3)]  # shown in percent


def test_small_upload_shows_no_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = new_app(tmp_path / "k.duckdb", monkeypatch, "zh").run()
    at.switch_page("pages/data_files.py").run()
    at.file_uploader[0].set_value((SAMPLE.name, SAMPLE.read_bytes(), XLSX_MIME)).run()
    no_errors(at)
    assert metric(at, "data.rows_to_store") == "662"
    assert len(at.status) == 0
