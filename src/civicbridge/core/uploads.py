"""Uploaded files: what we accept, how we store it, and how we send it back.

One home for every file a user uploads (exchange photos, channel attachments):

- The type is *detected* from the content, never taken from the client's file name or
  its declared type; anything outside the allow-list below is refused.
- Images are decoded with Pillow (formats JPEG, PNG, WebP, GIF only; at most
  ``max_image_pixels()`` pixels, so a decompression bomb is refused before it is decoded)
  and re-encoded from their pixels alone: no metadata, no trailing bytes, nothing of the
  uploaded file survives but the picture. GIF becomes PNG.
- Files are stored under a generated name (``<dir>/<uuid>.<extension of the detected
  type>``); the client's name is kept separately for display and as the download name.
- Files are sent only by ``file_response`` from views that check the permission of the
  record: ``Content-Type`` from our record, ``nosniff``, a sandboxing CSP, and
  ``Content-Disposition: attachment`` for everything but an image we encoded.
  Nothing under MEDIA_ROOT is reachable by its path.
"""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

# Images we produce: Pillow format → (content type, extension).
IMAGE_OUTPUT = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
# Images we read, and the format each is re-encoded to.
IMAGE_INPUT = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
IMAGE_SIGNATURES = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
)

OOXML = "application/vnd.openxmlformats-officedocument."
# Documents we accept as they are (never shown inline): content type → extension.
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    OOXML + "wordprocessingml.document": "docx",
    OOXML + "spreadsheetml.sheet": "xlsx",
    OOXML + "presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/plain": "txt",
    "text/csv": "csv",
}
# The member that tells an Office Open XML package's kind.
OOXML_MAIN_PART = {
    "word/document.xml": OOXML + "wordprocessingml.document",
    "xl/workbook.xml": OOXML + "spreadsheetml.sheet",
    "ppt/presentation.xml": OOXML + "presentationml.presentation",
}
# The content types of the images we encode: the only ones sent inline.
INLINE_TYPES = frozenset(ct for ct, _ext in IMAGE_OUTPUT.values())
# A file kept from before these checks that is none of the above (never accepted anew).
UNKNOWN_TYPE = "application/octet-stream"
EXTENSIONS = {
    **dict(IMAGE_OUTPUT.values()),
    **DOCUMENT_TYPES,
    UNKNOWN_TYPE: "bin",
}
# Other spellings of an extension that a client's name may carry for the same type.
_SAME_EXTENSION = {"jpeg": "jpg", "jpe": "jpg"}
_STORED_EXTENSIONS = "|".join(sorted(set(EXTENSIONS.values())))
GENERATED_NAME = re.compile(rf"^[0-9a-f]{{32}}\.(?:{_STORED_EXTENSIONS})$")
MAX_ZIP_MEMBERS = 10_000
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: 7,750 × 5,160, beyond any phone


