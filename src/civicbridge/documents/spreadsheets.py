"""Excel in and out: the delegation roster import (previewed by ``plan_roster``, applied by
``import_roster``: all rows or none; a re-imported roster updates its members in place), its
template, and exports of roster, itinerary, appointments and gifts as .xlsx (title row, 序号,
widths, frozen header, A4 landscape print setup) and .csv (UTF-8 with BOM). The template and
the roster export share their columns, so export → edit → import is a loop."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civicbridge.core import hans_hant, uploads
from civicbridge.directory import services as directory_services
from civicbridge.directory.models import TAIWAN, Gender, Person, Place, PlaceKind
from civicbridge.directory.resolution import resolve_place
from civicbridge.documents import places, roster_logistics, selectors
from civicbridge.documents.text import conv, local, normalise_script
from civicbridge.exchanges import services as exchange_services
from civicbridge.exchanges.dates import dates_chinese
from civicbridge.exchanges.models import Exchange, Gift, Member, MemberRole
from civicbridge.exchanges.personal_data import ROSTER, PersonalView, personal_field_visible
from civicbridge.pairings.models import Appointment

# --- the roster's columns ----------------------------------------------------------------

# Canonical headers (Simplified) and the other spellings accepted for each, in the order
# the template and the roster export write them (export → edit → import is a loop; the
# export's 序号 column and title row are skipped on the way back).
ROSTER_COLUMNS = [
    ("name", "姓名", ("名字",)),
    ("gender", "性别", ()),
    ("district", "所属区", ("区", "行政区", "所属行政区")),
    ("li", "里", ("所属里", "里别")),
    ("title", "职务", ("职称", "头衔")),
    ("group", "分组", ("组别", "组")),
    ("role", "角色", ("身份",)),
    ("phone", "电话", ("手机", "联系电话", "电话号码")),
    ("email", "电子邮件", ("邮箱", "电邮", "email", "e-mail")),
    (
        "permit_number",
        "证件号码",
        ("台胞证号码", "台胞证号", "台胞证", "入台证号码", "入台证号", "入台证", "通行证号码"),
    ),
    (
        "permit_expires_on",
        "证件有效期",
        ("有效期", "有效期至", "证件有效期至", "台胞证有效期", "入台证有效期"),
    ),
    ("date_of_birth", "出生日期", ("生日", "出生年月日", "出生年月", "出生")),
]
# Then the logistics columns (到达航班/车次 … 饮食: documents/roster_logistics.py).
ROSTER_COLUMNS += roster_logistics.COLUMNS
# Written by the export, skipped by the import.
NUMBER_HEADER = "序号"
REQUIRED = {"name"}
HEADER_OF = {key: header for key, header, _aliases in ROSTER_COLUMNS}

GENDERS = {
    "男": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "女": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}
ROLES = {
    "团长": MemberRole.LEADER,
    "副团长": MemberRole.DEPUTY_LEADER,
    "团员": MemberRole.MEMBER,
    "成员": MemberRole.MEMBER,
    "工作人员": MemberRole.STAFF,
    "陪同": MemberRole.STAFF,
}


def _key(text) -> str:
    return hans_hant.search_key(str(text or "")).replace(" ", "")


def _header_map(row) -> tuple[dict[str, int], list[str]]:
    """Column index of each known field, and the unknown headers."""
    lookup = {}
    for key, header, aliases in ROSTER_COLUMNS:
        for spelling in (header, *aliases):
            lookup[_key(spelling)] = key
    found: dict[str, int] = {}
    unknown = []
    for index, cell in enumerate(row):
        if cell is None or str(cell).strip() == "":
            continue
        key = lookup.get(_key(cell))
        if key is None:
            unknown.append(str(cell))
        elif key not in found:
            found[key] = index
    return found, unknown


@dataclass
class RowError:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str  # the header as written in the file, or "" for the whole row
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class RosterImportError(Exception):
    """The file was refused; nothing was imported. ``errors`` names each row and column."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class RosterRow:
    row: int
    name: str
    gender: str = ""
    li: Place | None = None
    title: str = ""
    phone: str = ""
    email: str = ""
    permit_number: str = ""
    permit_expires_on: dt.date | None = None
    group: object | None = None
    role: str = MemberRole.MEMBER
    date_of_birth: dt.date | None = None
    person: Person | None = None
    # The existing member of this exchange the row is (re-importing an updated roster).
    member: Member | None = None
    # The fields the sheet gives a value for (an empty cell changes nothing).
    given: set[str] = field(default_factory=set)
    # The logistics columns' values (documents/roster_logistics.py).
    logistics: dict = field(default_factory=dict)


@dataclass
class Change:
    """One field a row changes: the column as written in the file, before and after."""

    column: str
    old: str
    new: str


@dataclass
class PlannedRow:
    item: RosterRow
    changes: list[Change] = field(default_factory=list)
    # Person fields to write (directory) and member fields to write (exchange).
    person_fields: dict = field(default_factory=dict)
    member_fields: dict = field(default_factory=dict)
    logistics_fields: dict = field(default_factory=dict)

    @property
    def row(self) -> int:
        return self.item.row


