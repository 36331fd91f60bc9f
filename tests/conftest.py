"""Shared fixtures: the seed disclosure parsed once per session."""


import pytest
from project_files import SEED


@pytest.fixture(scope="session")
def seed_disclosure():
    """The seed parsed by budgetkit's own extractor (text → Disclosure)."""
    assert SEED.is_file(), f"the seed must be at {SEED} (the shipped dataset's source/)"
    from budgetkit.extract import parse_text

    return parse_text(SEED.read_text(encoding="utf-8"), SEED.name)
