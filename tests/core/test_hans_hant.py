from civicbridge.core import hans_hant


def test_convert_name_keeps_real_names_from_the_report():
    pairs = {
        "勤荣辉": "勤榮輝",
        "黄国辉": "黃國輝",
        "邱郁惠": "邱郁惠",
        "何丽玲": "何麗玲",
        "许颜建": "許顏建",
        "黄聪智": "黃聰智",
        "全宏强": "全宏強",
        "慈佑里": "慈佑里",
        "阜四社区": "阜四社區",
        "龙泉务社区": "龍泉務社區",
    }
    assert {s: hans_hant.convert_name(s, hans_hant.HANT) for s in pairs} == pairs
    assert {t: hans_hant.convert_name(t, hans_hant.HANS) for t in pairs.values()} == {
        t: s for s, t in pairs.items()
    }


def test_convert_name_keeps_rare_and_private_use_characters():
    assert hans_hant.convert_name("連圀堂", hans_hant.HANS) == "连圀堂"
    assert hans_hant.convert_name("林錫\ue000", hans_hant.HANS) == "林锡\ue000"


def test_convert_text_does_not_rewrite_vocabulary():
    assert hans_hant.convert_text("社区养老", hans_hant.HANT) == "社區養老"
    assert hans_hant.convert_text("臺北市里長聯誼會總會", hans_hant.HANS) == "台北市里长联谊会总会"


def test_search_key_matches_either_script():
    assert hans_hant.search_key("臺北市 大安區") == hans_hant.search_key("台北市大安区")


def test_convert_text_keeps_li_as_li_in_titles():
    assert hans_hant.convert_text("里長", hans_hant.HANT) == "里長"
    assert hans_hant.convert_text("里长", hans_hant.HANT) == "里長"


def test_convert_text_spells_known_li_as_their_records(demo):
    assert hans_hant.convert_text("总会长、大屯里里长", hans_hant.HANT) == "總會長、大屯里里長"
    assert hans_hant.convert_text("建伦里里长林正达", hans_hant.HANT) == "建倫里里長林正達"
    assert hans_hant.convert_text("八角北里社区", hans_hant.HANT) == "八角北里社區"
    assert hans_hant.convert_text("邱郁惠介绍万华区", hans_hant.HANT) == "邱郁惠介紹萬華區"