def max_image_pixels() -> int:
    return int(getattr(settings, "CIVICBRIDGE_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


def human_bytes(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{round(n / 1024 / 1024, 1):g} MB"
    return f"{max(1, round(n / 1024))} KB"


# --- names --------------------------------------------------------------------------------


def client_name(upload, *, default: str = "file") -> str:
    """The client's file name, for display and download only: its last path segment,
    without control, format (bidi overrides, zero-width) or unassigned characters,
    at most 200 characters."""
    raw = str(getattr(upload, "name", "") or "")
    raw = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in raw if unicodedata.category(ch) not in {"Cc", "Cf", "Cn", "Cs"})
    name = name.strip().strip(".").strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 199 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else name[:200]
    return name or default


def download_name(original_name: str, content_type: str) -> str:
    """The name a file is downloaded under: the client's name, with the extension of the
    type we detected (``x.html`` holding a PNG downloads as ``x.png``)."""
    extension = EXTENSIONS.get(content_type.split(";")[0].strip(), "")
    name = original_name or "file"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem = name
    if extension and _SAME_EXTENSION.get(ext.lower(), ext.lower()) == extension:
        return name
    return f"{stem or 'file'}.{extension}" if extension else stem or "file"


def generated_name(directory: str, extension: str) -> str:
    """Where a new upload is stored: a random name with our extension."""
    if extension not in set(EXTENSIONS.values()):
        raise ValueError(f"Not an extension we store: {extension!r}")
    return f"{directory}/{uuid.uuid4().hex}.{extension}"


def is_generated_name(name: str) -> bool:
    """Whether ``name`` (without directory) is one ``generated_name`` makes."""
    return bool(GENERATED_NAME.match(name or ""))


# --- images -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Encoded:
    """A file we produced: its bytes, content type and extension."""

    content: bytes
    content_type: str
    extension: str
    width: int = 0
    height: int = 0


def looks_like_image(head: bytes) -> bool:
    return head.startswith(IMAGE_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def reencode_image(
    upload, *, field: str, thumbnail_size: tuple[int, int] | None = None
) -> tuple[Encoded, Encoded | None]:
    """Decode an uploaded image and encode it afresh from its pixels (and, when asked, a
    JPEG thumbnail). Raises ValidationError on ``field`` for anything that is not a JPEG,
    PNG, WebP or GIF image within the pixel limit."""
    from PIL import Image, ImageFile, ImageOps  # noqa: PLC0415 (heavy)

    limit = max_image_pixels()
    unreadable = ValidationError({field: _("This file is not an image we can read.")})
    upload.seek(0)
    # WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process when it is
    # imported (a PDF was rendered): a truncated upload must still be refused here.
    truncated_allowed = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb guard (a warning, an error beyond twice its limit) is kept
            # as a refusal; ours below is stricter and comes first for most files.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=tuple(IMAGE_INPUT)) as img:
                width, height = img.size
                if width < 1 or height < 1 or width * height > limit:
                    raise _too_many_pixels(field, width, height, limit)
                output_format = IMAGE_INPUT[img.format]
                img.seek(0)  # the first frame of an animation
                img.load()
                picture = ImageOps.exif_transpose(img)
                picture = _plain_pixels(picture)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ValidationError(
            {
                field: _("The image has too many pixels (at most %(mp)s megapixels).")
                % {"mp": f"{limit / 1_000_000:g}"}
            }
        ) from exc
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many kinds for a damaged or hostile file
        raise unreadable from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_allowed
        upload.seek(0)
    if output_format == "JPEG" and picture.mode != "RGB":
        picture = picture.convert("RGB")
    image = _encode(picture, output_format)
    thumbnail = None
    if thumbnail_size is not None:
        small = picture.copy()
        small.thumbnail(thumbnail_size)
        if small.mode != "RGB":
            background = Image.new("RGB", small.size, (255, 255, 255))
            background.paste(small, mask=small.getchannel("A") if "A" in small.mode else None)
            small = background
        thumbnail = _encode(small, "JPEG")
    return image, thumbnail


def _too_many_pixels(field, width, height, limit) -> ValidationError:
    return ValidationError(
        {
            field: _(
                "The image has too many pixels (%(width)s × %(height)s; at most %(mp)s megapixels)."
            )
            % {"width": width, "height": height, "mp": f"{limit / 1_000_000:g}"}
        }
    )


def _plain_pixels(img):
    """A new image made of ``img``'s pixels only (RGB, or RGBA when it has transparency):
    no EXIF, ICC, XMP, comments or text chunks can ride along."""
    from PIL import Image  # noqa: PLC0415 (heavy)

    has_alpha = img.mode in {"RGBA", "LA", "PA"} or (img.mode == "P" and "transparency" in img.info)
    mode = "RGBA" if has_alpha else "RGB"
    converted = img.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _encode(picture, output_format: str) -> Encoded:
    content_type, extension = IMAGE_OUTPUT[output_format]
    out = io.BytesIO()
    options = {"JPEG": {"quality": 88, "optimize": True}, "WEBP": {"quality": 88}}
    picture.save(out, output_format, **options.get(output_format, {}))
    return Encoded(out.getvalue(), content_type, extension, *picture.size)


# --- documents ----------------------------------------------------------------------------


def zip_members(fileobj, *, max_members: int = MAX_ZIP_MEMBERS):
    """The members of a zip archive (read from its directory, nothing decompressed);
    ValueError for a file that is not a zip or has too many members."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise ValueError("not a zip archive") from exc
    finally:
        fileobj.seek(0)
    if len(members) > max_members:
        raise ValueError("too many members")
    return members


def _zip_document_type(upload) -> str | None:
    try:
        names = {m.filename for m in zip_members(upload)}
    except ValueError:
        return None
    for part, content_type in OOXML_MAIN_PART.items():
        if part in names and "[Content_Types].xml" in names:
            return content_type
    if "mimetype" in names:
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    declared = archive.read(info).strip()
                    if declared == b"application/vnd.oasis.opendocument.text":
                        return declared.decode()
        except Exception:  # a damaged archive is simply not an OpenDocument text
            return None
        finally:
            upload.seek(0)
    return None


def _text_type(upload, name: str) -> str | None:
    """text/plain or text/csv for a UTF-8 (or GB 18030) text without control characters
    that is not markup a browser would take for a page; None otherwise."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text):
        return None
    if text.lstrip().startswith("<"):
        return None
    return "text/csv" if name.lower().endswith(".csv") else "text/plain"


@dataclass(frozen=True)
class Detected:
    """An accepted upload: its content type and our extension, and, for an image, the
    bytes we encoded (stored instead of the upload)."""

    content_type: str
    extension: str
    encoded: Encoded | None = None

    @property
    def inline(self) -> bool:
        return self.encoded is not None


def detect_upload(upload, *, field: str) -> Detected:
    """Accept an upload of one of the allowed types, judged by its content: images
    (re-encoded), PDF, Word/Excel/PowerPoint (.docx/.xlsx/.pptx), OpenDocument text, plain
    text and CSV. Raises ValidationError on ``field`` naming the file otherwise."""
    name = client_name(upload)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if looks_like_image(head):
        encoded, _thumb = reencode_image(upload, field=field)
        return Detected(encoded.content_type, encoded.extension, encoded)
    content_type = None
    if head.startswith(b"%PDF-"):
        content_type = "application/pdf"
    elif head.startswith(b"PK\x03\x04"):
        content_type = _zip_document_type(upload)
    elif b"\x00" not in head:
        content_type = _text_type(upload, name)
    if content_type is None:
        raise ValidationError(
            {
                field: _("%(name)s: files of this type are not accepted (%(allowed)s).")
                % {"name": name, "allowed": allowed_description()}
            }
        )
    return Detected(content_type, DOCUMENT_TYPES[content_type])


def allowed_description() -> str:
    return "JPEG, PNG, WebP, GIF, PDF, docx, xlsx, pptx, odt, txt, csv"


# --- sending ------------------------------------------------------------------------------

FILE_CSP = "default-src 'none'; sandbox"


def content_disposition(filename: str, *, inline: bool) -> str:
    """``inline`` or ``attachment`` with an ASCII fallback name and the RFC 5987 UTF-8
    name; no quotes, backslashes, separators or control characters get through."""
    name = "".join(
        ch for ch in filename if unicodedata.category(ch) not in {"Cc", "Cf", "Cn", "Cs", "Zl"}
    )
    name = name.replace("/", "_").replace("\\", "_").strip() or "file"
    # The fallback for old clients: the name itself when it is ASCII, else "file.<ext>".
    _stem, dot, ext = name.rpartition(".")
    fallback = f"file.{ext}" if dot and ext.isascii() else "file"
    ascii_name = name if name.isascii() else fallback
    ascii_name = re.sub(r"[^A-Za-z0-9._ ()-]", "_", ascii_name).strip(" .") or "file"
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(fieldfile, *, content_type: str, filename: str, inline: bool):
    """Send a stored file: the caller has checked the permission of its record.
    ``inline`` is honoured only for the image types we encode ourselves."""
    if not fieldfile:
        raise Http404(_("The file is missing."))
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, IsADirectoryError, ValueError) as exc:
        raise Http404(_("The file is missing.")) from exc
    inline = inline and content_type in INLINE_TYPES
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response
