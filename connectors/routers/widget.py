"""The website chat widget: `/widget.js` and `/widget.css` (one script tag embeds it on any page),
the demo host page at `/demo`, and the files of `connectors/static/` under `/static/...`.

The widget's URLs carry no version, so browsers revalidate them after a few minutes (ETag and
Last-Modified come with every file); the demo page is always revalidated.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

__all__ = ["STATIC_DIR", "router"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

# Types set explicitly: the system's mimetypes table differs between machines (text/javascript vs
# application/x-javascript), and the widget test pins application/javascript.
CONTENT_TYPES = {
    ".js": "application/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
}
WIDGET_CACHE = "public, max-age=300"
PAGE_CACHE = "no-cache"

router = APIRouter(tags=["widget"])


def _serve(path: Path, cache: str) -> FileResponse:
    media_type = CONTENT_TYPES.get(path.suffix.lower())
    if media_type is None or not path.is_file():
        raise HTTPException(status_code=404, detail="not found")
    return FileResponse(
        path,
        media_type=media_type,
        headers={"Cache-Control": cache, "X-Content-Type-Options": "nosniff"},
    )


@router.api_route("/widget.js", methods=["GET", "HEAD"], include_in_schema=False)
def widget_js() -> FileResponse:
    return _serve(STATIC_DIR / "widget.js", WIDGET_CACHE)


@router.api_route("/widget.css", methods=["GET", "HEAD"], include_in_schema=False)
def widget_css() -> FileResponse:
    return _serve(STATIC_DIR / "widget.css", WIDGET_CACHE)


@router.api_route("/demo", methods=["GET", "HEAD"], include_in_schema=False)
def demo_page() -> FileResponse:
    return _serve(STATIC_DIR / "demo.html", PAGE_CACHE)


@router.api_route("/static/{name:path}", methods=["GET", "HEAD"], include_in_schema=False)
def static_file(name: str) -> FileResponse:
    path = (STATIC_DIR / name).resolve()
    if not path.is_relative_to(STATIC_DIR) or any(part.startswith(".") for part in Path(name).parts):
        raise HTTPException(status_code=404, detail="not found")
    return _serve(path, PAGE_CACHE if path.suffix == ".html" else WIDGET_CACHE)
