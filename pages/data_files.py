"""Data: upload files (with mapping and a validation report before storing), upload log, undo, demo, users."""

from __future__ import annotations

import streamlit as st

from ui import auth, state, upload
from ui.i18n import t

user = state.user()
st.title(t("data.title"))
st.caption(t("data.caption"))

if user.can_upload:
    if user.regions:
        st.info(t("auth.upload_scope", regions=", ".join(user.regions)), icon=":material/lock:")
    files = st.file_uploader(
        t("data.uploader"), type=["xlsx", "xls", "csv"], accept_multiple_files=True, key="uploader"
    )
    for file in files or []:
        upload.file_panel(file.name, file.getvalue())
else:
    st.info(t("auth.viewer_no_upload"), icon=":material/visibility:")

st.divider()
upload.upload_log()
st.divider()
upload.demo_controls()
if user.is_admin:
    auth.users_panel()
