"""People named in a report: a title, then a name (海淀区台办主任王锋), or a name, then a title
(勤荣辉总会长); a li chief named only by li and surname (尊贤里的潘里长)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Common surnames (single and double), enough to tell a name from the word after a title.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由勤连茍"
)
DOUBLE_SURNAMES = {
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "令狐",
    "张简",
    "范姜",
}

TITLE_WORDS = (
    "总干事",
    "秘书长",
    "理事长",
    "董事长",
    "总会长",
    "副会长",
    "会长",
    "主任委员",
    "主任",
    "书记",
    "部长",
    "副部长",
    "区长",
    "市长",
    "县长",
    "镇长",
    "乡长",
    "街道办主任",
    "里长",
    "村长",
    "主席",
    "局长",
    "处长",
    "科长",
    "常委",
    "委员",
    "议员",
    "议长",
    "代表",
    "干事",
    "社长",
    "校长",
    "院长",
    "馆长",
    "经理",
    "总经理",
    "站长",
    "所长",
    "团长",
    "副团长",
    "队长",
    "主委",
    "召集人",
    "负责人",
    "理事",
    "监事",
    "执行长",
    "总监",
    "老师",
    "教授",
    "园长",
    "厅长",
)
_TITLE = "|".join(sorted(TITLE_WORDS, key=len, reverse=True))
# What follows a name: a verb, a particle, punctuation.
_AFTER_NAME = (
    r"(?=一行|率|带|表示|说|介绍|致辞|讲|指出|认为|感慨|称|等|、|，|,|。|：|:|\s|在|为|的|先生|女士|"
    r"同志|和|与|及|也|就|对|向|还|则|参加|出席|陪同|主持|代表|分别|共同|一起|热情|详细|"
    r"首先|随后|作|做|通过|会见|分享|受聘|受邀|座谈|交谈|会谈|交流|见面|以|担任|出任|全程|签字|发言|颁发|会长|里长|连连|点头|笑|高兴|感慨|坦言|直言|透露|激动|深有|动情|三位|两位|四位|几位|等人|“|”|（|\(|$)"
)
TITLE_THEN_NAME = re.compile(
    rf"(?P<title>[\u4e00-\u9fff、]{{0,24}}?(?:{_TITLE}))(?P<name>[\u4e00-\u9fff]{{2,3}}?){_AFTER_NAME}"
)
_ALSO_NAMED = re.compile(rf"、(?P<name>[\u4e00-\u9fff]{{2,3}}?){_AFTER_NAME}")
NAME_THEN_TITLE = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{2,3})(?P<title>总会长|会长|理事长|主任|书记|里长)(?=率|带|一行|表示|，|、|的率|的带|$)"
)
# 尊贤里的潘里长 / 潘姓里长
LI_AND_SURNAME = re.compile(r"(?P<li>[\u4e00-\u9fff]{1,4}里)的?(?P<surname>[\u4e00-\u9fff])里长")

# Where a title starts: after punctuation or a word that cannot be part of it.
_TITLE_START = re.compile(
    r"^(?:.*?(?:由|和|与|及|向|对|在|据|了|是|将|请|邀|经|为|被|同|跟|给|让|当|请|有|，|。|、|：|“|”|\s))?"
)
NOT_NAMES = {
    "参访",
    "一行",
    "大家",
    "双方",
    "我们",
    "他们",
    "同胞",
    "居民",
    "社区",
    "基层",
    "参访团",
    "考察",
    "交流",
    "一起",
    "工作",
    "带领",
    "先后",
    "分别",
    "首先",
}
MAINLAND_MARKERS = (
    "台办",
    "区委",
    "市委",
    "县委",
    "镇委",
    "党委",
    "党组",
    "统战",
    "社会办",
    "人大",
    "政协",
    "街道",
    "居委",
    "书记",
    "政府",
    "民政",
    "社工委",
    "大陆",
    "省",
    "副区长",
    "区长",
    "市长",
    "镇长",
    "村委",
)
TAIWAN_MARKERS = (
    "里长",
    "台湾",
    "台北",
    "台中",
    "台南",
    "高雄",
    "新北",
    "桃园",
    "基隆",
    "联谊会",
    "协会",
    "议员",
    "民意代表",
    "议会",
    "邻长",
    "发展协会",
    "总干事",
    "理事长",
)


@dataclass
class Named:
    name: str
    title: str
    start: int  # of the whole phrase
    end: int
    name_start: int


_NOT_IN_NAMES = set("区市县省办会委团位誉社里镇街村部局处厅院馆园队组")


def _is_name(text: str) -> bool:
    if text in NOT_NAMES or len(text) < 2 or any(ch in _NOT_IN_NAMES for ch in text[1:]):
        return False
    if text[:2] in DOUBLE_SURNAMES:
        return len(text) in (3, 4)
    return text[0] in SURNAMES


def _trim_title(title: str) -> str:
    # Drop a leading verb or preposition the lazy pattern let in (由, 与, 在 …).
    match = re.match(r"^(?:.*[由和与及向对在据是将请邀为被同跟给让当、，。：“”\s了])", title)
    trimmed = title[match.end() :] if match else title
    return trimmed or title


def _four_character_names():
    surnames = "".join(sorted(c for c in SURNAMES if len(c) == 1))
    return re.compile(
        rf"(?P<title>[\u4e00-\u9fff、]{{0,24}}?(?:{_TITLE}))(?P<name>[{surnames}]{{2}}[\u4e00-\u9fff]{{2}}){_AFTER_NAME}"
    )


_FOUR = _four_character_names()
_AFTER = re.compile(_AFTER_NAME)


def people_in(folded: str, offset: int = 0) -> list[Named]:
    """Title-and-name phrases in a (folded) sentence."""
    out: list[Named] = []
    # 香湖里里长郭刘秀珠: a married woman's name in Taiwan (two surnames, then her own name).
    for match in _FOUR.finditer(folded):
        title = _trim_title(match.group("title"))
        start = match.start("title") + (len(match.group("title")) - len(title))
        name = match.group("name")
        at = match.start("name")
        if _AFTER.match(folded, at + 2) or _AFTER.match(folded, at + 3):
            continue  # 李华表示: a shorter name, then a verb
        out.append(
            Named(name, title, offset + start, offset + match.end(), offset + match.start("name"))
        )
    four = [(n.name_start - offset, n.end - offset) for n in out]
    for match in TITLE_THEN_NAME.finditer(folded):
        if any(s0 <= match.start("name") < e0 for s0, e0 in four):
            continue
        name = match.group("name")
        title = _trim_title(match.group("title"))
        # A three-character catch whose last character starts a verb: take two.
        if not _is_name(name):
            continue
        start = match.start("title") + (len(match.group("title")) - len(title))
        out.append(
            Named(name, title, offset + start, offset + match.end(), offset + match.start("name"))
        )
        # 里长董进龙、黄日新: the names after the first share its title.
        at = match.end()
        while (more := _ALSO_NAMED.match(folded, at)) and _is_name(more.group("name")):
            out.append(
                Named(
                    more.group("name"),
                    title,
                    offset + more.start("name"),
                    offset + more.end(),
                    offset + more.start("name"),
                )
            )
            at = more.end()
    for match in NAME_THEN_TITLE.finditer(folded):
        name = match.group("name")
        if _is_name(name) and not any(n.name_start <= offset + match.start() < n.end for n in out):
            out.append(
                Named(
                    name,
                    match.group("title"),
                    offset + match.start(),
                    offset + match.end(),
                    offset + match.start(),
                )
            )
    return out


def office_of(title: str) -> str:
    """The organisation a title names before its position (南京市台办副主任 → 南京市台办), or ""
    when the title is a position only."""
    match = re.search(rf"(?:常务副|副|代)?(?:{_TITLE})+$", title)
    office = title[: match.start()] if match else ""
    return office if len(office) >= 3 else ""


def side_of_title(title: str) -> str:
    taiwan = sum(marker in title for marker in TAIWAN_MARKERS)
    mainland = sum(marker in title for marker in MAINLAND_MARKERS)
    if taiwan > mainland:
        return "taiwan"
    if mainland > taiwan:
        return "mainland"
    return ""


# 北京花露蝴蝶园邓秀梅女士, 来自高雄市西燕社区发展协会的刘秀英女士: an organisation, a name.
ORG_THEN_NAME = re.compile(
    r"(?:来自)?(?P<title>[\u4e00-\u9fff]{3,24}?(?:园|馆|中心|协会|公司|学校|基金会|联谊会|合作社|企业|工作室))的?"
    r"(?P<name>[\u4e00-\u9fff]{2,3}?)(?:女士|先生)"
)


def org_people_in(folded: str, offset: int = 0) -> list[Named]:
    out = []
    for match in ORG_THEN_NAME.finditer(folded):
        name = match.group("name")
        if _is_name(name):
            title = _trim_title(match.group("title"))
            start = match.start("title") + (len(match.group("title")) - len(title))
            out.append(
                Named(
                    name,
                    title,
                    offset + start,
                    offset + match.end("name"),
                    offset + match.start("name"),
                )
            )
    return out
