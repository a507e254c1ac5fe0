"""Every published IDTA submodel template (AASX and JSON, AAS 3.0 and 3.1) is read.

The templates have real problems (duplicate ids, empty lists, ...): those must come out as
findings. What must never happen is a crash (``tool/internal-error``), an unlocated error,
or a file whose metamodel version could not be told.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from omp_models.diagnostics import Severity
from omp_validators import validate
from tests.conftest import CORPUS

PUBLISHED = CORPUS / "templates" / "published"
FILES = sorted(p for p in PUBLISHED.rglob("*") if p.suffix in (".json", ".aasx")) if (
    PUBLISHED.exists()) else []


def test_corpus_present() -> None:
    if not PUBLISHED.exists():
        pytest.skip(f"corpus not available: {PUBLISHED}")
    assert len([p for p in FILES if p.suffix == ".aasx"]) >= 110
    assert len([p for p in FILES if p.suffix == ".json"]) >= 120


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PUBLISHED)))
def test_template_is_read_without_crash(path: Path) -> None:
    report = validate([str(path)])
    result = report.files[0]
    rules = [f.rule for f in result.findings]
    assert "tool/internal-error" not in rules, [f.message for f in result.findings]
    assert result.aas_version in ("3.0", "3.1", "3.0,3.1"), (result.aas_version, rules)
    for finding in result.findings:
        if finding.severity is Severity.ERROR and finding.location.path:
            assert finding.location.line is not None, finding
