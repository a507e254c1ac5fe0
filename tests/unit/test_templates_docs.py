"""The generated template pages are current; the generator notices stale pages."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from omp_models.templates import bundled_templates
from omp_validators.cli import cli
from tests.conftest import ROOT


def _load() -> ModuleType:
    path = ROOT / "scripts" / "generate_template_docs.py"
    spec = importlib.util.spec_from_file_location("omp_generate_template_docs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _load()


def test_bundled_template_pages_are_up_to_date(generator: ModuleType) -> None:
    stale = generator.check(None)
    assert stale == [], "run `python scripts/generate_template_docs.py`:\n" + "\n".join(stale)


def test_every_bundled_template_has_a_page_linked_from_the_overview() -> None:
    overview = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    for item in bundled_templates():
        page = ROOT / "docs" / "smt" / f"{item.slug}.md"
        text = page.read_text(encoding="utf-8")
        assert f"`{item.semantic_id}`" in text
        assert f"](smt/{item.slug}.md)" in overview


def test_pages_list_cardinalities_and_semantic_ids() -> None:
    text = (ROOT / "docs" / "smt" / "digital-nameplate.md").read_text(encoding="utf-8")
    assert ("| `Markings[]/MarkingName` | One | Property | xs:string | "
            "`0112/2///61987#ABA231#009` | - |") in text
    assert "| `Markings` | ZeroToOne | SubmodelElementList |" in text


@pytest.fixture
def docs_copy(generator: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    docs = tmp_path / "docs"
    (docs / "smt").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "templates.md", docs / "templates.md")
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    monkeypatch.setattr(generator, "DOCS", docs)
    monkeypatch.setattr(generator, "PAGES", docs / "smt")
    monkeypatch.setattr(generator, "OVERVIEW", docs / "templates.md")
    monkeypatch.setattr(generator, "LINT_PAGE", docs / "templates-lint.md")
    return docs


def test_check_names_missing_stale_and_extra_pages(generator: ModuleType,
                                                    docs_copy: Path) -> None:
    pages = docs_copy / "smt"
    assert "docs/smt/digital-nameplate.md: missing" in generator.check(None)
    generator.write(None)
    assert generator.check(None) == []
    (pages / "carbon-footprint.md").write_text("# edited\n", encoding="utf-8")
    (pages / "retired.md").write_text("# gone\n", encoding="utf-8")
    stale = generator.check(None)
    assert "docs/smt/carbon-footprint.md: out of date" in stale
    assert "docs/smt/retired.md: no such bundled template any more" in stale
    assert generator.main(["--check", "--no-corpus"]) == 1
    assert generator.main(["--no-corpus"]) == 0
    assert not (pages / "retired.md").exists()
    assert generator.main(["--check", "--no-corpus"]) == 0


def test_without_a_corpus_the_lint_page_is_left_alone(generator: ModuleType, docs_copy: Path,
                                                     tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert generator.main(["--corpus", str(tmp_path / "nowhere")]) == 0
    assert "left alone" in capsys.readouterr().err
    assert not (docs_copy / "templates-lint.md").exists()


def test_rule_explanations_exist_for_template_rules() -> None:
    for rule in ("smt/missing-element", "smt/semantic-id-near-miss",
                 "smt-lint/cardinality-spelling"):
        result = CliRunner().invoke(cli, ["rules", "explain", rule])
        assert result.exit_code == 0 and f"# {rule}" in result.output
