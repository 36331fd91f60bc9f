"""The phrasing family of 情况说明 as regular expressions, in one place.

Every pattern is written for how departments phrase amounts, shares, changes,
lists, counts and reasons in general ("比上年增加A万元，增长R%", "同比下降R%",
"与上年持平", "占X的R%", "主要包括：…等", "原因是…"), not for one document.
Digits may be full-width; amounts may carry thousands separators.

What differs between formats — which words say *which figure* of an item an
amount is (年初预算 / 支出决算 / 当年预算执行数 / 预算安排), how a completion rate
is written (完成年初预算的R%), whether a change may name its subject after the
basis ("与2023年度相比，收入支出总计减少A万元") — is data: the ``grammar:`` block
of ``templates/<template>.narrative.yaml``, read into a ``Grammar``. A template
without one gets ``DEFAULT_GRAMMAR`` (every phrasing known), so a narrative
excerpt checked without its format is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

DIGIT = "[0-9０-９]"
#: a printed number: 1,716.73 / 1716.73 / １７１６．７３ / １，７１６．７３ / 0
#: (a full-width comma between digit groups of three is a thousands separator, as in tables)
NUM = rf"{DIGIT}{{1,3}}(?:[,，]{DIGIT}{{3}})+(?![0-9０-９])(?:[.．]{DIGIT}+)?|{DIGIT}+(?:[.．]{DIGIT}+)?"
UNIT = r"亿元|万元|元"
#: ``NUM`` after its first digit (the same numbers, tried in the same order)
_NUM_AFTER_FIRST = (rf"(?:{DIGIT}{{0,2}}(?:[,，]{DIGIT}{{3}})+(?![0-9０-９])(?:[.．]{DIGIT}+)?"
                    rf"|{DIGIT}*(?:[.．]{DIGIT}+)?)")
#: an amount: number and money unit, not a rate (元/年, 元／家). The number is not glued to a digit, point or
#: comma before it, checked after its first digit (as COUNT's): a pattern starting with a digit is searched for digits
AMOUNT = re.compile(rf"(?P<num>{DIGIT}(?<![0-9０-９.．,]{DIGIT}){_NUM_AFTER_FIRST})\s*(?P<unit>{UNIT})(?!\s*[/／每])")
PERCENT = re.compile(rf"(?<![0-9０-９.．])(?P<num>{NUM})\s*[%％]")

_UP, _DOWN = "增加|增长|上升|提高|增|多", "减少|下降|降低|减|少"
_FLAT = "基本持平|持平|相同|一致|无变化|没有变化"
#: a template's unedited alternative after a direction word: 下降（增长）
_ALT = rf"(?:[（(](?:{_UP}|{_DOWN})[）)])?"
#: a parenthetical aside inside a basis: 比2022年（上一年度，下同）预算
_ASIDE = r"(?:[（(][^（）()]{0,12}[）)])?"
_BASIS = (rf"(?P<basis>(?:比|较|与)(?:上年度?|上一年度?|(?P<year>\d{{4}})年度?){_ASIDE}(?:同期)?"
          r"(?:年初)?(?:当年)?(?:预算执行数|执行数|预算数?|决算数?)?(?:相比|比较)?"
          r"|同比)")
_RATE_TAIL = (rf"(?:\s*[，,、（(]?\s*(?:同比|比上年)?(?:(?:{_UP}|{_DOWN})(?:幅度|率)?{_ALT}|增幅|降幅)(?:为|了|达)?\s*"
              rf"(?P<rnum>{NUM})\s*[%％][）)]?)?")
#: a change: basis, direction word, optional amount, optional rate
CHANGE = re.compile(
    rf"{_BASIS}\s*[，,]?\s*(?:(?P<flat>{_FLAT})(?:\s*(?P<famt>{NUM})\s*(?:{UNIT}))?|(?P<dir>{_UP}|{_DOWN})了?{_ALT}\s*"
    rf"(?:(?P<anum>{NUM})\s*(?P<aunit>{UNIT})|(?P<rnum0>{NUM})\s*[%％]))" + _RATE_TAIL
)
#: the subject after the basis: 与2023年度相比，收入支出总计减少56.95万元，下降1.87%
CHANGE_SUBJECT_AFTER = re.compile(
    rf"(?P<basis>与(?:上年度?|上一年度?|(?P<year>\d{{4}})年度?)(?:同期)?相比|(?:比|较)(?:上年度?|上一年度?|(?P<year2>\d{{4}})年度?))"
    rf"\s*[，,]\s*(?P<subj>[^，,。；;：:0-9０-９%％]{{2,30}}?)\s*"
    rf"(?:(?P<flat>{_FLAT})|(?P<dir>{_UP}|{_DOWN})了?{_ALT}\s*(?P<anum>{NUM})\s*(?P<aunit>{UNIT}))" + _RATE_TAIL
)
#: a change without basis, amount and rate both given (inside a breakdown that named the basis):
#: 公务接待费支出决算减少0.15万元，下降27.78%
CHANGE_BARE = re.compile(
    rf"(?P<dir>{_UP}|{_DOWN})了?\s*(?P<anum>{NUM})\s*(?P<aunit>{UNIT})\s*[，,]\s*"
    rf"(?:{_UP}|{_DOWN})(?:幅度|率)?{_ALT}(?:为|了|达)?\s*(?P<rnum>{NUM})\s*[%％]"
)
DIRECTION_UP = re.compile(_UP)
#: every change names its basis with one of these (比上年 / 较上年 / 与上年相比 / 同比)
BASIS_CHARS = ("比", "较", "与")

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

# A count: 16个, 1家, 0辆, 0台（套）, 4162平方米. The number is not glued to a digit, point or comma before it;
# that is checked after its first digit (the two characters there are no "X digit"), not before it: a pattern
# that starts with a digit is searched for digits, one that starts with a look-behind is tried at every character.
COUNT = re.compile(rf"(?P<num>{DIGIT}(?<![0-9０-９.．,]{DIGIT}){DIGIT}*)\s*(?P<cls>台（套）|台\(套\)|台/套|平方米|人次|批次|个|家|辆|台|套|项|人|名|所|处|间)")
#: words before a count after which the counted noun follows the classifier ("所属1家行政单位")
COUNT_LEAD_VERBS = ("所属", "下属", "共有", "拥有", "有", "涉及", "其中", "包括", "共", "合计", "共计")
COUNT_NOUNS = re.compile(r"^(行政单位|事业单位|预算单位|二级单位|单位|项目|人)")

#: separators that end a clause (the words naming an amount sit between one and the amount)
CLAUSE_SEP = re.compile(r"[，,；;：:。、（(）)\n]")
STATEMENT_SEP = re.compile(r"[；;。\n]")
#: a short parenthetical that is part of a name, not a clause: 因公出国（境）费, （类）, 维修（护）费, （一）
WORD_BRACKET = re.compile(r"[（(][^（）()0-9０-９，,。；;：:]{1,2}[）)]")
#: words that introduce rather than name: stripped from the start of a subject phrase
LEAD_FILLER = re.compile(r"^(?:其中|主要包括|主要包含|包括|主要用于以下方面|主要用于|用于|分别是|分别为|支出包括|"
                         r"[（(][一二三四五六七八九十]{1,3}[）)]、?|[0-9]{1,3}[.、．]|"
                         r"\d{4}年度?|本部门|本单位|共计|合计|为|是|[“”\"])+")
#: "其中" opens a breakdown of the amount before it
BREAKDOWN = re.compile(r"其中")
#: a paragraph that starts an enumerated item: 1. / 2、 / （一） / (二)、
ENUMERATED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]{1,3}[）)]、?|[一二三四五六七八九十]{1,3}、|[0-9]{1,3}\s*[.、．](?![0-9]))")
#: a functional classification path as the documents write it: “一般公共服务支出（类）财政事务（款）行政运行（项）”
_NAME = r"[^“”\"（）()，,。；;：:、\s0-9０-９]+?"
PATH = re.compile(rf"(?P<lei>{_NAME})\s*[（(]类[）)]\s*(?:(?P<kuan>{_NAME})\s*[（(]款[）)]\s*(?:(?P<xiang>{_NAME})\s*[（(]项[）)])?)?")
#: an amount that is a threshold, not a stated amount: 单价50万元以上, 价值50万元（原值）以上
#: (BEFORE ends its phrase, at most THRESHOLD_BEFORE_SPAN characters long; AFTER is matched at the amount's end)
THRESHOLD_BEFORE = re.compile(r"(?:单价|价值|原值|标准|限额)[^，,。；;]{0,4}$")
THRESHOLD_BEFORE_SPAN = 2 + 4
THRESHOLD_AFTER = re.compile(r"\s*(?:[（(][^（）()]{0,4}[）)])?\s*(?:及|或)?(?:以上|以下|以内)")


def number_decimals(num: str) -> int:
    """Digits printed after the decimal point."""
    for sep in (".", "．"):
        if sep in num:
            return len(num.split(sep, 1)[1])
    return 0


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# ---------------------------------------------------------------- per-format phrasing (data)

#: Which figure of an item an amount states. ``current`` and ``actual`` are the document's own year
#: (the budget a 预算 document sets, the 决算 a final account reports): the tables hold them.
MEASURES = ("current", "actual", "budget", "prior")

DEFAULT_DATA = {
    "default_measure": "current",
    "measures": {
        "prior": ["当年预算执行数", "预算执行数", "上年执行数"],
        "budget": ["年初预算数", "年初预算"],
        "actual": ["支出决算数", "支出决算", "决算数", "决算"],
        "current": ["预算安排"],
    },
    "completion": ["完成年初预算的", "完成预算的", "完成年初预算", "完成预算"],
    "versus": {"actual": ["决算数"], "budget": ["年初预算数", "预算数"]},
    "subject_after_basis": True,
    "bare_changes": True,
}


@dataclass(frozen=True)
class Grammar:
    """The phrasings of one format, compiled from its vocabulary file's ``grammar:`` block."""

    default_measure: str = "current"
    measures: tuple[tuple[str, str], ...] = ()  # (word, measure), longest first
    completion: re.Pattern | None = None
    versus: re.Pattern | None = None
    subject_after_basis: bool = True
    bare_changes: bool = True
    data: dict = field(default_factory=dict, compare=False, hash=False)

    def measure_of(self, words: str) -> tuple[str, int]:
        """The figure a phrase's words name and where that word starts (-1 when none is named)."""
        return self._measure_cached(words)

    @cached_property
    def _measure_cached(self):
        """``_measure_of`` kept per phrase: the documents of a run repeat their phrases."""
        return lru_cache(maxsize=16384)(self._measure_of)

    def _measure_of(self, words: str) -> tuple[str, int]:
        best, rank = "", (-1, 0)
        for w, m in self.measures:
            i = words.rfind(w)
            if i >= 0 and (i + len(w), len(w)) > rank:  # the word ending latest, then the longest
                best, rank = m, (i + len(w), len(w))
        return (best, rank[0] - rank[1]) if best else ("", -1)