@dataclass
class RosterPlan:
    """What importing a roster would do, shown before anything is written: rows that add
    a member, rows that change an existing member (which fields), rows unchanged, rows
    refused (row and column), and values that will not be written (with the reason)."""

    adds: list[PlannedRow] = field(default_factory=list)
    updates: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    refused: list[RowError] = field(default_factory=list)
    not_written: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused

    @property
    def changes_anything(self) -> bool:
        return bool(self.adds or self.updates)


@dataclass
class ImportResult:
    members: list[Member] = field(default_factory=list)
    created_people: int = 0
    matched_people: int = 0
    updated_members: int = 0
    unchanged_members: int = 0
    not_written: list[RowError] = field(default_factory=list)


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(value) -> dt.date:
    """A date from a cell: an Excel date, 1960-03-05, 1960/3/5, 1960年3月5日, 19600305."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    text = re.sub(r"\s+00:00(:00)?$", "", text)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            year, month, day = (int(x) for x in m.groups())
            try:
                return dt.date(year, month, day)
            except ValueError as exc:
                raise ValueError(
                    _("%(value)s is not a date that exists.") % {"value": text}
                ) from exc
    raise ValueError(_("%(value)s is not a date (write it as 1960-03-05).") % {"value": text})


class LiIndex:
    """The li (and Taiwan villages) a roster names, found by the directory's resolver in
    either script, with its spelling conventions (裡/里, variants, aliases): within the
    delegation's own city or county when the exchange names one (else anywhere in Taiwan),
    the district column read as context (三民区 + 鼎金里). Ambiguity is never guessed: the
    candidates that tie come back together."""

    def __init__(self, within: Place | None = None):
        self.within = within if within is not None and within.side_id == TAIWAN else None

    def find(self, district: str, li: str) -> list[Place]:
        li = str(li).strip()
        if not _key(li).endswith(("里", "村")):
            li += "里"
        text = f"{district} {li}" if district else li
        kinds = (PlaceKind.LI, PlaceKind.VILLAGE)
        found = resolve_place(text, within=self.within, side=TAIWAN, kinds=kinds)
        if not found and self.within is not None:
            found = resolve_place(text, side=TAIWAN, kinds=kinds)
        if not found:
            return []
        return [c.place for c in found.tied] if found.ambiguous else [found[0].place]


def _cell(row, index):
    if index is None or index >= len(row):
        return None
    value = row[index]
    if isinstance(value, str):
        value = value.strip()
        # Our own escape undone ("'+886…" was written for "+886…": see cell_value).
        if value[:1] == "'" and value[1:2] and value[1:].startswith(FORMULA_STARTS):
            value = value[1:]
    return value if value not in ("", None) else None


def _match_person(name: str, li: Place | None) -> Person | None:
    """Same name (in either script) and same li → the directory's person."""
    if li is None:
        return None
    key = _key(name)
    for person in Person.objects.alive().filter(home_place=li):
        if key in {_key(person.name), _key(person.name_hans), _key(person.name_hant)}:
            return person
    return None


@dataclass(frozen=True)
class SheetLimits:
    """How much of a spreadsheet we read: the file, its rows (below the header), columns,
    non-empty cells and the uncompressed size of the .xlsx archive (settings
    CIVICBRIDGE_SPREADSHEET_MAX_*). Beyond them the file is refused before it is read."""

    max_bytes: int
    max_rows: int
    max_columns: int
    max_cells: int
    max_uncompressed: int
    max_members: int = 1000
    # Empty (e.g. only formatted) rows tolerated after the last allowed row.
    empty_tail: int = 1000

    @classmethod
    def from_settings(cls) -> SheetLimits:
        return cls(
            max_bytes=settings.CIVICBRIDGE_SPREADSHEET_MAX_BYTES,
            max_rows=settings.CIVICBRIDGE_SPREADSHEET_MAX_ROWS,
            max_columns=settings.CIVICBRIDGE_SPREADSHEET_MAX_COLUMNS,
            max_cells=settings.CIVICBRIDGE_SPREADSHEET_MAX_CELLS,
            max_uncompressed=settings.CIVICBRIDGE_SPREADSHEET_MAX_UNCOMPRESSED,
        )


def _refused(message: str) -> RosterImportError:
    return RosterImportError([RowError(0, "", message)])


def _check_archive(data: bytes, limits: SheetLimits) -> None:
    """Refuse, from the zip directory alone (nothing decompressed), a file that is too
    large, not a zip, has too many members or expands beyond the limit (a zip bomb).
    Python's zipfile never inflates a member beyond the size its directory declares."""
    if len(data) > limits.max_bytes:
        raise _refused(
            _("The file is larger than %(size)s.") % {"size": uploads.human_bytes(limits.max_bytes)}
        )
    try:
        members = uploads.zip_members(io.BytesIO(data), max_members=limits.max_members)
    except ValueError as exc:
        raise _refused(_("The file is not an Excel workbook (.xlsx).")) from exc
    expanded = sum(m.file_size for m in members)
    if expanded > limits.max_uncompressed:
        raise _refused(
            _(
                "The workbook expands to more than %(size)s when opened; a roster is far "
                "smaller. Save only the roster sheet and upload it again."
            )
            % {"size": uploads.human_bytes(limits.max_uncompressed)}
        )
    _check_markup(data, members, limits)


