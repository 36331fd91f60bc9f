"""The phrasing family of 第三部分 as regular expressions, in one place.

Every pattern is written for how departments phrase amounts, shares, changes,
lists, counts and reasons in general ("比上年增加A万元，增长R%", "同比下降R%",
"与上年持平", "占X的R%", "主要包括：…等", "原因是…"), not for one document.
Digits may be full-width; amounts may carry thousands separators.
"""

from __future__ import annotations

import re

DIGIT = "[0-9０-９]"
#: a printed number: 1,716.73 / 1716.73 / １７１６．７３ / １，７１６．７３ / 0
#: (a full-width comma between digit groups of three is a thousands separator, as in tables)
NUM = rf"{DIGIT}{{1,3}}(?:[,，]{DIGIT}{{3}})+(?![0-9０-９])(?:[.．]{DIGIT}+)?|{DIGIT}+(?:[.．]{DIGIT}+)?"
UNIT = r"亿元|万元|元"
#: an amount: number and money unit, not a rate (元/年, 元／家)
AMOUNT = re.compile(rf"(?<![0-9０-９.．,])(?P<num>{NUM})\s*(?P<unit>{UNIT})(?!\s*[/／每])")
PERCENT = re.compile(rf"(?<![0-9０-９.．])(?P<num>{NUM})\s*[%％]")

# A change: basis, direction word, optional amount, optional rate.
_BASIS = (r"(?P<basis>(?:比|较|与)(?:上年度?|上一年度?|(?P<year>\d{4})年度?)(?:年初)?(?:预算数?|同期|决算数?)?(?:相比|比较)?"
          r"|同比)")
_UP, _DOWN = "增加|增长|上升|提高|增|多", "减少|下降|降低|减|少"
_FLAT = "持平|相同|一致|无变化|没有变化|基本持平"
CHANGE = re.compile(
    rf"{_BASIS}\s*[，,]?\s*(?:(?P<flat>{_FLAT})|(?P<dir>{_UP}|{_DOWN})了?\s*"
    rf"(?:(?P<anum>{NUM})\s*(?P<aunit>{UNIT})|(?P<rnum0>{NUM})\s*[%％]))"
    rf"(?:\s*[，,、（(]?\s*(?:(?:{_UP}|{_DOWN})(?:幅度|率)?|增幅|降幅)(?:为|了|达)?\s*(?P<rnum>{NUM})\s*[%％][）)]?)?"
)
DIRECTION_UP = re.compile(_UP)

# A share: 占R% / 占比R% / 占X的R% / 占X比重为R%.
SHARE = re.compile(
    rf"占(?:比)?(?P<den>[^，,。；;%％0-9０-９]{{0,30}}?)(?:的?比重|的?比例)?(?:为|是)?的?\s*(?P<num>{NUM})\s*[%％]")

# A list of items under a subject: 主要包括：A、B、C等.
ITEMS = re.compile(r"(?:主要包括|主要包含|主要有|包括|包含)[:：]?(?P<list>[^。；;:：]+?)(?:等(?:方面|项目|支出)?)?(?=[。；;]|$)")

# A stated reason.
REASON = re.compile(r"(?:主要原因(?:是|为|系|[:：])|原因(?:是|为|系|主要是|在于|[:：])|主要是由于|主要由于|主要是因为|由于|因为|主要是)[:：]?"
                    r"(?P<reason>[^。；;]+)")

# A statement that something does not exist: 本部门无“三公”经费预算 / 没有政府性基金预算.
NONE = re.compile(r"(?:无|没有|未安排)(?P<what>[^，,。；;、无]{2,20}?)(?:预算|支出|收入|安排)?(?=[。；;，,]|$)")

# A count: 16个, 1家, 0辆, 0台（套）, 4162平方米.
COUNT = re.compile(rf"(?<![0-9０-９.．,])(?P<num>{DIGIT}+)\s*(?P<cls>台（套）|台\(套\)|平方米|个|家|辆|台|套|项|人|名|所|处|间)")
#: words before a count after which the counted noun follows the classifier ("所属1家行政单位")
COUNT_LEAD_VERBS = ("所属", "下属", "共有", "拥有", "有", "涉及", "其中", "包括", "共", "合计", "共计")
COUNT_NOUNS = re.compile(r"^(行政单位|事业单位|预算单位|二级单位|单位|项目|人)")

#: separators that end a clause (the words naming an amount sit between one and the amount)
CLAUSE_SEP = re.compile(r"[，,；;：:。、（(）)\n]")
STATEMENT_SEP = re.compile(r"[；;。\n]")
#: words that introduce rather than name: stripped from the start of a subject phrase
LEAD_FILLER = re.compile(r"^(?:其中|主要包括|主要包含|包括|主要用于以下方面|主要用于|用于|分别是|分别为|支出包括|"
                         r"\d{4}年度?|本部门|本单位|共计|合计|为|是)+")
#: "其中" opens a breakdown of the amount before it
BREAKDOWN = re.compile(r"其中")


def number_decimals(num: str) -> int:
    """Digits printed after the decimal point."""
    for sep in (".", "．"):
        if sep in num:
            return len(num.split(sep, 1)[1])
    return 0