def build_grammar(data: dict | None) -> Grammar:
    d = {**DEFAULT_DATA, **(data or {})}
    measures = tuple(sorted(((w, m) for m, words in (d.get("measures") or {}).items() for w in words),
                            key=lambda x: -len(x[0])))
    for _, m in measures:
        if m not in MEASURES:
            raise ValueError(f"unknown measure {m!r} in narrative grammar (known: {', '.join(MEASURES)})")
    completion = None
    if d.get("completion"):
        completion = re.compile(rf"(?:{_alternation(d['completion'])})\s*的?\s*(?P<num>{NUM})\s*[%％]")
    versus = None
    if d.get("versus"):
        a, b = _alternation(d["versus"]["actual"]), _alternation(d["versus"]["budget"])
        versus = re.compile(rf"(?:{a})\s*(?:(?P<cmp>大于|小于|高于|低于|超过|少于|多于)\s*(?:{b})"
                            rf"|(?:同|与)\s*(?:{b})\s*(?P<flat>基本持平|持平|一致|相同|相等))")
    return Grammar(default_measure=d["default_measure"], measures=measures, completion=completion, versus=versus,
                   subject_after_basis=bool(d.get("subject_after_basis")), bare_changes=bool(d.get("bare_changes")),
                   data=d)


DEFAULT_GRAMMAR = build_grammar(None)
