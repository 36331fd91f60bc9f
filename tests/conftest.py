"""Shared fixtures: the seed disclosure parsed once per session."""

from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_b6cb000e27f50e6b.txt"


@pytest.fixture(scope="session")
def seed_disclosure():
    """The seed parsed by budgetkit's own extractor (text → Disclosure)."""
    assert SEED.is_file(), f"the seed must be at {SEED} (../shared beside the checkout)"
    from budgetkit.extract import parse_text

    return parse_text(SEED.read_text(encoding="utf-8"), SEED.name)
