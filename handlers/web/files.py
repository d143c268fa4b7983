"""`GET /files/<token>/<name>`: a file handed to a person as a link, for a day."""

from __future__ import annotations

import mimetypes
import re
from urllib.parse import quote

from bot.errors import Unavailable
from bot.services.handed_files import HandedFileService

FILES_PREFIX = "/files/"
FILE_PATH = re.compile(r"^/files/([A-Za-z0-9_-]{32,64})/([^/]{1,200})$")
Answer = tuple[str, list[tuple[str, str]], bytes]


def file_url(public_url: str, token: str, name: str) -> str:
    """Where a handed file is served."""
    return f"{public_url.rstrip('/')}{FILES_PREFIX}{token}/{quote(name)}"


def file_answer(files: HandedFileService, path: str) -> Answer:
    """The file at `path` as a download, or 404 for one that expired or never was."""
    matched = FILE_PATH.match(path)
    # PATH_INFO arrives decoded: the name is as it was handed.
    name = matched.group(2) if matched else ""
    try:
        content = files.take(matched.group(1), name) if matched else None
    except Unavailable:
        return "503 Service Unavailable", [("Retry-After", "5")], b"Try again in a moment\n"
    if content is None:
        return "404 Not Found", [("Content-Type", "text/plain; charset=utf-8")], b"Not found\n"
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = [
        ("Content-Type", kind),
        ("Content-Disposition", f"attachment; filename*=UTF-8''{quote(name)}"),
        ("Cache-Control", "private, no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
    ]
    return "200 OK", headers, content
