"""The news brief as a newsroom writes it (issue 14): headline, dateline and lead, a
paragraph per group or per day, a paragraph per forum, appointments and agreements in
formal wording, a closing; for the demo, a mainland delegation at a Taiwan li without
groups and a two-day two-group visit. Stored once, shown in either script; Word and PDF."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from civicbridge.core import hans_hant
from civicbridge.documents import brief, selectors, services
from tests.factories import build_brief_mainland_to_li, build_brief_two_days_two_groups

pytestmark = pytest.mark.django_db


DEFECTS = ("参访团基层参访团", "来到进行", "来到，", "。。", "基层参访团赴")


def _no_defects(text):
    return [d for d in DEFECTS if d in text]


# --- a mainland delegation at a Taiwan li, no groups --------------------------------------


def test_mainland_delegation_at_a_li_reads_as_news():
    world = build_brief_mainland_to_li()
    written = brief.write_brief(world["exchange"], hans_hant.HANS)
    assert written.headline == "上海市虹口区社区工作者交流团赴台北市中正区板溪里参访交流"
    assert written.paragraphs == [
        "台北市讯　2019年5月14日至15日，由嘉兴路街道党工委书记陈立新率领的"
        "上海市虹口区社区工作者交流团一行20余人来到台北市中正区板溪里，开展为期两天的参访交流。",
        "5月14日上午，交流团先后参观板溪里社区关怀据点，出席两岸社区治理座谈会。",
        "5月14日下午，以“社区照护与邻里互助”为主题的两岸社区治理座谈会在板溪里举行。"
        "上海市方面嘉兴路街道党工委书记陈立新与台北市方面板溪里里长黄国辉先后发言，"
        "介绍了各自社区的工作经验。双方围绕长者照护等议题进行了深入交流。双方商定每年互访一次。",
        "5月15日上午，交流团出席签约仪式。",
        "5月15日，上海市虹口区嘉兴路街道与台北市中正区板溪里正式签署"
        "《嘉兴路街道与板溪里交流合作协议》，嘉兴路街道党工委书记陈立新、板溪里里长黄国辉"
        "代表各方在协议上签字。",
        "嘉兴路街道党工委书记陈立新表示：“欢迎板溪里的朋友明年到虹口走一走。”",
        "此次参访交流活动在融洽友好的氛围中圆满结束，双方表达了今后常来常往、深化交流合作的愿望。",
    ]
    text = written.text()
    assert "京台" not in text and "北京" not in text
    assert _no_defects(text) == []


def test_mainland_delegation_in_traditional_keeps_names_as_stored():
    world = build_brief_mainland_to_li()
    written = brief.write_brief(world["exchange"], hans_hant.HANT)
    assert written.headline == "上海市虹口區社區工作者交流團赴臺北市中正區板溪里參訪交流"
    forum = written.paragraphs[2]
    assert "板溪里里長黃國輝" in forum
    assert forum.startswith("5月14日下午，以“社區照護與鄰里互助”為主題的兩岸社區治理座談會")


# --- two days, two groups, the whole delegation's forum and ceremony ---------------------


def test_two_days_two_groups_reads_as_news():
    world = build_brief_two_days_two_groups()
    written = brief.write_brief(world["exchange"], hans_hant.HANS)
    assert written.headline == "台北市里长联谊会总会参访团赴海淀区、石景山区参访交流"
    assert written.paragraphs == [
        "北京市讯　2016年4月22日至23日，台北市里长联谊会总会参访团一行30人来到北京市海淀区、"
        "石景山区，开展为期两天的参访交流。参访团分为两个组，分赴海淀区、石景山区开展参访交流。",
        "4月22日上午，台北市里长联谊会总会副会长、板溪里里长黄国辉带领的海淀组来到海淀区，"
        "参观阜四社区文化小院。4月23日上午，该组参观植物科普馆。",
        "4月22日上午，台北市里长联谊会总会会长、慈祐里里长李祖民带领的石景山组来到石景山区，"
        "参观八角北里社区养老中心。4月23日上午，该组参观法海寺。",
        "4月23日下午，全团先后出席社区大讲堂、聘任仪式。",
        "4月23日下午，以“走进海淀谱新章”为主题的社区大讲堂在阜四社区举行。"
        "台北市方面中正区板溪里里长黄国辉与北京市方面海淀区台办主任王锋先后发言，"
        "介绍了各自社区的工作经验。双方同意建立固定的沟通渠道。",
        "活动中，田村路街道阜四社区聘请中正区板溪里里长黄国辉、松山区慈祐里里长李祖民为荣誉主任，"
        "并颁发聘书。",
        "此次参访交流活动在融洽友好的氛围中圆满结束，双方表达了今后常来常往、深化交流合作的愿望。",
    ]
    text = written.text()
    # the forum and the ceremony once, each appointee once, no district twice in a row
    assert text.count("走进海淀谱新章") == 1
    assert text.count("聘请") == 1
    assert "海淀区海淀区" not in text and "京台" not in text
    assert _no_defects(text) == []


def test_the_brief_reads_each_group_as_the_one_selection_does():
    """What a group did is ``selectors.activities_for(exchange, group=…)``: its own and the
    whole delegation's (the brief reads them once and applies the same rule)."""
    world = build_brief_two_days_two_groups()
    exchange = world["exchange"]
    writer = brief._Writer(exchange, hans_hant.HANS)
    for group in world["groups"]:
        assert [a.pk for a in writer._acts_of(group)] == [
            a.pk for a in selectors.activities_for(exchange, group=group)
        ]


