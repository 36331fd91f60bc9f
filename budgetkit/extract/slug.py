"""Default dataset slugs: the pinyin of the department name, with place names read as they are said.

pypinyin reads 长 in 长治 as zhǎng (to grow); as a place it is cháng. Its phrase data knows
长沙/长春 but not most county names, so the readings pypinyin gets wrong for place names are
listed here (whole names, longest first) and everything else goes to pypinyin's phrase dictionary.
"""

from __future__ import annotations

import re

#: Place names pypinyin misreads, with their readings (toneless, one syllable per character).
PLACE_READINGS = {
    "长治": "chang zhi", "长垣": "chang yuan", "长葛": "chang ge", "长清": "chang qing", "长丰": "chang feng",
    "长海": "chang hai", "长阳": "chang yang", "长泰": "chang tai", "长岭": "chang ling", "长武": "chang wu",
    "长宁": "chang ning", "长顺": "chang shun", "长白": "chang bai", "洪洞": "hong tong", "单县": "shan xian",
    "浚县": "xun xian", "朝阳": "chao yang", "六合": "lu he", "繁峙": "fan shi", "解州": "xie zhou",
}
_PLACES = re.compile("|".join(sorted(map(re.escape, PLACE_READINGS), key=len, reverse=True)))
#: Where a department name divides into words: after 省/市/区/县 and the bureau's own suffixes.
_PIECES = re.compile(r"(?<=[省市区县局委厅办院部])")


def pinyin(text: str) -> str:
    """Toneless pinyin without spaces: 长治市 → 'changzhishi' (place names by PLACE_READINGS)."""
    from pypinyin import lazy_pinyin

    out, pos = [], 0
    for m in _PLACES.finditer(text):
        out += lazy_pinyin(text[pos:m.start()])
        out += PLACE_READINGS[m.group(0)].split()
        pos = m.end()
    out += lazy_pinyin(text[pos:])
    return "".join(out)


def slugify(name: str) -> str:
    """ASCII slug of a department name: 长治市屯留区财政局 → 'changzhishi-tunliuqu-caizhengju'.

    A reading still wrong for a rare name is corrected with ``extract --slug``.
    """
    words = [pinyin(p) for p in _PIECES.split(name) if p]
    slug = "-".join(re.sub(r"[^a-z0-9]", "", w.lower()) for w in words)
    slug = re.sub(r"-+", "-", slug).strip("-")
    return slug or "department"
