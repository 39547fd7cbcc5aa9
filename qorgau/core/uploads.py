"""Uploaded documents: the allowed types, the size limit and the one check every upload goes through.

Case attachments and plan report documents accept the same files; both call :func:`check_upload`
before anything is stored, so a refused file leaves nothing behind.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext_lazy as _

# Suffix -> (content type served back, the bytes the file must start with; b"" for plain text).
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".png": ("image/png", b"\x89PNG"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ".txt": ("text/plain", b""),
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class UploadRefused(ValueError):
    """The file cannot be stored: wrong type, too large, empty, or its content does not match its type."""


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the check: its bytes and what to record about it."""

    name: str
    data: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def check_upload(upload: IO[bytes], name: str) -> CheckedUpload:
    """Read ``upload`` (at most one byte past the limit) and check its type, size and first bytes."""
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise UploadRefused(
            str(_("Files of this type cannot be attached. Allowed: %(types)s.")) % {"types": ", ".join(ALLOWED_TYPES)}
        )
    data = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise UploadRefused(str(_("The file is larger than %(mb)s MB.")) % {"mb": MAX_ATTACHMENT_BYTES // 2**20})
    if not data:
        raise UploadRefused(str(_("The file is empty.")))
    content_type, magic = ALLOWED_TYPES[suffix]
    if magic and not data.startswith(magic):
        raise UploadRefused(str(_("The file's content does not match its type %(type)s.")) % {"type": suffix})
    return CheckedUpload(Path(name).name[:200], data, content_type, hashlib.sha256(data).hexdigest())
