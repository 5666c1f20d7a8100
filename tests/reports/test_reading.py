"""Reading reports into facts (reports/reading): reports written for these tests in the style
of the genre (our own sentences, real places and li chiefs of the test directory: Beijing and
Taipei), in both scripts, with and without a year, with groups, in both directions."""

import datetime as dt
import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from civicbridge.reports.reading.extract import read_report
from civicbridge.reports.reading.source import UnreadableReport, load_bytes

# Taipei li chiefs to two Beijing districts, in two groups: every fact type the seed has.
TO_BEIJING = """source: https://example.org/news/1
published: 2019-05-20

台北里长参访团走进西城东城社区

本报北京5月19日电（记者 张明）5月18日至19日，由郑秀郎里长率领的台北市大安区里长联谊会参访团一行30人，\
在北京市台办工作人员陪同下，来到西城区、东城区参访交流。参访团分成两个组，分别走访了两区的社区。

西城区：交流社区治理经验

18日上午，大安区里长联谊会副会长温美珠一行15人来到西城区，首先参观了西长安街街道钟声社区文化中心，\
随后在钟声社区举办了主题为“同心共建美好家园”的京台社区大讲堂。双方就垃圾分类、社区养老、志愿服务等问题\
进行了交流。西城区台办主任王建国介绍了西城区社区建设情况。大讲堂上，钟声社区聘请大安区锦华里里长温美珠为\
社区荣誉主任。最后双方互赠礼物。

东城区：深化两岸基层交流

19日，参访团另一组一行15人来到东城区，参观了东华门街道多福巷社区和故宫博物院。东华门街道多福巷社区与\
台北市大安区仁爱里结为友好社区。
"""

# A Beijing delegation to Taipei, written in Traditional; an agreement; no publication date.
TO_TAIPEI = """北京東城區社區參訪團赴臺北交流

2018年10月9日，北京市東城區社區參訪團一行8人赴臺北市交流，拜會了臺北市中正區文盛里，並參觀了中正區板溪里的\
社區活動中心。東華門街道辦事處主任李華表示，希望兩岸社區加強交流。文盛里里長溫紹宏介紹了里辦公處的服務經驗。\
東城區東華門街道智德社區與中正區文盛里簽訂了社區交流合作協議。
"""

# No year anywhere: 林宜蓁 was 仁爱里's chief only in the 2022 term, so the register is read
# in that term, where 锦华里's chief surnamed 温 is 温美珠.
NO_YEAR = """京台社区大讲堂在钟声社区举行

5月18日下午，台北市大安区里长参访团一行12人来到西城区西长安街街道钟声社区，举办京台社区大讲堂。\
仁爱里里长林宜蓁介绍了台北社区营造的经验。钟声社区聘请锦华里的温里长为社区荣誉主任。
"""


# Traditional, with 「」 quotes and a signed pairing agreement.
TAIPEI_CHIEFS_IN_BEIJING = """臺北市中正區里長訪問團赴京交流 兩岸基層共話社區治理\
\
（記者 王小明／北京報導）臺北市中正區里長聯誼會理事長溫紹宏率領「中正區里長訪問團」一行22人，於11月5日至8日前往北京市進行社區參訪交流，先後造訪東城區、西城區等地的社區。\
\
訪問團5日抵達北京後，隨即前往東城區東華門街道多福巷社區，了解社區居家養老服務及垃圾分類工作。多福巷社區黨委書記張麗表示，兩岸社區在為老服務方面各有所長，希望未來加強交流。6日，訪問團來到西城區西長安街街道，參觀了鐘聲社區居民議事廳，並與社區工作者座談，雙方就社區營造、長期照顧等議題交換意見。\
\
在交流座談會上，鐘聲社區與中正區文盛里簽署了結對協議，雙方約定每年互訪一次。溫紹宏表示，此行收穫很多，回臺後將把大陸社區的好做法帶回里內。
"""