# --- stored once, Word and PDF --------------------------------------------------------------


def test_stored_once_and_shown_in_either_script():
    exchange = build_brief_mainland_to_li()["exchange"]
    assert brief.brief_script(exchange) == hans_hant.HANT  # hosted at a Taiwan li
    draft = brief.build_brief(exchange, hans_hant.HANS)
    saved = services.save_news_brief(exchange=exchange, script="hans", text=draft, based_on=0)
    assert saved.script == hans_hant.HANT
    assert brief.shown_in(saved, hans_hant.HANT) == brief.build_brief(exchange, "hant").strip()
    assert brief.current_brief(exchange, hans_hant.HANT).headline == (
        "上海市虹口區社區工作者交流團赴臺北市中正區板溪里參訪交流"
    )


def _docx_text(data: bytes):
    document = Document(io.BytesIO(data))
    return document, [p.text for p in document.paragraphs]


def test_the_word_brief_holds_the_same_text_in_office_fonts():
    world = build_brief_two_days_two_groups()
    written = brief.write_brief(world["exchange"], hans_hant.HANS)
    document, texts = _docx_text(brief.brief_docx(written, hans_hant.HANS))
    assert texts == [written.headline, *written.paragraphs]
    east_asian = [
        p.runs[0]._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        for p in document.paragraphs
    ]
    assert east_asian == ["方正小标宋简体"] + ["仿宋"] * len(written.paragraphs)


def test_the_word_download_is_the_latest_version(client, django_user_model):
    exchange = build_brief_mainland_to_li()["exchange"]
    services.save_news_brief(exchange=exchange, script="hant", text="標題\n\n第一段。", based_on=0)
    user = django_user_model.objects.create_superuser("brief-admin", "b@example.org", "x-pass-1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("documents:brief_docx", args=[exchange.pk]) + "?script=hans")
    assert response.status_code == 200
    assert _docx_text(response.content)[1] == ["标题", "第一段。"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_the_pdf_brief_embeds_subset_cjk_fonts(tmp_path):
    world = build_brief_two_days_two_groups()
    written = brief.write_brief(world["exchange"], hans_hant.HANS)
    pdf = brief.brief_pdf(written, hans_hant.HANS)
    assert pdf[:5] == b"%PDF-"
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [shutil.which("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    cjk = [line for line in listing if "CJK" in line]
    assert cjk
    for line in cjk:
        name, *_rest = line.split()
        assert "+" in name  # a subset: ABCDEF+NotoSerifCJKsc-Regular
        assert " yes yes " in line  # embedded, subset
