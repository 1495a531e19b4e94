"""Sign-in for shared deployments (off on a laptop): who the session's user is.

Without ``[karadar.users]`` in the secrets everybody is :data:`analytics.access.LOCAL_ADMIN`.
With users configured, a session must sign in first:

* with OIDC when Streamlit's ``[auth]`` section is configured (``st.login``; the user's e-mail
  selects the ``[karadar.users.<name>]`` entry that has it);
* otherwise with a name and password checked against the stored PBKDF2 hash.

The user's region scope narrows every query (see :func:`analytics.access.scoped_filters`).
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from analytics import access
from ui.i18n import t

log = logging.getLogger("karadar.auth")
USER_KEY = "_user"


def _secrets() -> dict[str, Any]:
    """The parsed secrets (empty without a secrets file)."""
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, KeyError, OSError):
        return {}
    except Exception:  # Streamlit raises its own error type for a missing or broken file
        log.warning("the secrets file could not be read", exc_info=True)
        return {}


def configured_users() -> dict[str, access.User]:
    """The users of the deployment (empty: access control is off)."""
    return access.parse_users(_secrets())


def _oidc_configured() -> bool:
    return "auth" in _secrets()


def current_user() -> access.User | None:
    """The signed-in user; the local admin when access control is off; None before sign-in."""
    users = configured_users()
    if not users:
        return access.LOCAL_ADMIN
    user = st.session_state.get(USER_KEY)
    if isinstance(user, access.User) and user.name in users:
        return users[user.name]  # the secrets file wins (a changed role takes effect at once)
    if _oidc_configured() and st.user.get("is_logged_in"):
        email = st.user.get("email")
        return access.user_for_email(users, email if isinstance(email, str) else None)
    return None


def require_user() -> access.User:
    """The session's user; draws the sign-in form and stops the run while nobody is signed in."""
    user = current_user()
    if user is not None:
        return user
    st.title(t("auth.title"))
    if _oidc_configured():
        if st.user.get("is_logged_in"):
            st.error(t("auth.unknown_email", email=str(st.user.get("email") or "")))
            st.button(t("auth.logout"), key="auth_logout_unknown", on_click=st.logout)
        else:
            st.button(t("auth.login_oidc"), key="auth_login_oidc", type="primary", on_click=st.login)
        st.stop()
    with st.form("auth_form"):
        name = st.text_input(t("auth.name"), key="auth_name")
        password = st.text_input(t("auth.password"), type="password", key="auth_password")
        submitted = st.form_submit_button(t("auth.login"), type="primary")
    if submitted:
        signed_in = access.authenticate(configured_users(), name, password)
        if signed_in is None:
            st.error(t("auth.failed"))
        else:
            st.session_state[USER_KEY] = signed_in
            st.rerun()
    st.stop()


def _sign_out() -> None:
    st.session_state.pop(USER_KEY, None)


def user_badge(user: access.User) -> None:
    """Sidebar line with the user, role and scope, and a sign-out button (only with access control)."""
    if user is access.LOCAL_ADMIN:
        return
    scope = ", ".join(user.regions) if user.regions else t("auth.all_regions")
    st.sidebar.caption(t("auth.signed_in", name=user.name, role=t(f"auth.role.{user.role}"), scope=scope))
    if st.session_state.get(USER_KEY) is not None:
        st.sidebar.button(t("auth.logout"), key="auth_logout", on_click=_sign_out, icon=":material/logout:")
    elif _oidc_configured():
        st.sidebar.button(t("auth.logout"), key="auth_logout", on_click=st.logout, icon=":material/logout:")


def users_panel() -> None:
    """Admins: the configured users (names, roles, regions; never hashes) and how to add one."""
    users = configured_users()
    if not users:
        return
    st.divider()
    st.subheader(t("auth.users"))
    st.dataframe(
        {
            t("auth.name"): [u.name for u in users.values()],
            t("auth.role"): [t(f"auth.role.{u.role}") for u in users.values()],
            t("auth.regions"): [", ".join(u.regions) or t("auth.all_regions") for u in users.values()],
            t("auth.email"): [u.email or "" for u in users.values()],
        },
        hide_index=True,
    )
    st.caption(t("auth.users_help"))
