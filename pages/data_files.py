"""Data: upload files (with mapping and a validation report before storing), upload log, undo, demo."""

from __future__ import annotations

import streamlit as st

from ui import upload
from ui.i18n import t

st.title(t("data.title"))
st.caption(t("data.caption"))

files = st.file_uploader(t("data.uploader"), type=["xlsx", "xls", "csv"], accept_multiple_files=True, key="uploader")
for file in files or []:
    upload.file_panel(file.name, file.getvalue())

st.divider()
upload.upload_log()
st.divider()
upload.demo_controls()
