"""The finding records the batch keeps."""

from dataclasses import asdict

from budgetkit.core.findings import Amounts


def test_amounts_to_dict_is_asdict():
    # a difference in 万元, and an upper bound in 元 with blanks
    for amounts in (Amounts(19_295_000, 19_395_000, -100_000, "万元"), Amounts(None, 877_080, None, "元", 0, "≤")):
        assert amounts.to_dict() == asdict(amounts)
        assert list(amounts.to_dict()) == list(asdict(amounts))
