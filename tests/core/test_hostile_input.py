"""The hostile-input run: hostile values (markup, NUL, private-use and rare CJK, direction
overrides, impossible dates, ids beyond 64 bits, negative numbers, huge strings, bad ids)
go into every field of every page form, every URL pattern of the URLconf (GET and POST,
with real and out-of-range ids) and every API operation of the OpenAPI document, as an
administrator. Not one answer may be a server error (≥ 500).

Pages are found by crawling from the dashboard and completed from the URLconf: every URL
pattern is requested (the test fails if one is not). Every form's fields are taken from
the page that shows it, with the values it shows, and one field at a time gets a hostile
value, so the others stay valid and the hostile one reaches the service. Each request
runs in a savepoint rolled back afterwards, so no request changes what the next one sees.

Bounded by default (a few values per field, chosen so that together they cover every
value; under a minute); ``HOSTILE_FULL=1`` sends every value to every field."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urlencode, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from ninja.responses import NinjaJSONEncoder

from civicbridge.api.v1 import api
from civicbridge.documents import services as documents
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import ActivityKind
from civicbridge.forums import services as forums
from civicbridge.pairings import services as pairings
from tests.factories import at_day as at

# slow: ~1,200 requests (about 10 s); outside the inner loop, in ./run test and CI.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.accounts.urls"),
    pytest.mark.hostile,
    pytest.mark.slow,
]

FULL = os.environ.get("HOSTILE_FULL") == "1"
PER_FIELD = None if FULL else 1  # hostile values per field in the bounded run
MAX_CRAWL = 400
PAGES_PER_ROUTE = 2  # in the bounded run

TEXT = [
    "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>",
    "a\x00b",
    "𠀋\ue008",
    "\u202eevil\u202c",
    "\u200b\ufeff",
    "x" * 100_000,
    '=HYPERLINK("http://evil.example","x")',
    "\x1b[31m\x07\x85",
    "\ud800",  # API only: a browser cannot encode a lone surrogate
]
PAGE_TEXT = [t for t in TEXT if t != "\ud800"]
NUMBERS = [str(2**63), str(2**64), "-1", "0", "99999999999999999999999999", "1e999", "abc"]
DATES = ["9999-12-31", "0001-01-01", "2016-02-30", "99999-01-01", "\x00"]
TIMES = ["25:61", "23:59:59.999999999", "\x00"]
IDS = [2**63, 2**64, -1, 0]
# Never sent: they end the session or leave the site's own pages.
SKIP = ("/static/", "/media/", "/admin/", "/i18n/", "/accounts/logout")


# --- the world --------------------------------------------------------------------------


@pytest.fixture
def world(roles_world):
    w = roles_world
    forum_activity = exchanges.create_activity(
        exchange=w.exchange,
        kind=ActivityKind.FORUM,
        title="京台社区大讲堂",
        starts_at=at(23, 9),
        ends_at=at(23, 11),
        place=w.community,
        groups=[w.group_haidian],
        hosts=[w.person],
    )
    forum = forums.create_forum(activity=forum_activity, theme="社区治理")
    speaker = forums.add_speaker(forum=forum, side="host", place=w.community, title="书记")
    forums.add_agenda_item(forum=forum, kind="speech", title="致辞", speakers=[speaker])
    forums.add_outcome(forum=forum, text="建立常态化的互访机制")
    exchanges.record_gift(
        exchange=w.exchange,
        activity=w.activity_haidian,
        giver_organisation=w.association,
        recipient_person=w.person,
        description="茶叶",
    )
    pairings.appoint(
        person=w.person,
        community=w.community,
        appointed_on=dt.date(2016, 4, 22),
        exchange=w.exchange,
        activity=w.activity_haidian,
    )
    pairings.create_commitment(
        title="互访", pairing=w.pairing, owner_organisation=w.association, exchange=w.exchange
    )
    admin = w.users["administrator"]
    pairings.post_message(thread=w.pairing, author=admin, body="你好")
    pairings.post_message(thread=w.exchange, author=admin, body="大家好")
    documents.create_calendar_token(
        scope="exchange", object_id=w.exchange.pk, exchange=w.exchange, created_by=admin
    )
    return w


def _isolated(call):
    """One request in a savepoint that is rolled back: nothing it writes stays."""
    with transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    return response


# --- pages: forms in HTML ---------------------------------------------------------------


class Form:
    def __init__(self, action: str, method: str):
        self.action = action
        self.method = method
        self.fields: list[tuple[str, str, str]] = []  # (name, kind, value shown)
        self.selects: dict[str, list[str]] = {}

    def data(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for name, _kind, value in self.fields:
            if value is not None:
                out[name].append(value)
        return out


class Forms(HTMLParser):
    """The forms of a page: every field with the value the page shows."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.textarea: tuple[str, list[str]] | None = None
        self.select: tuple[str, list[str], list[str]] | None = None
        self.extra_actions: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or a.get("hx-post") or self.page
            self.current = Form(action, (a.get("method") or "get").lower())
            self.forms.append(self.current)
            return
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                value = a.get("value", "on") if "checked" in a else None
                self.current.fields.append((name, kind, value))
                self.current.selects.setdefault(name, []).append(a.get("value", "on"))
            elif kind in ("submit", "button", "image", "reset", "file"):
                return
            else:
                self.current.fields.append((name, kind, a.get("value", "")))
        elif tag == "button" and a.get("formaction"):
            self.extra_actions.append(a["formaction"])
        elif tag == "textarea" and name:
            self.textarea = (name, [])
        elif tag == "select" and name:
            self.select = (name, [], [])
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select[1].append(value)
            if "selected" in a:
                self.select[2].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None and self.current is not None:
            self.current.fields.append((self.textarea[0], "textarea", "".join(self.textarea[1])))
            self.textarea = None
        elif tag == "select" and self.select is not None and self.current is not None:
            name, options, chosen = self.select
            self.current.selects[name] = options
            self.current.fields.append((name, "select", (chosen or options or [""])[0]))
            self.select = None
        elif tag == "form":
            self.current = None


