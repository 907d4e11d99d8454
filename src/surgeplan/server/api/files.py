"""Download responses: CSV, XLSX, ZIP with a file name, never cached by proxies."""

from __future__ import annotations

from typing import Literal

from fastapi import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Format = Literal["csv", "xlsx"]


def download(content: str | bytes, filename: str, media_type: str) -> Response:
    """A private attachment."""
    return Response(
        content=content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def csv_download(text: str, filename: str) -> Response:
    """A CSV attachment (UTF-8)."""
    return download(text, filename, "text/csv; charset=utf-8")
