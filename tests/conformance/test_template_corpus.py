"""Every published IDTA template: loads, its instances pass, its mutations are caught.

Per template file (``../shared/corpus/templates/published``, AASX and JSON, AAS 3.0 and
3.1): every submodel loads as a template; a minimal and a maximal generated instance pass
the template check with no finding and the metamodel check with no finding the template
does not have itself; each mutation kind (drop a mandatory element, duplicate a ``One``
element, change a valueType, change a semanticId, add an unknown element, violate an
allowed value or range) yields exactly the expected rule at the expected JSON Pointer, on
up to ``PER_KIND`` targets per kind and template. The per-file pass counts are published
in ``docs/templates-lint.md``; the last test checks that page against these results.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import CORPUS, ROOT

PUBLISHED = CORPUS / "templates" / "published"


def _generator() -> ModuleType:
    path = ROOT / "scripts" / "generate_template_docs.py"
    spec = importlib.util.spec_from_file_location("omp_generate_template_docs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
FILES: list[Path] = GENERATOR.corpus_files(CORPUS) if PUBLISHED.exists() else []


@cache
def row(path: Path) -> object:
    return GENERATOR.file_row(path, CORPUS)


def test_corpus_present() -> None:
    if not PUBLISHED.exists():
        pytest.skip(f"shared corpus not available: {PUBLISHED}")
    assert len(FILES) >= 230


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PUBLISHED)))
def test_template_file(path: Path) -> None:
    result = row(path)
    assert result.templates >= 1, "no template could be read"
    assert "tool/internal-error" not in result.rules
    assert result.failures == [], "\n".join(result.failures[:20])
    assert result.minimal == result.maximal == result.templates
    assert result.passed == result.run
    for kind, (_, ran, targets) in result.kinds.items():
        assert ran >= min(targets, 1), kind


def test_every_mutation_kind_is_exercised() -> None:
    if not FILES:
        pytest.skip(f"shared corpus not available: {PUBLISHED}")
    totals = dict.fromkeys(GENERATOR.KINDS, 0)
    for path in FILES:
        for kind, (_, ran, _) in row(path).kinds.items():
            totals[kind] += ran
    assert all(count > 0 for count in totals.values()), totals


def test_lint_page_is_current() -> None:
    if not FILES:
        pytest.skip(f"shared corpus not available: {PUBLISHED}")
    expected = GENERATOR.render_lint_page([row(p) for p in FILES])
    current = GENERATOR.LINT_PAGE.read_text(encoding="utf-8")
    assert current == expected, "run `python scripts/generate_template_docs.py`"