# A mainland delegation to three Taipei li: a gift from a chief, a figure about a programme.
BEIJING_WORKERS_IN_TAIPEI = """北京社区工作者赴台交流\
\
本网讯 日前，北京市西城区社区工作者交流团一行15人赴台湾，先后走访了台北市大安区锦华里、仁爱里以及中正区板溪里，与当地里长就社区志愿服务、长者照顾等进行了深入交流。\
\
交流团团长、西城区民政局副局长刘洋表示，两岸基层社区有很多值得相互借鉴的地方。锦华里里长温美珠向交流团赠送了里内特色手工艺品。据了解，自2015年以来，西城区已累计组织12批社区工作者赴台交流。
"""


# An alliance launched by two communities and two li, and an earlier visit.
ALLIANCE_LAUNCHED = """京台社区共建联盟在西城区成立\
\
2019年6月12日上午，西城区西长安街街道钟声社区、东华门街道多福巷社区与台北市大安区锦华里、仁爱里共同发起成立“京台社区发展联盟”，承诺每年互访一次、共办一场京台社区大讲堂。此前，锦华里里长温美珠曾于2017年率团到钟声社区参访交流。
"""


def _facts(document, kind, *fields):
    return [tuple(f.get(name) for name in fields) for f in document["facts"] if f["type"] == kind]


@pytest.mark.django_db
def test_a_simplified_report_of_taipei_li_chiefs_in_two_beijing_districts(directory):
    document = read_report(TO_BEIJING)

    assert (document["published"], document["script"], document["url"]) == (
        "2019-05-20",
        "hans",
        "https://example.org/news/1",
    )
    assert document["headline"] == "台北里长参访团走进西城东城社区"
    assert _facts(document, "date", "start", "end") == [("2019-05-18", "2019-05-19")]
    assert _facts(document, "delegation", "organisation", "size", "leader", "leader_title") == [
        ("台北市大安区里长联谊会", 30, "郑秀郎", "里长")
    ]
    assert _facts(document, "host", "place", "code") == [("西城区", "110102"), ("东城区", "110101")]
    assert _facts(document, "escort", "organisation") == [("北京市台办",)]
    assert _facts(document, "group", "host", "size", "leader") == [
        ("西城区", 15, "温美珠"),
        ("东城区", 15, None),
    ]
    assert _facts(document, "visit", "venue", "code", "group") == [
        ("钟声社区文化中心", None, "西城区"),
        ("钟声社区", "110102001018", "西城区"),
        ("多福巷社区", "110101001001", "东城区"),
        ("故宫博物院", None, "东城区"),
    ]
    assert _facts(document, "forum", "theme", "host", "group") == [
        ("同心共建美好家园", "钟声社区", "西城区")
    ]
    assert _facts(document, "topic", "topic") == [
        ("社区治理",),
        ("垃圾分类",),
        ("社区养老",),
        ("志愿服务",),
    ]
    assert _facts(document, "person", "name", "title", "side", "place") == [
        ("郑秀郎", "里长", "taiwan", None),
        ("温美珠", "大安区里长联谊会副会长", "taiwan", "锦华里"),
        ("王建国", "西城区台办主任", "mainland", None),
    ]
    assert _facts(document, "appointment", "person", "community", "li", "register") == [
        ("温美珠", "钟声社区", "锦华里", None)
    ]
    assert _facts(document, "pairing", "a", "b", "kind") == [
        ("锦华里", "钟声社区", "honorary"),
        ("多福巷社区", "仁爱里", "friendly"),
    ]
    assert _facts(document, "gift", "from", "to") == [("钟声社区", "台北市大安区里长联谊会")]
    # Every span points at the words of the text as read.
    for fact in document["facts"]:
        start, end = fact["span"]
        assert 0 <= start < end <= len(TO_BEIJING)


