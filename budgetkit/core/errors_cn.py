"""The Chinese of the errors' messages: what is wrong, and for unsupported input what is supported.

Messages are raised in English where they are detected (extraction, PDF reading, datasets); this table
gives the known ones their Chinese in one place. An unknown message gets its kind's Chinese
(``BudgetkitError.cn``), so every line shown to a user starts in Chinese.
"""

from __future__ import annotations

import re
from functools import lru_cache

SAVE_AS_PDF = "，请在 Word/WPS 中另存为 PDF 后再处理"
KIND_CN = {"budget": "预算", "final_accounts": "决算"}

#: (pattern on the English message, Chinese; {1}… are the pattern's groups).
MESSAGES: list[tuple[str, str]] = [
    (r"a Word file is not supported", "不支持 Word 文件" + SAVE_AS_PDF),
    (r"an Excel file is not supported", "不支持 Excel 文件" + SAVE_AS_PDF),
    (r"a PowerPoint file is not supported", "不支持 PowerPoint 文件" + SAVE_AS_PDF),
    (r"an Office \(OLE\) file", "不支持此 Office 文件" + SAVE_AS_PDF),
    (r"an HTML page", "这是网页（HTML），不是 PDF（下载不完整？）"),
    (r"^scanned|an image, not a PDF|no text layer", "这是图片或扫描件，没有文字层：须先做文字识别（OCR）"),
    (r"ZIP archive", "这是 ZIP 压缩包，不是 PDF"),
    (r"not a PDF \(no %PDF- header\)", "不是 PDF 文件"),
    (r"encrypted PDF", "PDF 已加密，没有密码无法读取"),
    (r"damaged PDF: truncated", "PDF 文件不完整（被截断，缺少文件结束标记）"),
    (r"damaged PDF|unreadable PDF", "PDF 文件已损坏，无法读取"),
    (r"too many pages", "页数过多，不像一份部门预算或决算公开文件"),
    (r"reading took longer", "PDF 读取超时"),
    (r"^no such file$", "文件不存在"),
    (r"^empty file", "文件为空"),
    (r"file too large", "文件过大"),
    (r"binary file", "这是二进制文件，不是文本"),
    (r"neither UTF-8 nor GBK", "文本编码无法识别（支持 UTF-8 与 GBK/GB18030）"),
    (r"ends in the middle of a character", "文件在一个字符的中间中断（被截断）"),
    (r"the text stops inside table T(\d+)", "文件在表{1}中间中断（被截断）"),
    (r"text ends before 第三部分", "文件在第三部分 情况说明之前中断（被截断）"),
    (r"no budget tables found", "缺少第二部分的公开表格"),
    (r"cannot tell the budget year", "无法确定预算年度"),
    (r"'([^']*)' is not an amount", "“{1}”不是金额"),
    (r"is finer than 0\.01 元", "金额精度超过 0.01 元"),
    (r"unknown unit", "未知的金额单位"),
    (r"no unit line", "表头没有“单位：万元”一行，无法确定金额单位"),
    (r"the unit line contradicts", "表头的单位与金额的数量级矛盾"),
    (r"already holds a dataset", "目标文件夹已有数据集，未覆盖（确需覆盖请加 --force，手工更正将丢失）"),
    (r"source document changed", "源文件自抽取以来已被改动（SHA-256 不符）"),
    (r"source document missing", "数据集中的源文件缺失"),
    (r"not a budgetkit dataset", "不是 budgetkit 数据集（缺少 metadata.json）"),
    (r"no such dataset folder", "数据集文件夹不存在"),
    (r"no datasets \(metadata.json\) below", "该文件夹下没有数据集"),
    (r"not a dataset folder or a folder of datasets", "不是数据集文件夹，也不是存放数据集的文件夹"),
    (r"metadata\.json", "数据集的 metadata.json 无效"),
    (r"unknown template", "数据集使用了未知的格式模板"),
    (r"department slug", "部门 slug 只能由小写字母、数字和“-”组成"),
    (r"data_root", "data_root 必须是项目内的相对路径"),
    (r"is outside", "路径超出项目目录"),
    (r"params file not found", "参数文件不存在"),
    (r"not valid YAML", "参数文件不是有效的 YAML"),
    (r"not UTF-8 text", "文件不是 UTF-8 文本"),
    (r"is not a year", "年度无效"),
    (r"is missing$", "参数文件缺少必填项"),
    (r"unknown key", "参数文件中有未知的键"),
]
_COMPILED = [(re.compile(p), cn) for p, cn in MESSAGES]


def _is_chinese(text: str) -> bool:
    """A message written in Chinese already (its first letter is a CJK character)."""
    first = next((ch for ch in text if not ch.isspace()), "")
    return "\u3400" <= first <= "\u9fff"


@lru_cache(maxsize=1)
def supported() -> str:
    """What budgetkit reads: the inputs, and the formats of its shipped templates, 预算 and 决算 apart."""
    from budgetkit.core.template import load_template, shipped_templates

    by_kind: dict[str, list[str]] = {k: [] for k in KIND_CN}
    for tid in shipped_templates():
        t = load_template(tid)
        by_kind.setdefault(t.kind, []).append(t.name)
    formats = "；".join(f"{KIND_CN.get(k, k)}公开：{'、'.join(names) or '暂不支持'}" for k, names in by_kind.items())
    return "支持：PDF，或由 PDF 提取的文字（.txt，UTF-8 或 GBK），或 budgetkit 数据集文件夹；" + formats


def translate(english: str) -> str | None:
    """The Chinese of a known English message (as an error's ``what`` or a failed run's recorded text), or None."""
    return next((cn.format(None, *m.groups()) for pattern, cn in _COMPILED if (m := pattern.search(english))), None)


def chinese(exc) -> str:
    """The Chinese for an error: its own, a known message's, or its kind's; plus what is supported."""
    if exc.cn_what:
        text = exc.cn_what
    elif _is_chinese(exc.what):
        return exc.what
    else:
        text = translate(exc.what) or type(exc).cn
    if exc.names_supported:
        text = f"{text}。{supported()}"
    return text