LINK = re.compile(r"""(?:href|src|hx-get|hx-post|action|formaction)=["']([^"'#][^"']*)["']""")


def _local(url: str) -> str | None:
    url = url.replace("&amp;", "&").split("#", 1)[0]
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc or not url.startswith("/") or url.startswith(SKIP):
        return None
    return url


def _values_for(kind: str, index: int) -> list[str]:
    pool = {
        "date": DATES + NUMBERS[:1],
        "time": TIMES,
        "number": NUMBERS,
        "hidden": NUMBERS + PAGE_TEXT[1:2],
        "select": NUMBERS + PAGE_TEXT[1:2],
        "checkbox": NUMBERS + PAGE_TEXT[1:2],
        "radio": NUMBERS + PAGE_TEXT[1:2],
    }.get(kind, PAGE_TEXT + DATES[:1] + NUMBERS[:1])
    if PER_FIELD is None:
        return pool
    return [pool[(index * PER_FIELD + i) % len(pool)] for i in range(PER_FIELD)]


class Run:
    def __init__(self, client: Client):
        self.client = client
        self.failures: list[tuple[str, str, int, str]] = []
        self.requests = 0
        self.patterns_seen: set[str] = set()
        self.kwargs_seen: dict[str, set] = defaultdict(set)

    def check(self, method: str, url: str, response, what: str = "") -> None:
        self.requests += 1
        if response.status_code >= 500:
            self.failures.append((method, url[:200], response.status_code, what[:200]))

    def note_pattern(self, url: str) -> None:
        try:
            match = resolve(urlparse(url).path)
        except Resolver404:
            return
        self.patterns_seen.add(match.route)
        for key, value in match.kwargs.items():
            self.kwargs_seen[key].add(value)

    def get(self, url: str, what: str = ""):
        response = _isolated(lambda: self.client.get(url))
        self.check("GET", url, response, what)
        return response

    def post(self, url: str, data, what: str = ""):
        response = _isolated(lambda: self.client.post(url, data))
        self.check("POST", url, response, what)
        return response