@pytest.mark.django_db
def test_a_traditional_report_of_a_beijing_delegation_to_taipei_keeps_its_script(directory):
    document = read_report(TO_TAIPEI)

    assert (document["published"], document["script"]) == (None, "hant")
    assert _facts(document, "date", "start", "end") == [("2018-10-09", "2018-10-09")]
    assert _facts(document, "delegation", "organisation", "size") == [("北京市東城區社區參訪團", 8)]
    assert _facts(document, "host", "place", "code") == [
        ("臺北市", "63000"),
        ("中正區", "63000050"),
    ]
    assert _facts(document, "visit", "venue", "code")[0] == ("文盛里", "63000050003")
    assert _facts(document, "person", "name", "title", "side", "place") == [
        ("李華", "東華門街道辦事處主任", "mainland", None),
        ("溫紹宏", "文盛里里長", "taiwan", "文盛里"),
    ]
    assert _facts(document, "agreement", "parties", "subject") == [
        (["智德社區", "文盛里"], "社區交流合作協議")
    ]
    assert _facts(document, "pairing", "a", "b", "kind") == [("智德社區", "文盛里", "agreement")]


@pytest.mark.django_db
def test_a_report_without_a_year_reads_the_register_in_the_term_of_the_chiefs_it_names(directory):
    document = read_report(NO_YEAR)

    assert _facts(document, "date", "start") == []  # 5月18日 of which year: not guessed
    assert _facts(document, "appointment", "person", "community", "li", "register") == [
        ("温美珠", "钟声社区", "锦华里", True)
    ]
    assert _facts(document, "person", "name", "place") == [("林宜蓁", "仁爱里")]


@pytest.mark.django_db
def test_a_chief_the_text_misspells_is_given_the_register_name_with_both_spellings(directory):
    text = NO_YEAR.replace("钟声社区聘请锦华里的温里长", "钟声社区聘请锦华里里长温美株")

    appointment = next(f for f in read_report(text)["facts"] if f["type"] == "appointment")

    assert (appointment["person"], appointment["note"]) == (
        "温美珠",
        "来源写作“温美株”；里长名册（2022年届）为“溫美珠”",
    )


