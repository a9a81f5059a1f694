"""The website chat widget: `/widget.js` and `/widget.css` (one script tag embeds it on any page),
the demo host page at `/demo`, and the files of `connectors/static/` under `/static/...`.

The widget's URLs carry no version, so browsers revalidate them after a few minutes (ETag and
Last-Modified come with every file); the demo page is always revalidated.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from shouwen_core.replies import widget_text

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


# Where the script takes its captions (shouwen_core.replies.Widget, the city's facts filled in).
TEXT_SLOT = "/*@TEXT@*/ {}"


@lru_cache(maxsize=4)
def _widget_script(mtime_ns: int, text: str) -> tuple[bytes, str]:
    body = (STATIC_DIR / "widget.js").read_text(encoding="utf-8").replace(TEXT_SLOT, text, 1).encode()
    return body, '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


@router.api_route("/widget.js", methods=["GET", "HEAD"], include_in_schema=False)
def widget_js(request: Request) -> Response:
    """The widget with its captions; revalidated by ETag like the other files."""
    text = json.dumps(widget_text(), ensure_ascii=False)
    body, etag = _widget_script((STATIC_DIR / "widget.js").stat().st_mtime_ns, text)
    headers = {"Cache-Control": WIDGET_CACHE, "X-Content-Type-Options": "nosniff", "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=CONTENT_TYPES[".js"], headers=headers)


@router.api_route("/widget.css", methods=["GET", "HEAD"], include_in_schema=False)
def widget_css() -> FileResponse:
    return _serve(STATIC_DIR / "widget.css", WIDGET_CACHE)


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
def home() -> RedirectResponse:
    """The address `make run` prints leads somewhere: the demo page with the chat widget."""
    return RedirectResponse("/demo", status_code=303)


@router.api_route("/demo", methods=["GET", "HEAD"], include_in_schema=False)
def demo_page() -> FileResponse:
    return _serve(STATIC_DIR / "demo.html", PAGE_CACHE)


@router.api_route("/static/{name:path}", methods=["GET", "HEAD"], include_in_schema=False)
def static_file(name: str) -> FileResponse:
    path = (STATIC_DIR / name).resolve()
    if not path.is_relative_to(STATIC_DIR) or any(part.startswith(".") for part in Path(name).parts):
        raise HTTPException(status_code=404, detail="not found")
    return _serve(path, PAGE_CACHE if path.suffix == ".html" else WIDGET_CACHE)