# The parts openpyxl parses element by element (the sheets even twice in streaming mode:
# once looking for a declared size that may not be there).
_PARSED_PARTS = re.compile(r"^xl/(worksheets/[^/]+|sharedStrings)\.xml$")


def _check_markup(data: bytes, members, limits: SheetLimits) -> None:
    """Count the rows and XML tags of the parts openpyxl would parse, at the speed of a
    byte count, so that the Python-level parse that follows is bounded: at most the rows
    allowed (plus the empty tail) and a few tags per allowed cell."""
    max_tags = limits.max_cells * 6 + (limits.max_rows + 1 + limits.empty_tail) * 2
    max_rows = limits.max_rows + 1 + limits.empty_tail
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in members:
            if not _PARSED_PARTS.match(member.filename):
                continue
            tags = rows = 0
            carry = b""
            try:
                with archive.open(member) as part:
                    while chunk := part.read(1 << 20):
                        tags += chunk.count(b"<")
                        window = carry + chunk
                        rows += window.count(b"<row")
                        carry = window[-3:]
                        if rows > max_rows and member.filename.startswith("xl/worksheets/"):
                            raise _too_many_rows(limits)
                        if tags > max_tags:
                            raise _refused(
                                _(
                                    "The workbook holds far more than a roster; save only the "
                                    "roster's rows and columns and upload it again."
                                )
                            )
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                raise _refused(_("The file is not an Excel workbook (.xlsx).")) from exc


def _too_many_rows(limits: SheetLimits) -> RosterImportError:
    return _refused(
        _(
            "The sheet has more than %(n)s rows below its header; import at most %(n)s "
            "people at a time."
        )
        % {"n": limits.max_rows}
    )