def _crawl(run: Run) -> tuple[dict[str, str], list[Form]]:
    """Pages reachable from the dashboard (GET) and the forms they show."""
    pages: dict[str, str] = {}
    forms: dict[tuple, Form] = {}
    queue, seen = ["/"], set()
    per_route: dict[str, int] = defaultdict(int)
    while queue and len(seen) < MAX_CRAWL:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        route = _route(url)
        per_route[route] += 1
        if not FULL and per_route[route] > PAGES_PER_ROUTE:
            continue  # the bounded run: a few pages of each URL pattern
        run.note_pattern(url)
        response = run.get(url, "crawl")
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode("utf-8", errors="replace")
        pages[url] = html
        parser = Forms(urlparse(url).path)
        parser.feed(html)
        for form in parser.forms:
            action = _local(form.action)
            if action is None:  # the sign-out form, forms of other sites
                continue
            form.action = action
            # one form per URL pattern and set of fields (the bounded run; not 20 alike)
            where = action if FULL else _route(action)
            key = (where, form.method, tuple(sorted({n for n, _k, _v in form.fields})))
            forms.setdefault(key, form)
            run.note_pattern(action)
        for action in parser.extra_actions:
            if _local(action):
                run.note_pattern(action)
                forms.setdefault((action, "post", ()), Form(action, "post"))
        for raw in LINK.findall(html):
            local = _local(raw)
            if local and local not in seen and not local.endswith((".css", ".js", ".png")):
                queue.append(local)
    return pages, list(forms.values())


def _route(url: str) -> str:
    try:
        return resolve(urlparse(url).path).route
    except Resolver404:
        return url


def _patterns(resolver=None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    out = []
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            out += _patterns(p, route)
        else:
            out.append((route, p))
    return out


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _fill(route: str, values: dict[str, object]) -> str:
    return "/" + PARAM.sub(lambda m: str(values[m.group(2)]), route).lstrip("^").rstrip("$")


def _site_patterns() -> list[str]:
    routes = []
    for route, _p in _patterns():
        if route.startswith(("admin/", "api/", "i18n/", "static/", "^media", "media/")):
            continue
        if "logout" in route or route.startswith("accounts/logout"):
            continue
        routes.append(route)
    return routes


def _submit_form(run: Run, form: Form, index: int) -> int:
    base = form.data()
    names = list(dict.fromkeys(n for n, _k, _v in form.fields))
    kinds = {n: k for n, k, _v in form.fields}
    sent = 0
    send = run.get if form.method == "get" else run.post
    for i, name in enumerate(names or ["next"]):
        for value in _values_for(kinds.get(name, "text"), index + i):
            data = {**base, name: [value]}
            if form.method == "get":
                send(f"{form.action}?{urlencode(data, doseq=True)}", f"{name}={value[:40]!r}")
            else:
                send(form.action, data, f"{name}={value[:40]!r}")
            sent += 1
    return sent


def run_pages(world) -> Run:
    client = Client(raise_request_exception=False)
    client.force_login(world.users["administrator"])
    run = Run(client)
    _pages, forms = _crawl(run)

    # every URL pattern: those the crawl did not reach, with the ids it saw
    for route in _site_patterns():
        names = [m.group(2) for m in PARAM.finditer(route)]
        if route in run.patterns_seen:
            continue
        candidates = {n: sorted(run.kwargs_seen.get(n) or {1}, key=str)[:3] for n in names}
        if any(n not in run.kwargs_seen for n in names):
            # a parameter no crawled page used (e.g. a token, a script): any value
            for n in names:
                candidates.setdefault(n, ["x"])
                if n not in run.kwargs_seen:
                    candidates[n] = ["hans", "1", "x"]
        url = _fill(route, {n: v[0] for n, v in candidates.items()})
        run.note_pattern(url)
        run.patterns_seen.add(route)
        run.get(url, "pattern")
        run.post(url, {}, "pattern")

    # out-of-range and malformed ids in every pattern with an integer parameter
    for route in _site_patterns():
        names = [m.group(2) for m in PARAM.finditer(route) if m.group(1) == "int"]
        if not names:
            continue
        valid = {
            m.group(2): sorted(run.kwargs_seen.get(m.group(2)) or {1}, key=str)[0]
            for m in PARAM.finditer(route)
        }
        for name in names:
            for bad in IDS if FULL else IDS[:1]:
                if bad < 0:
                    continue  # not a path an <int:…> pattern matches
                url = _fill(route, {**valid, name: bad})
                run.get(url, f"{name}={bad}")
                run.post(url, {}, f"{name}={bad}")

    # every field of every form, one at a time
    for index, form in enumerate(forms):
        _submit_form(run, form, index)

    # query parameters the pages read: hostile values on every page reached
    for index, route_url in enumerate(sorted({f.action for f in forms} | {"/", "/search/"})):
        for i, value in enumerate(_values_for("text", index)):
            run.get(f"{route_url}?{urlencode({'q': value, 'page': NUMBERS[i % len(NUMBERS)]})}")
    run.forms = forms
    return run


# --- the API ----------------------------------------------------------------------------


def _schema() -> dict:
    return json.loads(
        json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=NinjaJSONEncoder)
    )


