"""Shared fixtures: the seed disclosure parsed once per session."""

from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_b6cb000e27f50e6b.txt"


@pytest.fixture(scope="session")
def seed_disclosure():
    """The seed parsed by budgetkit's own extractor (text → Disclosure)."""
    if not SEED.is_file():
        pytest.skip(f"seed not found at {SEED}")
    try:
        from budgetkit.extract import parse_text
        from budgetkit.extract import tables as _tables  # noqa: F401  (parser present?)
    except ImportError as exc:
        pytest.skip(f"extractor not available yet ({exc})")
    return parse_text(SEED.read_text(encoding="utf-8"), SEED.name)
