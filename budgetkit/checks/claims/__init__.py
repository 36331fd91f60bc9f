"""第三部分 as claims (amounts, shares, changes, lists, counts, reasons) and the standard narrative from the tables."""

from budgetkit.checks.claims.claims import Claim, Money, extract_claims
from budgetkit.present.generate import generate_narrative, side_by_side
from budgetkit.checks.claims.listing import claims_frame

__all__ = ["Claim", "Money", "claims_frame", "extract_claims", "generate_narrative", "side_by_side"]