def _resolve_ref(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _kind(prop: dict) -> str:
    options = prop.get("anyOf") or [prop]
    for option in options:
        if option.get("type") in ("integer", "number"):
            return "number"
        if option.get("format") in ("date", "date-time"):
            return "date"
        if option.get("type") == "array":
            return "array"
        if option.get("type") == "boolean":
            return "boolean"
    return "text"


# Files an upload endpoint must refuse with a 4xx (or take as an image, re-encoded).
HOSTILE_FILES = [
    ("photo.png", b"<svg onload=alert(1)><script>alert(1)</script></svg>"),
    ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),
    ("empty.jpg", b""),
    ("\u202egnp.exe", b"GIF89a\x01\x00\x01\x00"),
    ("页面.html", b"<html><body>hi</body></html>"),
]


def _api_values(kind: str, index: int) -> list:
    pool = {
        "number": [2**63, 2**64, -1, 10**30, "abc", 1.5, True, None],
        "date": ["9999-12-31", "0001-01-01", "9999-12-31T23:59:59+14:00", "2016-02-30", 5],
        "array": [[2**63], [-1], ["a\x00"], [[[]]], "x", [2**64] * 3],
        "boolean": ["yes\x00", 2**64, None],
    }.get(kind, TEXT + [2**64, {"nested": ["x"]}])
    if PER_FIELD is None:
        return pool
    return [pool[(index * PER_FIELD + i) % len(pool)] for i in range(PER_FIELD)]


