"""What in a server log is an error of this app, and what is Streamlit's own disconnect noise."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Streamlit 1.67's websocket handler logs "Exception in ASGI application" when a client
# disconnects mid-handshake: a chain of tracebacks, each ending in WebSocketDisconnected.
_DISCONNECT_RACE = re.compile(
    r"Exception in ASGI application\n"
    r"(?:Traceback \(most recent call last\):\n(?:[ \t].*\n)+"
    r"starlette\.websockets\.WebSocketDisconnected: .*\n"
    r"(?:\nDuring handling of the above exception, another exception occurred:\n\n)?)+"
)
_PROJECT_FRAME = re.compile(rf'File "{re.escape(str(ROOT))}/(?!\.venv/)')


def _is_streamlit_race(chain: str) -> bool:
    """A disconnect chain none of whose frames is in this project's code."""
    return _PROJECT_FRAME.search(chain) is None


def without_disconnect_races(log: str) -> str:
    """The server log without Streamlit's own tracebacks for a browser tab that went away.

    Only such chains are dropped, and only when none of their frames is in this project's code.
    """
    return _DISCONNECT_RACE.sub(lambda match: "" if _is_streamlit_race(match.group(0)) else match.group(0), log)


def disconnect_races(log: str) -> int:
    """How many of Streamlit's own disconnect chains the log holds (what :func:`without_disconnect_races` drops)."""
    return sum(1 for match in _DISCONNECT_RACE.finditer(log) if _is_streamlit_race(match.group(0)))
