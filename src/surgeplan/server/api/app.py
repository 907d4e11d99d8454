"""The FastAPI application: routers, error mapping, start-up and shut-down.

Errors are JSON `{"detail": message, "errors": [...]}` with the status the service
chose (an edit that lost a race at commit is a 409, like a stale If-Match).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, JSONResponse

from surgeplan import __version__
from surgeplan.server.api import admin, auth, jobs, plans, proposals, scenarios
from surgeplan.server.dispatcher import Dispatcher
from surgeplan.server.errors import ServiceError
from surgeplan.server.services.scenarios import ensure_builtin
from surgeplan.server.settings import Settings
from surgeplan.server.store import Store
from surgeplan.web import mount

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def create_app(settings: Settings, dispatch: bool = True) -> FastAPI:
    """An application on `settings`' database; `dispatch` runs solve jobs (off in tests
    that only exercise the API)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store.open(settings)
        if settings.load_builtin:
            ensure_builtin(store)
        app.state.store = store
        dispatcher = Dispatcher(store) if dispatch else None
        if dispatcher:
            dispatcher.start()
        app.state.dispatcher = dispatcher
        yield
        if dispatcher:
            dispatcher.stop()
        store.engine.dispose()

    app = FastAPI(
        title="surgeplan",
        version=__version__,
        summary="Plan and track surge deployments: scenarios, solves, plans, audit.",
        docs_url=None,  # served below from the vendored Swagger UI, not FastAPI's CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
        lifespan=lifespan,
    )
    for module in (auth, scenarios, plans, jobs, proposals, admin):
        app.include_router(module.router)

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """Liveness (no sign-in needed; says nothing about the data)."""
        return {"status": "ok", "version": __version__}

    # Like FastAPI's own docs routes: plain routes, outside the schema.
    async def swagger_ui(_: Request) -> HTMLResponse:
        """Swagger UI on the vendored swagger-ui-dist (static/vendor/swagger-ui): no CDN."""
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title=f"{app.title} - Swagger UI",
            swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="data:,",
            oauth2_redirect_url=app.swagger_ui_oauth2_redirect_url,
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters=app.swagger_ui_parameters,
        )

    async def swagger_ui_oauth2_redirect(_: Request) -> HTMLResponse:
        """Swagger UI's OAuth2 redirect helper page."""
        return get_swagger_ui_oauth2_redirect_html()

    app.add_route("/api/docs", swagger_ui, include_in_schema=False)
    app.add_route("/api/docs/oauth2-redirect", swagger_ui_oauth2_redirect, include_in_schema=False)

    @app.exception_handler(ServiceError)
    async def service_error(_: Request, error: ServiceError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return JSONResponse(
            {"detail": error.message, "errors": error.details}, error.status, headers=headers
        )

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if request.url.path.startswith("/api/") and request.url.path != "/api/docs":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    mount(app)
    return app
