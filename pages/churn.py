"""Churn (客户流失): who was lost, who is slipping away and why, and how far the BG/NBD model can be trusted.

The headline, trend, cohorts and what-if come from one shared scan of the purchase activity
(:func:`analytics.churn.purchase_activity`), so a window move costs milliseconds, not a query.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from analytics import churn, summary
from ui import churn_view as view
from ui import settings, state, url_codes
from ui.i18n import t

lang, currency = state.lang(), state.currency()
filters = state.filters()
scheme = settings.tier_scheme()

st.title(t("churn.title"))
st.caption(t("churn.caption"))
window = st.slider(
    t("churn.window"), **settings.widget("churn_window"), format=t("churn.window_format"), help=t("churn.window_help")
)
activity = state.query_shared(churn.purchase_activity, filters)
headline = churn.activity_summary(activity, window)
if headline.windows is None:
    st.info(t("churn.no_data"))
    st.stop()
view.window_caption(headline, lang)
if headline.active_at_start == 0:
    st.info(t("churn.no_active"))
    st.stop()
view.summary_metrics(headline, lang, currency)

tabs = url_codes.tabs(view.TAB_KEY, "churn.tab", view.TAB_CODES, lang)

if tabs["trend"].open:
    with tabs["trend"]:
        points = st.slider(
            t("churn.trend_points"), 6, 60, value=24, step=1, key="churn_trend_points", bind="query-params"
        )
        view.trend_section(churn.activity_over_time(activity, window, points), window, lang)

if tabs["profile"].open:
    with tabs["profile"]:
        dimension = st.segmented_control(
            t("churn.profile_by"),
            churn.PROFILE_DIMENSIONS,
            default=url_codes.prepare("churn_profile_dimension", churn.PROFILE_DIMENSIONS, "region"),
            required=True,
            format_func=lambda code: t(f"churn.dim.{code}", lang),  # lang bound: AppTest formats outside the run
            key="churn_profile_dimension",
            persist_state="session",
        )  # the link carries the code (url_codes), the same in both languages
        profile = state.query(churn.lost_profile, filters, None, window, scheme)
        view.profile_section(profile, dimension or "region", headline.churn_rate, lang, currency)
        st.subheader(t("churn.lost_list", n=headline.lost))
        view.lost_table(state.query_shared(churn.lost_customers, filters, None, window, scheme))

if tabs["cohorts"].open:
    with tabs["cohorts"]:
        left, right = st.columns(2)
        shown = left.slider(t("churn.cohorts_shown"), 3, 60, value=24, key="churn_cohorts", bind="query-params")
        months = right.slider(t("churn.cohort_months"), 1, 36, value=12, key="churn_cohort_months", bind="query-params")
        view.cohort_section(churn.activity_cohorts(activity, months), shown, lang)

if tabs["at_risk"].open:
    with tabs["at_risk"]:
        cols = st.columns(4)
        cols[0].number_input(
            t("churn.overdue_k"), **settings.widget("overdue_k"), step=0.5, help=t("churn.overdue_k_help")
        )
        cols[1].number_input(
            t("churn.overdue_floor"), **settings.widget("overdue_floor"), step=5, help=t("churn.overdue_floor_help")
        )
        horizon = int(
            cols[2].number_input(
                t("churn.horizon"), min_value=1, max_value=104, value=26, key="churn_horizon", bind="query-params"
            )
        )
        min_score = cols[3].slider(
            t("churn.min_score"), 0, 100, value=30, step=5, key="churn_min_score", bind="query-params"
        )
        rules = view.warning_rules(float(settings.get("overdue_k")), int(settings.get("overdue_floor")))
        with st.spinner(t("churn.fitting")):
            warning = state.query_shared(churn.early_warning, filters, None, rules, scheme)
            model = state.query_shared(churn.bgnbd_summary, filters, None, float(horizon))
        if model.fit is None:
            st.warning(t("churn.no_model", reason=t(f"churn.reason.{model.reason_code}")))
        table = view.at_risk_table(warning, model.customers, rules, min_score, lang, currency)
        st.caption(t("churn.at_risk_count", n=len(table), total=len(warning), score=min_score))
        view.show_at_risk(table, horizon)

if tabs["model_check"].open:
    with tabs["model_check"]:
        first = state.query(summary.filter_options).first_date
        end = headline.windows.as_of
        if first is None or (end - first).days < 14:
            st.info(t("churn.check_short"))
        else:
            earliest, latest = first + dt.timedelta(days=7), end - dt.timedelta(days=7)
            picked = st.session_state.get("churn_calibration_end")
            if isinstance(picked, dt.date) and not earliest <= picked <= latest:
                del st.session_state["churn_calibration_end"]  # the data or the as-of date moved
            calibration_end = st.columns([1, 2])[0].date_input(
                t("churn.calibration_end"),
                value=view.default_calibration_end(first, end),
                min_value=earliest,
                max_value=latest,
                help=t("churn.calibration_end_help"),
                key="churn_calibration_end",
                bind="query-params",
            )
            assert isinstance(calibration_end, dt.date)
            view.holdout_caption(calibration_end, end, lang)
            with st.spinner(t("churn.fitting")):
                result = state.query(view.model_check, filters, calibration_end, end)
            if result.check is None:
                st.warning(t("churn.no_model", reason=t(f"churn.reason.{result.reason_code}")))
            else:
                view.fit_metrics(result.check.fit)
                view.frequency_section(result.check, lang)
                view.tracking_section(result.check, lang)

if tabs["what_if"].open:
    with tabs["what_if"]:
        reduction = st.slider(
            t("churn.what_if_points"),
            0,
            20,
            value=5,
            format=t("churn.points_format"),
            help=t("churn.what_if_points_help"),
            key="churn_reduction",
            bind="query-params",
        )
        view.what_if_section(churn.activity_what_if(activity, window, float(reduction)), lang, currency)
