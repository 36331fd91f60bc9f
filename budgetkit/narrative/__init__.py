"""第三部分 as claims (amounts, shares, changes, lists, counts, reasons) and the standard narrative from the tables."""

from .claims import Claim, Money, extract_claims

__all__ = ["Claim", "Money", "extract_claims"]
