"""The request guard in front of every route: framing, body size, JSON depth and security headers.

A plain ASGI wrapper (Starlette's ``BaseHTTPMiddleware`` costs a task group per request). For every request
with a body it

- refuses ambiguous framing with 400: ``Transfer-Encoding`` together with ``Content-Length`` (the HTTP parser
  frames such a body as chunked, so a length check alone would trust the wrong number), a ``Content-Length``
  that is not one decimal number, or several ``Content-Length`` headers;
- counts the bytes actually read, chunked or not, and answers 413 as soon as they pass the limit (the body is
  then never handed to the route);
- refuses JSON nested deeper than :data:`MAX_JSON_DEPTH` with 400 (Python's parser would recurse until
  ``RecursionError``) and a body that is not UTF-8 with 400.

Every answer gets ``X-Content-Type-Options: nosniff`` and ``X-Frame-Options: DENY``.
"""

from __future__ import annotations

import json
import logging
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MAX_JSON_DEPTH", "RequestGuard", "json_depth", "redact_tokens"]

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects accepted in a JSON body."""

_SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY")]


def json_depth(body: bytes, *, stop_at: int = MAX_JSON_DEPTH) -> int:
    """Nesting depth of the arrays and objects in a JSON text (strings are skipped), in one linear pass.

    Counting stops once `stop_at` is passed, so the answer is at most ``stop_at + 1``.
    """
    depth = deepest = 0
    in_string = escaped = False
    for ch in body.decode("utf-8", errors="replace"):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_at:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _framing_problem(raw_headers: list[tuple[bytes, bytes]]) -> str | None:
    """Why the request's framing is ambiguous, or ``None``."""
    lengths = [v for k, v in raw_headers if k.lower() == b"content-length"]
    chunked = any(k.lower() == b"transfer-encoding" for k, _ in raw_headers)
    if chunked and lengths:
        return "Transfer-Encoding and Content-Length together / tvetydig längd"
    if len(lengths) > 1:
        return "several Content-Length headers / flera Content-Length"
    if lengths and not lengths[0].strip().isdigit():
        return "Content-Length must be a number / Content-Length måste vara ett tal"
    return None


class RequestGuard:
    """Refuse ambiguous framing, bodies over `max_bytes` (counted as read) and too deeply nested JSON.

    Parameters
    ----------
    app
        The wrapped ASGI app.
    max_bytes
        Largest body accepted (413 beyond).
    max_json_depth
        Deepest JSON nesting accepted in a body whose content type is JSON (400 beyond).
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int, max_json_depth: int = MAX_JSON_DEPTH) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_json_depth = max_json_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check one request, then pass it (with its body replayed) to the app."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_security_headers(send)
        raw_headers = list(scope.get("headers") or [])
        problem = _framing_problem(raw_headers)
        if problem is not None:
            await _answer(send, 400, problem)
            return
        headers = dict(raw_headers)
        length = headers.get(b"content-length")
        if length is not None and int(length) > self.max_bytes:
            await self._too_large(send)
            return
        if length is None and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body at all
            return
        body = await self._read(receive)
        if body is None:
            await self._too_large(send)
            return
        if isinstance(body, str):
            return  # the client went away
        ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if ctype == b"application/json" or ctype.endswith(b"+json"):
            try:
                body.decode("utf-8")
            except UnicodeDecodeError:
                await _answer(send, 400, "body is not UTF-8 / texten är inte UTF-8")
                return
            if json_depth(body, stop_at=self.max_json_depth) > self.max_json_depth:
                await _answer(
                    send, 400, f"JSON nested deeper than {self.max_json_depth} / för djupt nästlad JSON"
                )
                return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | str | None:
        """Read the whole body: ``None`` once more than `max_bytes` were read, ``"gone"`` on disconnect."""
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return "gone"
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def _too_large(self, send: Send) -> None:
        await _answer(send, 413, f"request body too large / för stor förfrågan (max {self.max_bytes} bytes)")


def _replay(body: bytes, receive: Receive) -> Receive:
    """Make a `receive` that hands the already read body to the app once, then waits for the disconnect."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _with_security_headers(send: Send) -> Send:
    """Wrap the server's `send` so every answer carries the security headers it does not set itself."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            names = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in _SECURITY_HEADERS if k not in names]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return send_with_headers


_TOKEN_IN_QUERY = re.compile(r"((?:api_key|token|access_token)=)[^&\s\"]*", re.IGNORECASE)
_BEARER = re.compile(r"lb_[A-Za-z0-9_-]{16,}")


def redact_tokens(text: str) -> str:
    """Replace ``api_key=…`` (and ``token=…``) values and anything shaped like a token by ``***``."""
    return _BEARER.sub("***", _TOKEN_IN_QUERY.sub(r"\1***", text))


class RedactTokens(logging.Filter):
    """A logging filter that removes tokens from a record's arguments (the access log's request line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_tokens(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact_tokens(record.msg)
        return True


def install_log_redaction() -> None:
    """Add :class:`RedactTokens` to uvicorn's access and error loggers (once)."""
    for name in ("uvicorn.access", "uvicorn.error", "uvicorn"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
