"""Which server-log tracebacks count as this app's errors (ui.serverlog)."""

from __future__ import annotations

import pytest

from ui import serverlog

VENV = f"{serverlog.ROOT}/.venv/lib/python3.11/site-packages"
_STREAMLIT_CHAIN = f"""Exception in ASGI application
Traceback (most recent call last):
  File "{VENV}/starlette/websockets.py", line 120, in receive
    raise WebSocketDisconnected(code)
starlette.websockets.WebSocketDisconnected: 1001

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "{VENV}/streamlit/web/server/app.py", line 88, in websocket
    await session.close()
starlette.websockets.WebSocketDisconnected: 1001
"""
_PROJECT_CHAIN = f"""Exception in ASGI application
Traceback (most recent call last):
  File "{serverlog.ROOT}/ui/state.py", line 10, in cursor
    yield cur
starlette.websockets.WebSocketDisconnected: 1001
"""
_APP_ERROR = f"""Traceback (most recent call last):
  File "{serverlog.ROOT}/analytics/churn.py", line 5, in summary
    1 / 0
ZeroDivisionError: division by zero
"""


@pytest.mark.parametrize(
    ("log", "kept_tracebacks", "races"),
    [
        pytest.param("INFO started\n" + _STREAMLIT_CHAIN + "INFO next\n", 0, 1, id="streamlit_race_dropped"),
        pytest.param(_STREAMLIT_CHAIN + _STREAMLIT_CHAIN, 0, 2, id="two_races"),
        pytest.param(_PROJECT_CHAIN, 1, 0, id="race_through_project_code_kept"),
        pytest.param(_APP_ERROR, 1, 0, id="app_error_kept"),
        pytest.param(_STREAMLIT_CHAIN + _APP_ERROR, 1, 1, id="race_then_app_error"),
        pytest.param("", 0, 0, id="empty"),
    ],
)
def test_only_streamlit_disconnect_races_are_dropped(log: str, kept_tracebacks: int, races: int) -> None:
    kept = serverlog.without_disconnect_races(log)
    assert kept.count("Traceback") == kept_tracebacks
    assert serverlog.disconnect_races(log) == races
    assert ("ZeroDivisionError" in kept) == ("ZeroDivisionError" in log)


def test_the_lines_around_a_race_stay() -> None:
    log = "INFO started\n" + _STREAMLIT_CHAIN + "INFO next\n"
    assert serverlog.without_disconnect_races(log) == "INFO started\nINFO next\n"
