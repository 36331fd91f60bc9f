"""The project's own errors: one line naming the file, the table and what is wrong.

The CLI turns any of these into a one-line message and exit code 2; anything
else escaping is a bug.
"""

from __future__ import annotations


class BudgetkitError(Exception):
    """Base: unusable input. ``str()`` is the one-line message shown to users."""

    def __init__(self, what: str, *, file: str | None = None, table: str | None = None):
        self.what = what
        self.file = file
        self.table = table
        super().__init__(self.one_line())

    def one_line(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.table:
            parts.append(self.table)
        parts.append(self.what)
        return ": ".join(parts).replace("\n", " ")


class NotADisclosure(BudgetkitError):
    """The input is not a department budget disclosure at all."""


class TruncatedDisclosure(BudgetkitError):
    """A disclosure that stops early or lacks required parts."""


class BadAmount(BudgetkitError):
    """A cell meant to hold an amount holds something that is not one."""


class UnitError(BudgetkitError):
    """A table whose unit cannot be determined, or units that cannot be reconciled."""


class DatasetError(BudgetkitError):
    """A canonical dataset folder that is missing files or fails its schema."""


class ChecksumMismatch(DatasetError):
    """The source document under data/ no longer matches its recorded SHA-256."""


class UnsafeInput(BudgetkitError):
    """A parameter or path that would escape the project's folders."""


class OutputExists(BudgetkitError):
    """Refusing to overwrite an existing dataset without being asked."""
