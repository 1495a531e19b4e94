"""Who may see and change what: users, roles and region scopes for shared deployments.

Access control is **off** unless the deployment configures users in ``.streamlit/secrets.toml``
(a laptop needs none). Roles, from least to most:

* ``viewer`` — reads every page of their scope; no upload, no undo.
* ``uploader`` — a viewer who can also upload files (only rows of their regions).
* ``admin`` — everything: all regions, undo any upload, remove the demo, see the users.

A user may be restricted to regions (``regions = ["华东"]``): then every query runs with the
region filter narrowed to those regions (:func:`scoped_filters`). The restriction is applied to
the :class:`~analytics.filters.Filters` that every analysis takes, so it holds in every page,
table, export and CLI command, and it is part of every cache key (the UI caches on the filters).

Configuration (``[karadar.users.<name>]`` tables; passwords only as hashes, never in clear)::

    [karadar.users.wang]
    role = "uploader"
    regions = ["华东"]
    password_hash = "pbkdf2_sha256$600000$<salt hex>$<hash hex>"   # python -m analytics hash-password
    email = "wang@example.com"                                      # for OIDC sign-in (st.login)

Password hashes are PBKDF2-HMAC-SHA256 (:func:`hashlib.pbkdf2_hmac`, 600,000 iterations as
recommended by OWASP 2023) with a random 16-byte salt, compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets as _secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from analytics.errors import IngestError
from analytics.filters import Filters
from analytics.ingest import Prepared

Role = Literal["viewer", "uploader", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "uploader", "admin")
HASH_SCHEME = "pbkdf2_sha256"
HASH_ITERATIONS = 600_000
SECRETS_ENV_VAR = "KARADAR_SECRETS"
DEFAULT_SECRETS = Path(".streamlit") / "secrets.toml"


class AccessConfigError(ValueError):
    """The users table of the secrets file is not usable (names the user and the problem)."""


@dataclass(frozen=True)
class User:
    """A signed-in user; ``regions`` empty means every region."""

    name: str
    role: Role
    regions: tuple[str, ...] = ()
    email: str | None = None
    password_hash: str | None = None

    @property
    def can_upload(self) -> bool:
        """Uploaders and admins may store files."""
        return self.role in ("uploader", "admin")

    @property
    def is_admin(self) -> bool:
        """Admins may undo uploads and see the users."""
        return self.role == "admin"


#: The user of a deployment without access control: an admin of everything.
LOCAL_ADMIN = User(name="local", role="admin")


def hash_password(password: str, *, salt: bytes | None = None, iterations: int = HASH_ITERATIONS) -> str:
    """``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>`` of ``password`` (a new random salt by default)."""
    salt = salt if salt is not None else _secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{HASH_SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches the stored hash (constant-time; False for a malformed hash)."""
    try:
        scheme, iterations, salt_hex, digest_hex = (stored or "").split("$")
        if scheme != HASH_SCHEME:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt_hex), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


def parse_users(config: Mapping[str, Any]) -> dict[str, User]:
    """Users of the ``[karadar.users]`` table of a parsed secrets file (empty: access control off)."""
    table = (config.get("karadar") or {}).get("users") or {}
    users: dict[str, User] = {}
    for name, entry in table.items():
        role = entry.get("role", "viewer")
        if role not in ROLES:
            raise AccessConfigError(f"user {name!r}: role must be one of {', '.join(ROLES)}, not {role!r}")
        if "password" in entry:
            raise AccessConfigError(f"user {name!r}: store password_hash (python -m analytics hash-password)")
        regions = entry.get("regions", [])
        if isinstance(regions, str) or not all(isinstance(r, str) for r in regions):
            raise AccessConfigError(f"user {name!r}: regions must be a list of names")
        users[str(name)] = User(
            name=str(name),
            role=role,
            regions=tuple(regions),
            email=entry.get("email"),
            password_hash=entry.get("password_hash"),
        )
    return users


def load_users(path: str | os.PathLike[str] | None = None) -> dict[str, User]:
    """Users from the secrets file (``path``, else ``$KARADAR_SECRETS``, else ``.streamlit/secrets.toml``)."""
    source = Path(path or os.environ.get(SECRETS_ENV_VAR) or DEFAULT_SECRETS)
    if not source.exists():
        return {}
    with source.open("rb") as handle:
        return parse_users(tomllib.load(handle))


def authenticate(users: Mapping[str, User], name: str, password: str) -> User | None:
    """The user whose name and password match, else None (same work for unknown names)."""
    user = users.get(name.strip())
    stored = user.password_hash if user else hash_password("", salt=b"\0" * 16)
    return user if verify_password(password, stored) and user is not None else None


def user_for_email(users: Mapping[str, User], email: str | None) -> User | None:
    """The configured user with this e-mail address (OIDC sign-in), case-insensitive."""
    wanted = (email or "").strip().lower()
    return next((u for u in users.values() if u.email and u.email.strip().lower() == wanted), None) if wanted else None


def scoped_filters(filters: Filters, user: User) -> Filters:
    """``filters`` narrowed to the user's regions (unchanged for a user of every region).

    Chosen regions outside the scope are dropped; no region chosen means all of the scope.
    """
    if not user.regions:
        return filters
    allowed = tuple(r for r in filters.regions if r in user.regions) or user.regions
    return replace(filters, regions=allowed)


def visible_regions(regions: list[str], user: User) -> list[str]:
    """The region choices to offer the user (all of them for an unrestricted user)."""
    return [r for r in regions if r in user.regions] if user.regions else regions


#: Kinds a region-restricted uploader may store (surveys and complaints carry no region).
SCOPED_KINDS = ("ledger", "customers")
OUT_OF_SCOPE = "out_of_scope"


def restrict_upload(prepared: Prepared, user: User) -> Prepared:
    """The upload as ``user`` may store it: rows of other regions skipped (``out_of_scope``), listed.

    Rows without a region get the user's region when they have exactly one (else they are out of
    scope too). Raises :class:`IngestError` ``upload_not_allowed`` for viewers and
    ``kind_not_allowed`` for surveys/complaints from a region-restricted uploader.
    """
    if not user.can_upload:
        raise IngestError("upload_not_allowed", role=user.role)
    if not user.regions:
        return prepared
    if prepared.inspection.kind not in SCOPED_KINDS:
        raise IngestError("kind_not_allowed")
    frame = prepared.frame
    region = frame["region"] if "region" in frame else pd.Series(pd.NA, index=frame.index, dtype="object")
    if len(user.regions) == 1:
        region = region.fillna(user.regions[0])
    inside = region.isin(user.regions).to_numpy(dtype=bool)
    outside = frame.loc[~inside]
    if outside.empty:
        return replace(prepared, frame=frame.assign(region=region))
    rejected = pd.DataFrame(
        {
            "sheet": "",
            "row": outside["source_row"].to_numpy(),
            "reason": OUT_OF_SCOPE,
            "column": prepared.mapping.get("region", ""),
            "value": region[~inside].astype("object").to_numpy(),
        }
    )
    return replace(
        prepared,
        frame=frame.loc[inside].assign(region=region[inside]).reset_index(drop=True),
        skipped={**prepared.skipped, OUT_OF_SCOPE: len(outside)},
        bad_rows=pd.concat([prepared.bad_rows, rejected], ignore_index=True),
    )
