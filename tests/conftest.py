"""Shared test fixtures: paths to the project and to the shared public corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
VENDOR = ROOT.parent / "shared" / "vendor"


#: Python expression for this process's peak RSS in KiB, for tests that run a snippet in a
#: fresh interpreter. ``/proc/self/status`` VmHWM belongs to the process's own memory map;
#: ``getrusage(RUSAGE_SELF).ru_maxrss`` would also count the forking parent's memory (Linux
#: carries it across exec), i.e. the whole pytest process.
PEAK_RSS_KIB = (
    "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
)


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
