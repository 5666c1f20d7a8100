"""The demo's news brief as a newsroom writes it (issue 14); the demo is loaded once for
this module (its places would clash with the other brief tests' factories)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from civicbridge.core import hans_hant
from civicbridge.documents import brief
from civicbridge.exchanges.models import Exchange
from tests.documents.test_brief_newsroom import _no_defects

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_exchange(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=StringIO())
            yield Exchange.objects.get()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- the demo ------------------------------------------------------------------------------


def test_demo_brief_reads_as_news(demo_exchange):
    written = brief.write_brief(demo_exchange, hans_hant.HANS)
    assert (
        written.headline == "台北市里长联谊会总会参访团赴海淀区、石景山区、延庆区、门头沟区参访交流"
    )
    lead = written.paragraphs[0]
    assert lead.startswith(
        "北京市讯　2016年4月22日，由台北市里长联谊会总会总会长、大屯里里长勤荣辉率领的参访团一行50人"
        "来到北京市海淀区、石景山区、延庆区、门头沟区参访交流。"
    )
    assert lead.endswith("参访团分为四个组，分赴海淀区、石景山区、延庆区、门头沟区开展参访交流。")
    # per group: its headline, what it did, its forum, its appointments (and no one else's)
    haidian = written.paragraphs[1:5]
    assert haidian[0] == "建立常态互访机制，谱写交流合作新篇章"
    assert haidian[1].startswith(
        "4月22日上午，台北市里长联谊会总会副会长、板溪里里长黄国辉带领的海淀区参访组一行12人"
        "来到海淀区，先后参观田村路街道阜四社区文化小院，出席京台社区大讲堂，"
    )
    assert haidian[2].startswith(
        "4月22日上午，以“走进海淀谱新章”为主题的京台社区大讲堂在阜四社区举行，"
        "海淀区参访组参加活动。台北市方面中正区板溪里里长黄国辉、大安区建伦里里长林正达、"
        "万华区绿堤里里长邱郁惠与北京市方面"
    )
    assert haidian[3] == (
        "活动中双方互赠礼品，田村路街道阜四社区聘请中正区板溪里里长黄国辉、大安区建伦里里长林正达、"
        "万华区绿堤里里长邱郁惠为荣誉主任，并颁发聘书。"
    )
    assert sum(p.count("聘请") for p in written.paragraphs) == 10  # 12 appointees, 10 communities
    assert written.paragraphs[-1].startswith("双方表示，今后将建立常态化的互访机制和沟通渠道")
    assert _no_defects(written.text()) == []
