"""Factories for test data. They build records through the models directly only where a
service would add nothing; tests of rules call the services."""

import datetime as dt
import io
import struct
import zipfile
import zlib
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from civicbridge.core import hans_hant
from civicbridge.directory import search
from civicbridge.directory.models import (
    MAINLAND,
    TAIWAN,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    PlaceKind,
    ensure_sides,
)
from civicbridge.exchanges.models import Activity, ActivityKind, Exchange, Group, Member

SHANGHAI = ZoneInfo("Asia/Shanghai")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class NamedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    name_hans = factory.LazyAttribute(lambda o: hans_hant.convert_name(o.name, hans_hant.HANS))
    name_hant = factory.LazyAttribute(lambda o: hans_hant.convert_name(o.name, hans_hant.HANT))


class PlaceFactory(NamedFactory):
    class Meta:
        model = Place
        skip_postgeneration_save = True

    side_id = MAINLAND
    kind = PlaceKind.COMMUNITY
    name = factory.Sequence(lambda n: f"测试{n}社区")
    parent = None
    code = factory.Sequence(lambda n: f"T{n:08d}")
    path = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        ensure_sides()  # seeded by a migration, but transactional tests flush them
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def _path(obj, create, extracted, **kwargs):
        obj.path = Place.path_below(obj.parent.path if obj.parent else None, obj.pk)
        obj.search_text = hans_hant.search_key(obj.name)
        if create:
            obj.save(update_fields=["path", "search_text"])
            search.index_places([obj.pk])  # what the services do (directory/search.py)


class OrganisationFactory(NamedFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrganisationKind.GOVERNMENT_OFFICE
    place = factory.SubFactory(PlaceFactory, kind=PlaceKind.CITY)


class PersonFactory(NamedFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"张{n}")

    @factory.post_generation
    def _index(obj, create, extracted, **kwargs):
        if create:
            search.index_people([obj.pk])  # what the services do (directory/search.py)


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange

    title = factory.Sequence(lambda n: f"交流 {n}")
    start_date = dt.date(2016, 4, 22)
    end_date = dt.date(2016, 4, 22)
    visiting_place = factory.SubFactory(PlaceFactory, side_id=TAIWAN, kind=PlaceKind.CITY)
    host_place = factory.SubFactory(PlaceFactory, side_id=MAINLAND, kind=PlaceKind.CITY)
    visiting_organisation = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.ASSOCIATION,
        place=factory.SelfAttribute("..visiting_place"),
    )


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    exchange = factory.SubFactory(ExchangeFactory)
    name = factory.Sequence(lambda n: f"第{n}组")
    host_place = factory.SubFactory(PlaceFactory, kind=PlaceKind.DISTRICT)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    exchange = factory.SubFactory(ExchangeFactory)
    person = factory.SubFactory(PersonFactory)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    exchange = factory.SubFactory(ExchangeFactory)
    kind = ActivityKind.SITE_VISIT
    title = factory.Sequence(lambda n: f"参观 {n}")
    starts_at = dt.datetime(2016, 4, 22, 9, 0, tzinfo=SHANGHAI)
    ends_at = dt.datetime(2016, 4, 22, 10, 0, tzinfo=SHANGHAI)


# --- files for the upload tests (issue 9: holes 1, 3, 7, 9) ----------------------------------
# Real images, a GIF/JavaScript polyglot, a PNG declaring a huge canvas, Office packages and
# spreadsheets written by hand into a zip, all made in memory.

JS_PAYLOAD = b"alert(document.domain)"


def png(size=(64, 48), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_metadata(secret: bytes = b"GPS-SECRET-39.9N") -> bytes:
    """A JPEG carrying an EXIF description and a comment that must not survive."""
    from PIL import Image

    image = Image.new("RGB", (80, 60), (10, 120, 200))
    exif = image.getexif()
    exif[0x010E] = secret.decode()  # ImageDescription
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=secret)
    data = out.getvalue()
    assert secret in data
    return data


def gif_js_polyglot() -> bytes:
    """A valid GIF that is also JavaScript: its width bytes open a comment (``GIF89a/*``),
    the data after its trailer closes it and runs code. Served as text/javascript from our
    origin it would run under ``script-src 'self'``."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("P", (0x2A2F, 1), 3).save(out, "GIF", comment=b"c")  # width 0x2A2F is "/*"
    gif = out.getvalue()
    assert gif.startswith(b"GIF89a/*")
    return gif + b"*/=1;" + JS_PAYLOAD + b"//"


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` × ``height`` pixels (a decompression
    bomb: decoding it would need width × height bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


# --- spreadsheets written by hand ------------------------------------------------------------

_WORKBOOK_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _inline(value) -> str:
    if isinstance(value, int):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def xlsx_by_hand(rows, *, dimension: str | None = None, extra_parts=None) -> bytes:
    """An .xlsx whose one sheet holds ``rows`` (lists of text or whole numbers), streamed
    into the zip without openpyxl; ``dimension`` as declared (or none)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _WORKBOOK_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_SHEET_HEAD.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            batch = []
            for row in rows:
                batch.append("<row>" + "".join(_inline(v) for v in row) + "</row>")
                if len(batch) >= 5000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write("".join(batch).encode())
            sheet.write(b"</sheetData></worksheet>")
        for name, (chunk, times) in (extra_parts or {}).items():
            with archive.open(name, "w", force_zip64=True) as part:
                for _ in range(times):
                    part.write(chunk)
    return out.getvalue()


def roster_rows(n: int):
    yield ["姓名", "性别"]
    for i in range(n):
        yield [f"张{i}", "男"]


def numbered_rows(n: int):
    """A header and ``n`` rows of one number each: 31 bytes a row in the sheet's XML, so
    300,000 rows stay under the uncompressed-size limit and reach the row limit."""
    yield ["姓名"]
    for i in range(n):
        yield [i]
