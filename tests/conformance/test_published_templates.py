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


def test_fast_and_reference_engines_agree_on_every_template() -> None:
    """Real-world data for the fast path: same findings as aas-core on all 234 files."""
    from omp_validators.options import ValidateOptions
    from omp_validators.report import Report

    if not FILES:
        pytest.skip(f"corpus not available: {PUBLISHED}")
    names = [str(p) for p in FILES]
    fast = validate(names, ValidateOptions(engine="fast"))
    reference = validate(names, ValidateOptions(engine="reference"))

    def shape(report: Report) -> list[object]:
        return [
            (r.file, r.aas_version, r.model_type,
             [(f.rule, f.message, f.location.member, f.location.path, f.location.line)
              for f in r.findings])
            for r in report.files
        ]

    assert shape(fast) == shape(reference)
    assert sum(len(r.findings) for r in fast.files) > 1000  # the templates have findings
