import datetime as dt

import pytest

from civicbridge.documents import certificates, fonts, programme
from civicbridge.documents.text import chinese_date
from civicbridge.pairings import services as pairings
from tests.factories import build_small_exchange


def test_chinese_date_writes_numerals():
    assert chinese_date(dt.date(2016, 4, 22)) == "二〇一六年四月二十二日"
    assert chinese_date(dt.date(2020, 10, 10)) == "二〇二〇年十月十日"
    assert chinese_date(dt.date(2009, 1, 31)) == "二〇〇九年一月三十一日"


def test_require_cjk_font_finds_noto_cjk():
    assert fonts.require_cjk_font("serif", "hant") == "Noto Serif CJK TC"


def test_require_cjk_font_with_family_that_does_not_exist_is_a_clear_error(settings):
    settings.CIVICBRIDGE_CJK_FONTS = {"serif_hant": "No Such Family 2016"}
    with pytest.raises(fonts.CJKFontMissing) as caught:
        fonts.require_cjk_font("serif", "hant")
    assert "No Such Family 2016" in str(caught.value)
    assert "fonts-noto-cjk" in str(caught.value)


def test_require_cjk_font_with_family_without_chinese_is_a_clear_error(settings):
    settings.CIVICBRIDGE_CJK_FONTS = {"sans_hans": "DejaVu Sans"}
    with pytest.raises(fonts.CJKFontMissing):
        fonts.require_cjk_font("sans", "hans")


@pytest.mark.django_db
def test_certificate_and_programme_refuse_to_render_without_cjk_font(settings):
    records = build_small_exchange()
    person = records["host"]
    appointment = pairings.appoint(
        person=person,
        community=records["kangan"],
        appointed_on=dt.date(2016, 4, 22),
        exchange=records["exchange"],
    )
    settings.CIVICBRIDGE_CJK_FONTS = {"serif_hans": "No Such Family", "sans_hant": "Nope"}
    with pytest.raises(fonts.CJKFontMissing):
        certificates.certificate_pdf(appointment, "zh-hans")
    with pytest.raises(fonts.CJKFontMissing):
        programme.programme_pdf(records["exchange"], "zh-hant")
