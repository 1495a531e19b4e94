"""Placeholder until the page is built."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t

st.title(t("nav.churn"))
