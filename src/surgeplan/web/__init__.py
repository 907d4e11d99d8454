"""The planner's web workspace: static ES modules over the REST API, no build step.

Everything the browser loads comes from `static/` (vendored assets included), under a
strict Content-Security-Policy: the workspace works offline and runs no inline script.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def mount(app: FastAPI) -> None:
    """Serve the workspace at `/` (after the API routes, which take precedence)."""

    @app.middleware("http")
    async def content_security_policy(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        if not request.url.path.startswith("/api/"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response

    app.mount("/", StaticFiles(directory=STATIC, html=True), name="web")
