"""Streamlit-side helpers of KA Radar: state, translations, formatting, charts, tables, upload widgets."""
