"""Who may do what: bearer tokens (stored as SHA-256 hashes), roles and their rights."""

from __future__ import annotations

import hashlib
import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from geo.service.storage import UserRecord

__all__ = [
    "RIGHTS",
    "ROLES",
    "Principal",
    "hash_token",
    "new_token",
    "OptionalUser",
    "optional_user",
    "require",
]

RIGHTS: dict[str, str] = {
    "hotspots:full": "see full hot-spots (members, profiles)",
    "maps:internal": "see internal maps",
    "runs:read": "see runs and their outputs",
    "runs:write": "start runs",
    "reports:read": "read stored reports with their free text",
    "reports:moderate": "set a report's status (approve, reject, duplicate), edit its text, read its history",
    "reports:partner": "submit an organisation's checklist reports (reviewed from the start), see one's own",
    "measures:read": "see the register of measures and its history",
    "measures:write": "create and change measures, accept proposals",
}
"""Every right a role can hold."""

ROLES: dict[str, frozenset[str]] = {
    "partner": frozenset({"reports:partner"}),
    "moderator": frozenset({"reports:read", "reports:moderate"}),
    "staff": frozenset(RIGHTS) - {"reports:partner"},
    "viewer": frozenset({"hotspots:full", "maps:internal", "runs:read", "measures:read"}),
}
"""Role -> rights. ``partner`` (an organisation's designated reporter) submits checklist reports and sees
only its own; ``moderator`` reviews reports; ``viewer`` sees outputs; ``staff`` may do everything but report
as a partner."""


def new_token() -> str:
    """Make a new random bearer token (256 bits)."""
    return "lb_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a token; only this is stored (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Principal:
    """The authenticated caller: a user and the rights of its role."""

    def __init__(self, user: UserRecord) -> None:
        self.user = user
        self.rights = ROLES.get(user.role, frozenset())

    def can(self, right: str) -> bool:
        """Whether the caller holds `right`."""
        return right in self.rights


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(
        status_code=401, detail=message, headers={"WWW-Authenticate": 'Bearer realm="lagesbild"'}
    )


async def optional_user(request: Request) -> Principal | None:
    """Find the caller's user when a bearer token (or Open311 ``api_key``) is given; ``None`` for the public.

    A token that is given but unknown is refused with 401, also on public routes, so a mistyped token never
    silently yields the public view.
    """
    header = request.headers.get("authorization")
    token: str | None = None
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise _unauthorized("Authorization must be 'Bearer <token>' / ange 'Bearer <token>'")
        token = value.strip()
    elif request.url.path.startswith("/open311/") and request.query_params.get("api_key"):
        token = request.query_params["api_key"]
    if token is None:
        return None
    store = request.app.state.lb.store
    user = await run_in_threadpool(store.user_for_token, hash_token(token))
    if user is None:
        raise _unauthorized("unknown or revoked token / okänd eller återkallad token")
    return Principal(user)


OptionalUser = Annotated[Principal | None, Depends(optional_user)]


def require(right: str):  # noqa: ANN201 - returns a FastAPI dependency
    """Make a dependency that lets only callers holding `right` through.

    Callers without a token get 401, callers whose role lacks `right` 403.
    """

    async def dependency(user: OptionalUser) -> Principal:
        if user is None:
            raise _unauthorized("a staff token is needed / inloggning krävs (Authorization: Bearer <token>)")
        if not user.can(right):
            raise HTTPException(
                status_code=403,
                detail=f"role '{user.user.role}' lacks the right '{right}' / rollen saknar behörigheten",
            )
        return user

    return dependency