def run_api(world) -> Run:
    schema = _schema()
    client = Client(
        raise_request_exception=False,
        HTTP_AUTHORIZATION=f"Bearer {world.tokens['administrator']}",
    )
    run = Run(client)

    def call(method: str, url: str, body=None, what: str = ""):
        def send():
            if body is None:
                return getattr(client, method)(url)
            return getattr(client, method)(
                url, data=json.dumps(body), content_type="application/json"
            )

        response = _isolated(send)
        run.check(method.upper(), url, response, what)
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith("application/json"):
            run.failures.append((method.upper(), url, response.status_code, "not JSON"))
        return response

    def upload(url: str, fields: dict, what: str, file=None):
        """A multipart POST: hostile values go in as text, as a browser or curl sends them."""
        data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
        if file is not None:
            data["image"] = SimpleUploadedFile(file[0], file[1])
        response = _isolated(lambda: client.post(url, data=data))
        run.check("POST", url, response, what)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            run.failures.append(("POST", url, response.status_code, "not JSON"))

    def first_id(collection: str):
        response = client.get(f"/api/v1/{collection}?limit=1")
        items = response.json().get("items", []) if response.status_code == 200 else []
        return items[0]["id"] if items else 1

    index = 0
    for path, operations in schema["paths"].items():
        names = re.findall(r"{(\w+)}", path)
        collection = path.removeprefix("/api/v1/").split("/", 1)[0]
        valid = {n: first_id(collection) for n in names}
        for method, op in operations.items():
            index += 1
            concrete = path.format(**valid)
            # ids out of range or malformed in the path
            for name in names:
                for bad in [*IDS, "x", "1e3"]:
                    call(
                        method,
                        path.format(**{**valid, name: bad}),
                        {} if method in ("post", "patch", "put") else None,
                        f"{name}={bad}",
                    )
            # query parameters
            for param in op.get("parameters", []):
                if param["in"] != "query":
                    continue
                for value in _api_values(_kind(param.get("schema", {})), index):
                    if not isinstance(value, str) or "\ud800" in value:
                        value = json.dumps(value)  # (a lone surrogate cannot go in an address)
                    call(
                        method,
                        f"{concrete}?{urlencode({param['name']: value})}",
                        None,
                        f"{param['name']}={value[:40]!r}",
                    )
            if "requestBody" not in op:
                continue
            content = op["requestBody"]["content"]
            if "multipart/form-data" in content:
                # an upload: every form field hostile in turn, then hostile files
                form_schema = _resolve_ref(schema, content["multipart/form-data"]["schema"])
                form = _resolve_ref(schema, form_schema["properties"].get("payload", form_schema))
                fields = {
                    k: _resolve_ref(schema, v)
                    for k, v in form.get("properties", {}).items()
                    if v.get("format") != "binary"
                }
                baseline = {"exchange_id": first_id("exchanges"), "caption": "x"}
                baseline = {k: v for k, v in baseline.items() if k in fields}
                for i, (prop, definition) in enumerate(fields.items()):
                    for value in _api_values(_kind(definition), index + i):
                        upload(concrete, {**baseline, prop: value}, f"{prop}={str(value)[:40]!r}")
                for name, data in HOSTILE_FILES:
                    upload(concrete, baseline, f"file {name!r}", file=(name, data))
                continue
            body_schema = _resolve_ref(schema, content["application/json"]["schema"])
            properties = {k: _resolve_ref(schema, v) for k, v in body_schema["properties"].items()}
            baseline = {}
            if names:
                current = client.get(concrete)
                if current.status_code == 200 and isinstance(current.json(), dict):
                    baseline = {k: v for k, v in current.json().items() if k in properties}
            else:
                item = client.get(f"/api/v1/{collection}/{first_id(collection)}")
                if item.status_code == 200 and isinstance(item.json(), dict):
                    baseline = {k: v for k, v in item.json().items() if k in properties}
            for i, (prop, definition) in enumerate(properties.items()):
                for value in _api_values(_kind(definition), index + i):
                    call(method, concrete, {**baseline, prop: value}, f"{prop}={str(value)[:40]!r}")
            # the body itself hostile: not an object, nested deeply, not JSON
            for raw in ("[]", "[" * 5000 + "]" * 5000, "{\x00}", '"\\ud800"', "nul"):
                response = _isolated(
                    lambda raw=raw, method=method, concrete=concrete: getattr(client, method)(
                        concrete, data=raw, content_type="application/json"
                    )
                )
                run.check(method.upper(), concrete, response, f"body {raw[:20]!r}")
    # unknown routes and methods are answered in JSON too
    for url in ("/api/v1/nothing-here", "/api/nothing", "/api/v1/exchanges/1/nothing"):
        call("get", url)
    call("put", "/api/v1/me")
    return run


# --- the tests --------------------------------------------------------------------------


def test_hostile_input_pages_answer_no_server_error(world):
    run = run_pages(world)
    missing = [r for r in _site_patterns() if r not in run.patterns_seen]
    assert missing == []
    assert len(run.forms) >= 20, f"only {len(run.forms)} forms found"
    assert run.requests > 400
    print(f"{run.requests} requests")  # noqa: T201 (the size of the run, shown with -s)
    assert run.failures == [], "\n".join(map(str, run.failures))


def test_hostile_input_api_answers_no_server_error(world):
    run = run_api(world)
    assert run.requests > 500
    print(f"{run.requests} requests")  # noqa: T201 (the size of the run, shown with -s)
    assert run.failures == [], "\n".join(map(str, run.failures))