def read_sheet(data: bytes, limits: SheetLimits | None = None) -> list[tuple]:
    """The first sheet's rows (values), read in openpyxl's streaming mode within
    ``limits``; trailing empty rows left out. Raises RosterImportError (row 0: the file)."""
    from openpyxl import load_workbook  # noqa: PLC0415 (heavy)

    limits = limits or SheetLimits.from_settings()
    _check_archive(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise _refused(_("The file is not an Excel workbook (.xlsx).")) from exc
    try:
        if not workbook.worksheets:
            raise _refused(_("The file is not an Excel workbook (.xlsx)."))
        sheet = workbook.worksheets[0]
        # The declared size refuses an honest large sheet at once; it is not trusted
        # further (it may be missing or wrong): rows and columns are counted as read.
        last_row = limits.max_rows + 1  # the header, then max_rows rows
        if (sheet.max_row or 0) > last_row + limits.empty_tail:
            raise _too_many_rows(limits)
        if (sheet.max_column or 0) > limits.max_columns:
            raise _refused(_("The sheet has more than %(n)s columns.") % {"n": limits.max_columns})
        sheet.reset_dimensions()
        rows: list[tuple] = []
        cells = 0
        last_filled = 0
        try:
            for index, row in enumerate(
                sheet.iter_rows(max_col=limits.max_columns + 1, values_only=True), start=1
            ):
                filled = sum(1 for v in row if v is not None and str(v).strip() != "")
                if filled:
                    if row[limits.max_columns] is not None:
                        raise _refused(
                            _("Row %(row)s has more than %(n)s columns.")
                            % {"row": index, "n": limits.max_columns}
                        )
                    if index > last_row:
                        raise _too_many_rows(limits)
                    cells += filled
                    if cells > limits.max_cells:
                        raise _refused(
                            _("The sheet has more than %(n)s filled cells.")
                            % {"n": limits.max_cells}
                        )
                    last_filled = index
                elif index > last_row + limits.empty_tail:
                    raise _too_many_rows(limits)
                if index <= last_row:
                    rows.append(row[: limits.max_columns])
        except RosterImportError:
            raise
        except Exception as exc:  # a damaged sheet inside a well-formed archive
            raise _refused(_("The file is not an Excel workbook (.xlsx).")) from exc
    finally:
        workbook.close()
    return rows[:last_filled]


# The export writes a title row above the header; the header is looked for in the first rows.
HEADER_SEARCH_ROWS = 5


def _find_header(rows) -> tuple[int, dict[str, int], list[str]]:
    """The header row's index (the first of the top rows naming the 姓名 column), its
    columns and its unknown headers."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns, unknown = _header_map(row)
        if "name" in columns:
            return index, columns, unknown
    columns, unknown = _header_map(rows[0])
    return 0, columns, unknown


def _text(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _member_index(exchange: Exchange) -> dict[tuple[str, int | None], list[Member]]:
    """The exchange's members by (name in either script, li): the member's li on the
    roster and the person's own, so that an exported row finds its member again."""
    index: dict[tuple[str, int | None], list[Member]] = {}
    for m in exchange.members.select_related("person", "home_place", "group"):
        names = {_key(m.person.name), _key(m.person.name_hans), _key(m.person.name_hant)}
        for name in names - {""}:
            for place_id in {m.home_place_id, m.person.home_place_id}:
                bucket = index.setdefault((name, place_id), [])
                if m not in bucket:
                    bucket.append(m)
            bucket = index.setdefault((name, "any"), [])
            if m not in bucket:
                bucket.append(m)
    return index


@dataclass
class SheetRows:
    rows: list[RosterRow]
    errors: list[RowError]
    ignored_columns: list[str]  # headers that are not read
    header_text: dict[str, str]  # each field's header as written in the file


def read_rows(exchange: Exchange, data: bytes) -> SheetRows:
    """Parse and check every row: the rows read, the problems (row and column) and the
    headers that are not read. Raises RosterImportError only for the file as a whole."""
    rows = read_sheet(data)
    if not rows:
        raise RosterImportError([RowError(1, "", _("The sheet is empty."))])
    header_index, columns, unknown = _find_header(rows)
    header_row = header_index + 1
    header = rows[header_index]
    header_text = {key: str(header[i]).strip() for key, i in columns.items()}
    missing = [HEADER_OF[k] for k in REQUIRED if k not in columns]
    if missing:
        raise RosterImportError(
            [
                RowError(1, h, _("This column is required but missing from the header row."))
                for h in missing
            ]
        )
    ignored = [h for h in unknown if _key(h) != _key(NUMBER_HEADER)]
    groups = {_key(g.name): g for g in exchange.groups.all()}
    members = _member_index(exchange)
    lis = LiIndex(exchange.visiting_place)
    errors: list[RowError] = []
    parsed: list[RosterRow] = []
    seen: dict[object, int] = {}

    def err(row_number, key, message):
        errors.append(RowError(row_number, header_text.get(key, HEADER_OF.get(key, "")), message))

    def date_of(offset, key, value, *, past: bool):
        try:
            day = parse_date(value)
        except ValueError as exc:
            err(offset, key, str(exc))
            return None
        if past and not dt.date(1900, 1, 1) <= day <= dt.date.today():
            err(offset, key, _("The date of birth is not a plausible date."))
            return None
        return day

    for offset, row in enumerate(rows[header_index + 1 :], start=header_row + 1):
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        get = {key: _cell(row, i) for key, i in columns.items()}
        name = get.get("name")
        if not name:
            err(offset, "name", _("The name is missing."))
            continue
        item = RosterRow(row=offset, name=str(name))
        item.given = {key for key, value in get.items() if value is not None}
        if get.get("gender") is not None:
            gender = GENDERS.get(_key(get["gender"]))
            if gender is None:
                err(offset, "gender", _("Write 男 or 女."))
                item.given.discard("gender")
            else:
                item.gender = gender
        li_name = get.get("li")
        district = str(get.get("district") or "")
        if li_name is not None:
            found = lis.find(district, str(li_name))
            if not found:
                err(
                    offset,
                    "li",
                    _("No li or village called %(li)s%(district)s in the directory.")
                    % {"li": li_name, "district": f" {district}" if district else ""},
                )
            elif len(found) > 1:
                err(
                    offset,
                    "district" if "district" in columns else "li",
                    _("Several li are called %(li)s; give the district.") % {"li": li_name},
                )
            else:
                item.li = found[0]
        elif district:
            err(offset, "li", _("The li is missing."))
        for key, limit in (("title", 100), ("phone", 40), ("email", 254), ("permit_number", 40)):
            if get.get(key) is not None:
                setattr(item, key, _text(get[key]))
                if len(getattr(item, key)) > limit:
                    err(offset, key, _("At most %(n)s characters.") % {"n": limit})
        if get.get("group") is not None:
            group = groups.get(_key(get["group"]))
            if group is None:
                err(
                    offset,
                    "group",
                    _("No group called %(group)s in this exchange.") % {"group": get["group"]},
                )
            item.group = group
        if get.get("role") is not None:
            role = ROLES.get(hans_hant.convert_text(str(get["role"]), hans_hant.HANS))
            if role is None:
                err(offset, "role", _("Write 团长, 副团长, 团员 or 工作人员."))
            else:
                item.role = role
        if get.get("date_of_birth") is not None:
            item.date_of_birth = date_of(offset, "date_of_birth", get["date_of_birth"], past=True)
        if get.get("permit_expires_on") is not None:
            item.permit_expires_on = date_of(
                offset, "permit_expires_on", get["permit_expires_on"], past=False
            )
        item.logistics, problems = roster_logistics.read_cells(get, exchange.timezone)
        for key, message in problems.items():
            err(offset, key, message)
        key = _key(item.name)
        if item.li is not None:
            candidates = members.get((key, item.li.pk), [])
        elif li_name is None:
            candidates = members.get((key, "any"), [])
        else:
            candidates = []
        if len(candidates) > 1:
            err(
                offset,
                "li",
                _("Several members of this exchange are called %(name)s; give the li.")
                % {"name": item.name},
            )
        elif candidates:
            item.member = candidates[0]
            item.person = item.member.person
        else:
            item.person = _match_person(item.name, item.li)
        identity = (
            ("member", item.member.pk) if item.member else (key, item.li.pk if item.li else None)
        )
        if identity in seen:
            err(
                offset,
                "name",
                _("The same person is already on row %(row)s.") % {"row": seen[identity]},
            )
        seen[identity] = offset
        parsed.append(item)
    if not parsed and not errors:
        errors.append(RowError(header_row + 1, "", _("The sheet has no rows to import.")))
    return SheetRows(parsed, errors, ignored, header_text)


def read_roster(exchange: Exchange, data: bytes) -> list[RosterRow]:
    """Parse and check every row; raise RosterImportError listing all problems."""
    sheet = read_rows(exchange, data)
    if sheet.errors:
        raise RosterImportError(sheet.errors)
    return sheet.rows


FIELD_TO_COLUMN = {
    "name": "name",
    "gender": "gender",
    "home_place": "li",
    "phone": "phone",
    "email": "email",
    "permit_number": "permit_number",
    "permit_expires_on": "permit_expires_on",
    "date_of_birth": "date_of_birth",
    "title": "title",
    "group": "group",
    "role": "role",
}

# The directory fields a roster row gives for its person, and the personal field whose
# visibility governs each (exchanges.personal_data): the expiry goes with the number.
PERSON_SHEET_FIELDS = (
    "gender",
    "phone",
    "email",
    "permit_number",
    "permit_expires_on",
    "date_of_birth",
)
GOVERNING_FIELD = {"permit_expires_on": "permit_number", "gender": None}


def _shown(fieldname: str, value) -> str:
    if value in (None, ""):
        return ""
    if fieldname == "gender":
        return {Gender.MALE: "男", Gender.FEMALE: "女"}.get(value, str(value))
    if fieldname == "role":
        return ROLE_LABELS.get(value, str(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "display_name_in"):
        return places.label(value, hans_hant.HANS, top="district")
    if hasattr(value, "name"):
        return str(value.name)
    return str(value)


def _person_access(actor, person: Person, fieldname: str) -> tuple[bool, bool]:
    """(may write, may see) ``fieldname`` of ``person`` for ``actor`` (None: the server's
    operator at the command line, who may do both)."""
    if actor is None:
        return True, True
    governing = GOVERNING_FIELD.get(fieldname, fieldname)
    sees = governing is None or personal_field_visible(actor, person, governing, context=ROSTER)
    return sees and actor.has_perm("directory.change_person", person), sees


def _plan_row(
    item: RosterRow, actor, header_text: dict[str, str], logistics=None, zone="Asia/Shanghai"
) -> tuple[PlannedRow, list]:
    planned = PlannedRow(item)
    refused_values: list[RowError] = []

    def column(key):
        return header_text.get(key, HEADER_OF.get(key, key))

    person = item.person
    if person is not None:
        for fieldname in PERSON_SHEET_FIELDS:
            if fieldname not in item.given:
                continue
            new, old = getattr(item, fieldname), getattr(person, fieldname)
            may_write, sees = _person_access(actor, person, fieldname)
            if may_write:
                if new != old:
                    planned.person_fields[fieldname] = new
                    planned.changes.append(
                        Change(column(fieldname), _shown(fieldname, old), _shown(fieldname, new))
                    )
            elif not sees or new != old:
                refused_values.append(
                    RowError(
                        item.row,
                        column(fieldname),
                        _(
                            "%(name)s is already in the directory and you may not change "
                            "this field; the value in the sheet (%(value)s) is not written."
                        )
                        % {"name": item.name, "value": _shown(fieldname, new)},
                    )
                )
    member = item.member
    if member is not None:
        wanted = {}
        if "title" in item.given:
            wanted["title"] = item.title
        if "group" in item.given:
            wanted["group"] = item.group
        if "role" in item.given:
            wanted["role"] = item.role
        if item.li is not None:
            wanted["home_place"] = item.li
        for fieldname, new in wanted.items():
            old = getattr(member, fieldname)
            if fieldname == "title" and _key(new) == _key(old):
                continue  # the same title in the other script (an export in 繁體)
            if new != old:
                planned.member_fields[fieldname] = new
                key = FIELD_TO_COLUMN[fieldname]
                planned.changes.append(
                    Change(column(key), _shown(fieldname, old), _shown(fieldname, new))
                )
    if item.logistics:
        current = (logistics or {}).get(member.pk) if member is not None else None
        fields, changes, refused = roster_logistics.planned(
            item.logistics, current, actor, person, zone
        )
        planned.logistics_fields = fields
        planned.changes += [Change(column(key), old, new) for key, old, new in changes]
        refused_values += [
            RowError(
                item.row,
                column(key),
                _(
                    "You may not see %(name)s's needs; the value in the sheet (%(value)s) "
                    "is not written."
                )
                % {"name": item.name, "value": item.logistics[key]},
            )
            for key in refused
        ]
    return planned, refused_values


def plan_roster(*, exchange: Exchange, data: bytes, actor=None) -> RosterPlan:
    """What importing ``data`` into ``exchange`` would do, with nothing written: the
    preview. A row whose person (same name and li) is already a member updates that member
    in place; a value the actor may not write is listed in ``not_written``."""
    sheet = read_rows(exchange, data)
    plan = RosterPlan(refused=sheet.errors, ignored_columns=sheet.ignored_columns)
    refused_rows = {e.row for e in sheet.errors}
    logistics = roster_logistics.current(exchange) if any(i.logistics for i in sheet.rows) else {}
    for item in sheet.rows:
        if item.row in refused_rows:
            continue
        planned, not_written = _plan_row(
            item, actor, sheet.header_text, logistics, exchange.timezone
        )
        plan.not_written += not_written
        if item.member is None:
            plan.adds.append(planned)
        elif planned.changes:
            plan.updates.append(planned)
        else:
            plan.unchanged.append(planned)
    return plan


@transaction.atomic
def import_roster(*, exchange: Exchange, data: bytes, actor=None) -> ImportResult:
    """Import a delegation roster (.xlsx) into ``exchange``: every row or none.

    A row is matched to the exchange's member (same name, same li) and updates it in place,
    else to the directory (same name and li) or a new person, who becomes a member on the
    visiting side. ``actor`` (None: the command line) needs ``exchanges.change_member``;
    directory fields it may not write are left as they are and reported in
    ``not_written``. Raises RosterImportError naming rows and columns."""
    if actor is not None and not actor.has_perm("exchanges.change_member", exchange):
        raise PermissionDenied
    plan = plan_roster(exchange=exchange, data=data, actor=actor)
    if plan.refused:
        raise RosterImportError(plan.refused)
    result = ImportResult(not_written=plan.not_written, unchanged_members=len(plan.unchanged))
    logistics = (
        roster_logistics.current(exchange)
        if any(p.logistics_fields for p in plan.adds + plan.updates)
        else {}
    )
    for planned in plan.adds + plan.updates:
        item = planned.item
        try:
            person = item.person
            if person is None:
                person = directory_services.create_person(
                    name=item.name,
                    gender=item.gender,
                    home_place=item.li,
                    phone=item.phone,
                    email=item.email,
                    permit_number=item.permit_number,
                    permit_expires_on=item.permit_expires_on,
                    date_of_birth=item.date_of_birth,
                )
                result.created_people += 1
            else:
                if planned.person_fields:
                    directory_services.update_person(
                        person=person, by=actor, **planned.person_fields
                    )
                if item.member is None:
                    result.matched_people += 1
            if item.member is None:
                member = exchange_services.add_member(
                    exchange=exchange,
                    person=person,
                    role=item.role,
                    title=item.title,
                    home_place=item.li,
                    group=item.group,
                )
                result.members.append(member)
            else:
                member = item.member
                if planned.member_fields:
                    exchange_services.update_member(member=item.member, **planned.member_fields)
                result.updated_members += 1
            if planned.logistics_fields:
                roster_logistics.apply(
                    member, planned.logistics_fields, actor, logistics.get(member.pk)
                )
        except ValidationError as exc:
            raise RosterImportError(_errors_of(item.row, exc)) from exc
    return result


def _errors_of(row: int, exc: ValidationError) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        out = []
        for fieldname, messages in exc.message_dict.items():
            column = HEADER_OF.get(FIELD_TO_COLUMN.get(fieldname, ""), fieldname)
            out += [RowError(row, column, m) for m in messages]
        return out
    return [RowError(row, "", m) for m in exc.messages]


def roster_template() -> bytes:
    """An empty roster workbook with the headers, an example row and instructions."""
    from openpyxl import Workbook  # noqa: PLC0415 (heavy)

    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(safe_row(header for _key_, header, _aliases in ROSTER_COLUMNS))
    format_sheet(ws, header_row=1, min_width=10)
    help_sheet = wb.create_sheet("说明")
    notes = [
        "每行一人；第一行为表头，请勿修改。",
        "姓名：必填，简体或繁体均可。",
        "性别：男 或 女。",
        "所属区、里：台北市的行政区和里，如 北投区、大屯里（简体或繁体均可）。",
        "姓名与里都相同的人会对应到通讯录中已有的人，不会重复建立。",
        "分组：须与本次交流已建立的分组名称一致。",
        "角色：团长、副团长、团员 或 工作人员；空白为团员。",
        "电话、电子邮件、证件号码（台胞证或入台证）、证件有效期、出生日期：可留空。",
        "出生日期、证件有效期：如 1960-03-05。",
        "上传后先预览：列出新增的人、有变动的人（哪些栏位）和有误的行，确认后才导入。",
        "本次交流的名单导出后可直接修改再导入：已在名单中的人（姓名与里相同）就地更新，不会重复。",
        "空白的格不会清除已有的资料；您无权修改的栏位会在预览中列出，不会写入。",
        "任何一行有误时整份名单都不会导入，错误会标明行号和列名。",
    ]
    for line in notes:
        help_sheet.append(safe_row([line]))
    help_sheet.column_dimensions["A"].width = 80
    return _save(wb)


def _save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- exports -----------------------------------------------------------------------------

EXPORT_KINDS = ("roster", "itinerary", "appointments", "gifts")


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]
    # The title row above the header (the exchange, the table, the dates); none: no title row.
    heading: str = ""
    # A 序号 column first, with this header (the rows numbered from 1); empty: none.
    numbered: str = ""


# The roster's personal columns, each shown to a reader who may see that field of at least
# one member; a member whose field the reader may not see gets an empty cell.
# In the order of ROSTER_COLUMNS; the permit's expiry is shown where its number is.
PERSONAL_COLUMNS = tuple(
    (key, header)
    for key, header, _aliases in ROSTER_COLUMNS
    if key in ("phone", "email", "permit_number", "permit_expires_on", "date_of_birth")
)


def roster_table(exchange: Exchange, which: str, *, personal: PersonalView | None = None) -> Table:
    """The roster. ``personal``: what the reader sees of each member's personal data
    (exchanges.personal_data, the roster surface; per row and per field); without it, nothing."""
    headers = [HEADER_OF[k] for k in ("name", "gender", "district", "li", "title", "group", "role")]
    members = list(
        exchange.members.select_related(
            "person", "home_place", "home_place__parent", "group"
        ).order_by(
            F("group__order").asc(nulls_first=True), "order", "id"
        )  # no group first, everywhere
    )
    places.prime(m.home_place for m in members)
    columns = []
    if personal is not None:
        personal.prime({m.person for m in members})
        seen = set().union(*(personal.fields(m.person) for m in members)) if members else set()
        columns = [
            (f, header) for f, header in PERSONAL_COLUMNS if GOVERNING_FIELD.get(f, f) in seen
        ]
    headers += [header for _f, header in columns]
    logistics = roster_logistics.current(exchange)
    logistics_headers, dietary = roster_logistics.export_headers(members, personal)
    headers += logistics_headers
    rows = []
    for m in members:
        place = m.home_place
        district = places.district_of(place) if place else None
        row = [
            m.person.name_in(which),
            {Gender.MALE: "男", Gender.FEMALE: "女"}.get(m.person.gender, ""),
            district.display_name_in(which) if district else "",
            place.display_name_in(which) if place and place != district else "",
            conv(m.title, which),
            conv(m.group.name, which) if m.group else "",
            conv(ROLE_LABELS.get(m.role, ""), which),
        ]
        for f, _header in columns:
            governing = GOVERNING_FIELD.get(f, f)
            shown = personal.value(m.person, governing, None)
            row.append(shown if f == governing else (getattr(m.person, f) if shown else None))
        row += roster_logistics.export_cells(
            logistics.get(m.pk), exchange.timezone, dietary=dietary, personal=personal
        )
        rows.append(row)
    return Table("名单", [conv(h, which) for h in headers], rows)


ROLE_LABELS = {
    MemberRole.LEADER: "团长",
    MemberRole.DEPUTY_LEADER: "副团长",
    MemberRole.MEMBER: "团员",
    MemberRole.STAFF: "工作人员",
}


def itinerary_table(
    exchange: Exchange, which: str, *, personal: PersonalView | None = None
) -> Table:
    headers = ["日期", "时间", "活动", "类别", "地点", "分组", "接待"]
    rows = []
    zone = exchange.timezone
    activities = list(selectors.activities(exchange))
    selectors.prime_places(activities)
    for a in activities:
        rows.append(
            [
                local(a.starts_at, zone).date(),
                selectors.time_label(a, zone),
                conv(a.title, which),
                conv(selectors.kind_label(a), which),
                selectors.where_of(a, which),
                "、".join(conv(g.name, which) for g in a.groups.all()),
                "、".join(h.name_in(which) for h in a.hosts.all()),
            ]
        )
    return Table("日程", [conv(h, which) for h in headers], rows)


def appointments_table(
    exchange: Exchange, which: str, *, personal: PersonalView | None = None
) -> Table:
    headers = ["证书编号", "姓名", "所属里", "聘任社区", "所属街道", "聘任职务", "聘任日期"]
    rows = []
    appointments = list(
        Appointment.objects.alive()
        .filter(exchange=exchange)
        .select_related("person", "community", "community__parent", "person_place")
        .order_by("appointed_on", "certificate_number", "id")
    )
    places.prime([p for ap in appointments for p in (ap.community, ap.person_place)])
    for ap in appointments:
        street = places.street_of(ap.community)
        rows.append(
            [
                ap.certificate_number,
                ap.person.name_in(which),
                places.label(ap.person_place, which, top="district") if ap.person_place else "",
                ap.community.display_name_in(which),
                street.display_name_in(which) if street else "",
                conv(ap.title, which),
                ap.appointed_on,
            ]
        )
    return Table("聘任", [conv(h, which) for h in headers], rows)


def _party(party, which: str) -> str:
    """A gift's giver or recipient: a person or organisation, or the sources' wording."""
    if not party:
        return ""
    return party.name_in(which) if hasattr(party, "name_in") else conv(party, which)


def gifts_table(exchange: Exchange, which: str, *, personal: PersonalView | None = None) -> Table:
    headers = ["活动", "赠送方", "接收方", "礼物"]
    rows = []
    qs = Gift.objects.filter(exchange=exchange).select_related(
        "activity",
        "giver_person",
        "giver_organisation",
        "recipient_person",
        "recipient_organisation",
    )
    for g in qs:
        rows.append(
            [
                conv(g.activity.title, which) if g.activity else "",
                _party(g.giver, which),
                _party(g.recipient, which),
                conv(g.description, which),
            ]
        )
    return Table("礼物", [conv(h, which) for h in headers], rows)


TABLES = {
    "roster": roster_table,
    "itinerary": itinerary_table,
    "appointments": appointments_table,
    "gifts": gifts_table,
}


def export_table(
    exchange: Exchange, kind: str, which: str | None = None, *, personal: PersonalView | None = None
) -> Table:
    if kind not in TABLES:
        raise ValueError(f"Unknown export {kind!r}; choose from {', '.join(TABLES)}.")
    which = normalise_script(which) if which else "hans"
    table = TABLES[kind](exchange, which, personal=personal)
    table.title = conv(table.title, which)
    table.heading = heading_of(exchange, table.title, which)
    table.numbered = conv(NUMBER_HEADER, which)
    return table


def heading_of(exchange: Exchange, title: str, which: str, *, today: dt.date | None = None) -> str:
    """The title row of an exchange's sheet: 测试参访 名单（2016年4月22日） 制表日期：2026-12-01."""
    text = f"{conv(exchange.title, which)} {title}"
    days = dates_chinese(exchange)
    if days:
        text += f"（{conv(days, which)}）"
    today = today or dt.date.today()
    return f"{text}　{conv('制表日期', which)}：{today.isoformat()}"


# A cell whose text starts with one of these is read by Excel, LibreOffice and Google
# Sheets as a formula (=HYPERLINK(…), +cmd|…, @SUM(…)); tab and carriage return too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value):
    """A value as it may be written into any spreadsheet or CSV cell: text that a
    spreadsheet would run as a formula gets a leading apostrophe, so it is shown as
    written and never evaluated. Dates and numbers are kept as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    """Every cell of a row through ``cell_value``: the one escape all writers use."""
    return [cell_value(v) for v in values]


def _width(value) -> int:
    """A cell's width in Excel's units: CJK characters count two."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(value))


def format_sheet(ws, *, header_row: int, min_width: int = 6, max_width: int = 50) -> None:
    """As offices set a sheet up: the header bold and shaded, columns as wide as their
    text, the header frozen, A4 landscape fitted to the page's width with the header
    repeated on every printed page and page numbers in the footer."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # noqa: PLC0415 (heavy)
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 (heavy)

    thin = Side(style="thin", color="999999")
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3EFE6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=header_row):
        for cell in row:
            widths[cell.column] = max(widths.get(cell.column, 0), _width(cell.value))
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(
            min_width, min(max_width, width + 2)
        )
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "&P / &N"


def to_xlsx(table: Table) -> bytes:
    """The table as a workbook: its title row (when it has a heading), the header, the rows
    (numbered 序号 when ``numbered``), formatted by ``format_sheet``; every cell through
    ``safe_row``."""
    from openpyxl import Workbook  # noqa: PLC0415 (heavy)
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415 (heavy)

    wb = Workbook()
    ws = wb.active
    ws.title = table.title[:31]
    headers, rows = list(table.headers), [list(r) for r in table.rows]
    if table.numbered:
        headers = [table.numbered, *headers]
        rows = [[number, *row] for number, row in enumerate(rows, start=1)]
    header_row = 1
    if table.heading:
        ws.append(safe_row([table.heading]))
        if len(headers) > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 28
        header_row = 2
    ws.append(safe_row(headers))
    for row in rows:
        ws.append(safe_row(row))
    format_sheet(ws, header_row=header_row)
    return _save(wb)


def to_csv(table: Table) -> bytes:
    """CSV in UTF-8 with a BOM, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row(table.headers))
    for row in table.rows:
        writer.writerow(
            safe_row(
                "" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in row
            )
        )
    return buffer.getvalue().encode("utf-8-sig")


def export(
    exchange: Exchange,
    kind: str,
    fmt: str,
    which: str | None = None,
    *,
    personal: PersonalView | None = None,
) -> bytes:
    """``personal``: what the reader sees of people's personal data (exchanges.personal_data,
    the roster surface); without it, none."""
    table = export_table(exchange, kind, which, personal=personal)
    if fmt == "xlsx":
        return to_xlsx(table)
    if fmt == "csv":
        return to_csv(table)
    raise ValueError(f"Unknown format {fmt!r}; choose xlsx or csv.")
