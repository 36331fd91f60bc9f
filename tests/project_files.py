"""Where the tests find the project's own files and the shared development set (one place)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the checkout
SHIPPED = ROOT / "data" / "changzhishi-tunliuqu-caizhengju" / "2024"  # the shipped default dataset
SEED = SHIPPED / "source" / "000_b6cb000e27f50e6b.txt"  # the seed, byte-identical to ../shared/seeds/
SAMPLES = ROOT.parent / "shared" / "samples"  # the development PDFs (used from there, never copied)


def sample(name: str) -> Path:
    """A development PDF by file name; a clear failure when the shared set is not beside the checkout."""
    path = SAMPLES / name
    assert path.is_file(), f"development PDF missing: {path} (../shared/samples beside the checkout)"
    return path
