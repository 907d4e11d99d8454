"""The API docs page (/api/docs) works offline: Swagger UI comes from the vendored
swagger-ui-dist under static/vendor/swagger-ui, not from a CDN.

The `page` fixture already fails on any request to another host and on console errors;
this test also checks that the vendored files, not some other copy, were what rendered."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, Request, expect

VENDORED = ("/vendor/swagger-ui/swagger-ui-bundle.js", "/vendor/swagger-ui/swagger-ui.css")


def test_swagger_ui_renders_the_operations_from_vendored_files(page: Page) -> None:
    html = page.request.get("/api/docs")
    assert html.ok, html.status
    assert "http://" not in html.text() and "https://" not in html.text(), html.text()

    requests: list[Request] = []

    def record(request: Request) -> None:  # Playwright needs a Python function here
        requests.append(request)

    page.on("request", record)
    page.goto("/api/docs")

    token = page.locator(".opblock.opblock-post").filter(
        has=page.locator('.opblock-summary-path[data-path="/api/auth/token"]')
    )
    expect(token).to_be_visible()
    expect(token.locator(".opblock-summary-method")).to_have_text("POST")
    # every documented operation has its block (the UI read the whole schema)
    schema = page.request.get("/api/openapi.json").json()
    operations = sum(len(methods) for methods in schema["paths"].values())
    expect(page.locator(".opblock")).to_have_count(operations)
    expect(page.locator(".info .title")).to_contain_text("surgeplan")

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    elsewhere = [r.url for r in requests if not r.url.startswith((origin + "/", "data:"))]
    assert elsewhere == [], f"the docs page must work offline; it asked for {elsewhere}"
    fetched = {urlsplit(r.url).path: r for r in requests}
    for path in (*VENDORED, "/api/openapi.json"):
        assert path in fetched, f"{path} was not loaded; loaded {sorted(fetched)}"
        response = fetched[path].response()
        assert response is not None and response.status == 200, (path, response)
