"""core/part_of_day.py: the one home of the parts of the day and of an activity's time
label (pages and documents), and core/htmx.py."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from civicbridge.core import htmx
from civicbridge.core import part_of_day as parts
from civicbridge.exchanges.models import TimePrecision

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _activity(start, end, precision=TimePrecision.EXACT):
    return SimpleNamespace(starts_at=start, ends_at=end, time_precision=precision)


def _at(day, hour, minute=0):
    return dt.datetime(2016, 4, day, hour, minute, tzinfo=SHANGHAI)


def test_precisions_are_the_exchanges_values():
    assert parts.EXACT == TimePrecision.EXACT
    assert parts.PART_OF_DAY == TimePrecision.PART_OF_DAY
    assert parts.DAY == TimePrecision.DAY


def test_boundaries():
    assert parts.part_of_day(dt.time(11, 59)) == parts.MORNING
    assert parts.part_of_day(dt.time(12, 0)) == parts.AFTERNOON
    assert parts.part_of_day(dt.time(17, 59)) == parts.AFTERNOON
    assert parts.part_of_day(dt.time(18, 0)) == parts.NIGHT
    assert parts.part_of_day_chinese(_at(22, 9)) == "上午"
    assert parts.part_of_day_chinese(_at(22, 14)) == "下午"
    assert parts.part_of_day_chinese(_at(22, 19)) == "晚上"
    # The nominal times of a part of the day fall in that part.
    for key in (parts.MORNING, parts.AFTERNOON, parts.NIGHT):
        assert parts.part_of_day(parts.NOMINAL_TIMES[key][0]) == key


def test_time_label_for_the_pages_and_the_documents():
    with translation.override("en"):
        exact = _activity(_at(22, 9), _at(22, 10, 30))
        assert parts.time_label(exact, SHANGHAI) == "09:00–10:30"
        assert parts.time_label(exact, "Asia/Shanghai", words=parts.CHINESE) == "09:00–10:30"
        overnight = _activity(_at(22, 21), _at(23, 1))
        assert parts.time_label(overnight, SHANGHAI) == "21:00 – 04-23 01:00"
        moment = _activity(_at(22, 9), _at(22, 9))
        assert parts.time_label(moment, SHANGHAI) == "09:00"
        assert parts.time_label(moment, SHANGHAI, words=parts.CHINESE) == "09:00"
        afternoon = _activity(_at(22, 14), _at(22, 17), TimePrecision.PART_OF_DAY)
        assert parts.time_label(afternoon, SHANGHAI) == "Afternoon (下午)"
        assert parts.time_label(afternoon, SHANGHAI, words=parts.CHINESE) == "下午"
        whole_day = _activity(_at(22, 9), _at(22, 17), TimePrecision.DAY)
        assert parts.time_label(whole_day, SHANGHAI) == "Time not recorded"
        assert parts.time_label(whole_day, SHANGHAI, words=parts.CHINESE) == "全天"


def test_htmx_request_and_retarget():
    factory = RequestFactory()
    assert htmx.is_htmx(factory.get("/", HTTP_HX_REQUEST="true"))
    assert not htmx.is_htmx(factory.get("/"))
    response = htmx.retarget(HttpResponse(), "#exchange-sections", swap="innerHTML")
    assert response["HX-Retarget"] == "#exchange-sections"
    assert response["HX-Reswap"] == "innerHTML"
    assert "HX-Reswap" not in htmx.retarget(HttpResponse(), "#x")