@pytest.mark.django_db
def test_the_command_prints_the_facts_document(directory, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(NO_YEAR, encoding="utf-8")
    out = StringIO()

    call_command("ingest_report", str(path), "--facts", "--published", "2023-05-20", stdout=out)

    document = json.loads(out.getvalue())
    assert (document["format"], document["version"], document["published"]) == (
        "civicbridge-report-facts",
        1,
        "2023-05-20",
    )
    assert _facts(document, "date", "start", "end") == [("2023-05-18", "2023-05-18")]


@pytest.mark.django_db
def test_the_command_refuses_what_it_cannot_read(directory, tmp_path):
    bad = tmp_path / "report.pdf"
    bad.write_bytes(b"%PDF-1.4")

    with pytest.raises(CommandError) as unreadable:
        call_command("ingest_report", str(bad), stdout=StringIO())
    with pytest.raises(CommandError) as bad_date:
        call_command("ingest_report", str(bad), "--published", "2023-02-30", stdout=StringIO())

    assert str(unreadable.value) == f"{bad}: Reports are read from .txt, .html and .docx files."
    assert str(bad_date.value) == "--published: '2023-02-30' is not a date (YYYY-MM-DD)."


def test_a_web_page_is_read_without_its_chrome():
    page = (
        "<html><head><title>x</title><style>p{}</style><script>var a='台北';</script></head>"
        "<body><nav>首页 新闻 台湾 两岸社区交流合作平台</nav><h1>台北里长参访团走进西城社区</h1>"
        "<p>5月18日，台北市大安区里长参访团一行12人来到西城区西长安街街道钟声社区参观交流，双方就社区养老等问题进行了交流。</p>"
        "<footer>版权所有 两岸社区交流合作平台 联系我们</footer></body></html>"
    )

    loaded = load_bytes(page.encode("utf-8"), "report.html")

    assert loaded.text == (
        "台北里长参访团走进西城社区\n\n5月18日，台北市大安区里长参访团一行12人来到西城区西长安街街道钟声社区参观交流，"
        "双方就社区养老等问题进行了交流。"
    )


def test_a_word_file_is_read_paragraph_by_paragraph():
    import docx  # noqa: PLC0415 (heavy)

    document = docx.Document()
    document.add_paragraph("台北里长参访团走进西城社区")
    document.add_paragraph("5月18日，台北市大安区里长参访团一行12人来到西城区。")
    data = io.BytesIO()
    document.save(data)

    loaded = load_bytes(data.getvalue(), "report.docx")

    assert (
        loaded.text
        == "台北里长参访团走进西城社区\n\n5月18日，台北市大安区里长参访团一行12人来到西城区。"
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x00\x01\x02" * 10, "report.txt", "The file holds NUL characters: it is not a text."),
        (b"\xff\xfe\xfa" * 3, "report.txt", "The file is not text in UTF-8, GB18030 or Big5."),
        (b"x" * (5 * 1024 * 1024 + 1), "report.txt", "The file is larger than 5 MB."),
        (b"PK\x03\x04 not really", "report.docx", "The Word file cannot be read."),
        (b"text", "report.exe", "Reports are read from .txt, .html and .docx files."),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, name, message):
    with pytest.raises(UnreadableReport) as refused:
        load_bytes(data, name)

    assert str(refused.value) == message


@pytest.mark.django_db
def test_hostile_text_reads_without_error(directory):
    text = "台北\u202e里长\ue000参访团<script>alert(1)</script>一行5人来到西城区" + "社区" * 3000

    document = read_report(text, published=dt.date(2020, 1, 1))

    assert _facts(document, "host", "place", "code") == [("西城区", "110102")]


@pytest.mark.django_db
def test_traditional_quotes_and_a_signed_pairing(directory):
    document = read_report(TAIPEI_CHIEFS_IN_BEIJING, published=dt.date(2019, 11, 10))

    assert _facts(document, "date", "start", "end") == [("2019-11-05", "2019-11-08")]
    assert _facts(document, "delegation", "organisation", "size", "leader") == [
        ("「中正區里長訪問團」", 22, "溫紹宏")
    ]
    assert _facts(document, "visit", "venue", "code") == [
        ("多福巷社區", "110101001001"),
        ("鐘聲社區", "110102001018"),
    ]
    assert _facts(document, "topic", "topic") == [("為老服務",), ("社區營造",), ("長期照顧",)]
    assert _facts(document, "pairing", "a", "b", "kind") == [("鐘聲社區", "文盛里", "agreement")]


@pytest.mark.django_db
def test_a_mainland_delegation_to_taipei_li_with_a_gift_and_a_figure(directory):
    document = read_report(BEIJING_WORKERS_IN_TAIPEI, published=dt.date(2019, 11, 10))

    assert _facts(document, "date", "start") == []  # 日前: no day
    assert _facts(document, "host", "place", "code") == [
        ("大安区", "63000030"),
        ("中正区", "63000050"),
    ]
    assert _facts(document, "visit", "venue", "code") == [
        ("锦华里", "63000030021"),
        ("仁爱里", "63000030005"),
        ("板溪里", "63000050008"),
    ]
    assert _facts(document, "gift", "from", "to", "what") == [
        ("温美珠", "交流团", "里内特色手工艺品")
    ]
    assert _facts(document, "statistic", "figure", "unit") == [(12, "社区工作者")]


@pytest.mark.django_db
def test_an_alliance_with_its_founders_and_an_earlier_visit(directory):
    document = read_report(ALLIANCE_LAUNCHED, published=dt.date(2019, 6, 13))

    assert _facts(document, "date", "start") == [("2019-06-12",)]
    assert _facts(document, "alliance", "name", "members") == [
        ("京台社区发展联盟", ["钟声社区", "多福巷社区", "锦华里", "仁爱里"])
    ]
    assert _facts(document, "related_exchange", "who", "where") == [
        ("锦华里里长温美珠", "钟声社区")
    ]


@pytest.mark.django_db
def test_a_mirrors_artefacts_are_read_through(directory):
    # A mirror writes 裡 for 里 and 仲 for 中: 仲正區文盛裡 is 中正區文盛里.
    text = "2018年10月9日，北京市東城區社區參訪團一行8人赴臺北市仲正區文盛裡參訪交流。"

    document = read_report(text)

    assert _facts(document, "host", "place", "code") == [
        ("仲正區", "63000050"),
    ]
    assert _facts(document, "visit", "venue", "code") == [("文盛裡", "63000050003")]
