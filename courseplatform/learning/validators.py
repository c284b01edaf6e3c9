"""Upload checks for lesson media: size, type (extension and the file's first bytes) and WebVTT syntax.
Each failure is a ``ValidationError`` that says what was wrong, shown beside the field (a 400)."""

import re
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg"}
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf", ".zip": "application/zip", ".txt": "text/plain", ".md": "text/markdown",
    ".csv": "text/csv", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".epub": "application/epub+zip",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
CAPTIONS_TYPE = "text/vtt"
_TIMESTAMP = r"(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}"
CUE_TIMING = re.compile(rf"^({_TIMESTAMP})[ \t]+-->[ \t]+({_TIMESTAMP})(?:[ \t]+.*)?$")


def suffix(name: str) -> str:
    return PurePosixPath(name or "").suffix.lower()


def _check_size(upload, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}, code="too_big")
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")


def _head(upload, n: int = 16) -> bytes:
    upload.seek(0)
    data = upload.read(n)
    upload.seek(0)
    return data


def _video_magic_ok(ext: str, head: bytes) -> bool:
    if ext in (".mp4", ".m4v"):
        return head[4:8] == b"ftyp"
    if ext == ".webm":
        return head.startswith(b"\x1a\x45\xdf\xa3")
    return head.startswith(b"OggS")


def validate_video(upload) -> None:
    ext = suffix(upload.name)
    if ext not in VIDEO_TYPES:
        raise ValidationError(_("Upload an MP4, WebM or Ogg video (this file is “%(name)s”).")
                              % {"name": upload.name}, code="type")
    _check_size(upload, settings.LEARNING_VIDEO_MAX_BYTES)
    if not _video_magic_ok(ext, _head(upload)):
        raise ValidationError(_("This file is not a %(ext)s video.") % {"ext": ext[1:].upper()}, code="type")


def validate_attachment(upload) -> None:
    ext = suffix(upload.name)
    if ext not in ATTACHMENT_TYPES:
        allowed = ", ".join(sorted(e[1:].upper() for e in ATTACHMENT_TYPES))
        raise ValidationError(_("Files of this type cannot be attached. Allowed: %(types)s.") % {"types": allowed},
                              code="type")
    _check_size(upload, settings.LEARNING_ATTACHMENT_MAX_BYTES)


def validate_captions(upload) -> None:
    """WebVTT (W3C): a "WEBVTT" header line, then cues whose timing line is ``start --> end`` with start ≤ end."""
    if suffix(upload.name) != ".vtt":
        raise ValidationError(_("Captions must be a WebVTT file (.vtt)."), code="type")
    _check_size(upload, settings.LEARNING_CAPTIONS_MAX_BYTES)
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Captions must be UTF-8 text."), code="encoding") from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise ValidationError(_("Captions must start with the line “WEBVTT”."), code="header")
    cues = 0
    for number, line in enumerate(lines[1:], start=2):
        if "-->" not in line:
            continue
        match = CUE_TIMING.match(line.strip())
        if not match:
            raise ValidationError(_("Line %(n)d is not a cue timing (00:00:01.000 --> 00:00:04.000).")
                                  % {"n": number}, code="timing")
        start, end = (_seconds(t) for t in match.groups())
        if end < start:
            raise ValidationError(_("Line %(n)d: the cue ends before it starts.") % {"n": number}, code="timing")
        cues += 1
    if not cues:
        raise ValidationError(_("The captions file has no cues."), code="empty")


def _seconds(stamp: str) -> float:
    parts = [float(p) for p in stamp.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0.0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]
