"""Shared test fixtures: paths to the project and to the shared public corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
VENDOR = ROOT.parent / "shared" / "vendor"


def corpus_path(*parts: str) -> Path:
    """A path under ../shared/corpus; skips the test with a clear message if absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared corpus not available: {path}")
    return path


@pytest.fixture
def corpus() -> Path:
    """The shared corpus root (../shared/corpus)."""
    return corpus_path()
