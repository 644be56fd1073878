"""Checking a child's picture by its content, never its name or the type the browser gave:
a PNG, a JPEG or a PDF, no larger than IRO_UPLOAD_MAX_MB. Images are decoded and written
again by Pillow, so whatever else the file carried (EXIF with a location, a camera's serial,
a payload after the image) is left behind; a PDF must start with %PDF-. A request whose
declared length is already too big is refused by the public page before it is read
(views/public.py); this check still counts the bytes of what was read."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

PNG, JPEG, PDF = "image/png", "image/jpeg", "application/pdf"
EXTENSIONS = {PNG: "png", JPEG: "jpg", PDF: "pdf"}
MAX_PIXELS = 40_000_000  # a 40-megapixel image; more is refused rather than decoded
WRONG_TYPE = "The file must be a picture (PNG or JPEG) or a PDF."


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    extension: str


def max_bytes() -> int:
    return settings.IRO_UPLOAD_MAX_MB * 1024 * 1024


def too_large_message() -> str:
    return f"The file must be smaller than {settings.IRO_UPLOAD_MAX_MB}MB."


def _refuse(message: str):
    raise ValidationError({"picture": [message]})


def _reencode(data: bytes) -> CheckedUpload:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                _refuse("The picture is too big. Take a smaller photo and try again.")
            probe.verify()
        # verify() leaves the image unusable: open it again to decode it.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            out = io.BytesIO()
            if kind == "PNG":
                if image.mode not in {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"}:
                    image = image.convert("RGBA")
                # No pnginfo and no exif: text chunks and metadata are not copied.
                image.save(out, format="PNG")
                return CheckedUpload(out.getvalue(), PNG, EXTENSIONS[PNG])
            if kind == "JPEG":
                if image.mode not in {"L", "RGB", "CMYK"}:
                    image = image.convert("RGB")
                image.save(out, format="JPEG", quality=90)
                return CheckedUpload(out.getvalue(), JPEG, EXTENSIONS[JPEG])
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        _refuse("The picture could not be read. Try saving it again, or send a different one.")
    _refuse(WRONG_TYPE)


def read_within_limit(upload, refuse) -> bytes:
    """The upload's bytes, never more than IRO_UPLOAD_MAX_MB of them read: `refuse` (which
    raises) is called with the size message if it is larger, by its stated size or its bytes."""
    if upload.size > max_bytes():
        refuse(too_large_message())
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        refuse(too_large_message())
    return data


def check_upload(upload) -> CheckedUpload:
    """The upload as it will be stored, or a ValidationError on "picture"."""
    data = read_within_limit(upload, _refuse)
    if not data:
        _refuse("The file is empty.")
    if data.startswith(b"%PDF-"):
        return CheckedUpload(data, PDF, EXTENSIONS[PDF])
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        return _reencode(data)
    _refuse(WRONG_TYPE)
