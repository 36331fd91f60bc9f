"""第三部分 as claims (amounts, shares, changes, lists, counts, reasons) and the standard narrative from the tables."""

from .claims import Claim, Money, extract_claims
from .generate import generate_narrative, side_by_side
from .listing import claims_frame

__all__ = ["Claim", "Money", "claims_frame", "extract_claims", "generate_narrative", "side_by_side"]
