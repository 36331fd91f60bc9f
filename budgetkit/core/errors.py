"""The project's own errors: one line naming the file, the table and what is wrong — in Chinese first.

``one_line()`` (what the CLI prints, exit code 2) reads ``<file>: <table>: <中文> — <English>``: the Chinese
says what is wrong and, for input that is not a disclosure, what is supported (``errors_cn``); the English
detail follows. ``str(exc)`` stays the English line (logs, tests). Anything else escaping is a bug.
"""

from __future__ import annotations


class BudgetkitError(Exception):
    """Base: unusable input. ``one_line()`` is the message shown to users."""

    cn = "输入无法使用"  # what every error of this kind means, in Chinese (errors_cn refines it by message)
    names_supported = False  # whether the message goes on to say what budgetkit reads (input that is not a disclosure)

    def __init__(self, what: str, *, file: str | None = None, table: str | None = None, cn: str | None = None):
        self.what = what
        self.file = file
        self.table = table
        self.cn_what = cn  # the Chinese for this very message, when the raiser knows it best
        super().__init__(self.english())

    def _where(self) -> list[str]:
        return [str(p) for p in (self.file, self.table) if p]

    def english(self) -> str:
        return ": ".join(self._where() + [self.what]).replace("\n", " ")

    def chinese(self) -> str:
        """The Chinese statement of this error (the message's own, a known message's, or the kind's)."""
        from budgetkit.core.errors_cn import chinese

        return chinese(self)

    def one_line(self) -> str:
        """'<file>: <table>: <中文> — <English>' on one line ('<file>: <中文>' when the message is Chinese)."""
        cn = self.chinese()
        text = self.what if cn == self.what else f"{cn} — {self.what}"
        return ": ".join(self._where() + [text]).replace("\n", " ")


class NotADisclosure(BudgetkitError):
    """The input is not a department budget disclosure at all."""

    cn = "不是可处理的部门预算或决算公开文件"
    names_supported = True


class TruncatedDisclosure(BudgetkitError):
    """A disclosure that stops early or lacks required parts."""

    cn = "文件不完整（被截断）"


class BadAmount(BudgetkitError):
    """A cell meant to hold an amount holds something that is not one."""

    cn = "金额无法识别"


class UnitError(BudgetkitError):
    """A table whose unit cannot be determined, or units that cannot be reconciled."""

    cn = "金额单位无法确定"


class DatasetError(BudgetkitError):
    """A canonical dataset folder that is missing files or fails its schema."""

    cn = "数据集不完整或已损坏"


class ChecksumMismatch(DatasetError):
    """The source document under data/ no longer matches its recorded SHA-256."""

    cn = "源文件与数据集记录的 SHA-256 不符（源文件已被改动）"


class UnsafeInput(BudgetkitError):
    """A parameter or path that would escape the project's folders."""

    cn = "参数不安全"


class OutputExists(BudgetkitError):
    """Refusing to overwrite an existing dataset without being asked."""

    cn = "目标文件夹已有数据集，未覆盖（确需覆盖请加 --force，手工更正将丢失）"
