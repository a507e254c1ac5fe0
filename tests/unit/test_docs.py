"""The documentation: generated pages are current, rule pages match the CLI, examples run."""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from click.testing import CliRunner

from omp_validators.cli import cli
from omp_validators.rule_docs import rule_page
from omp_validators.rules import DOCS_URL, all_rules, get_rule, help_uri, rule_slug

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

#: Runnable examples: fenced blocks opened with ```python title="example.py"```.
_EXAMPLE = re.compile(r'^```python title="example\.py"\n(.*?)^```$', re.DOTALL | re.MULTILINE)
#: Command output: ```text title="omp ..."``` blocks show (some of) what the command prints.
_OUTPUT = re.compile(r'^```text title="(omp [^"]*)"\n(.*?)^```$', re.DOTALL | re.MULTILINE)


def _load_generator() -> ModuleType:
    path = ROOT / "scripts" / "generate_docs.py"
    spec = importlib.util.spec_from_file_location("omp_generate_docs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _load_generator()


def test_generated_docs_are_up_to_date(generator: ModuleType) -> None:
    stale = generator.check()
    assert stale == [], "run `python scripts/generate_docs.py`:\n" + "\n".join(stale)


def test_every_rule_has_its_page() -> None:
    index = (DOCS / "rules" / "index.md").read_text(encoding="utf-8")
    for rule in all_rules():
        page = DOCS / "rules" / f"{rule_slug(rule.id)}.md"
        assert page.is_file(), f"no page for {rule.id}"
        assert page.read_text(encoding="utf-8") == rule_page(rule)
        assert f"]({rule_slug(rule.id)}.md)" in index, f"{rule.id} missing from the index"


def test_rule_pages_are_published_at_their_help_uri() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_url"].rstrip("/") == DOCS_URL
    assert config.get("use_directory_urls", True) is True
    for rule in all_rules():
        assert help_uri(rule.id) == f"{config['site_url']}rules/{rule_slug(rule.id)}/"


def _explained() -> list[str]:
    wanted = ["syntax/json", "xml/doctype", "aas/value-type", "AASd-002", "env/duplicate-id"]
    wanted += [r.id for r in all_rules() if r.source == "aasx"][:2]
    return [rid for rid in wanted if get_rule(rid) is not None]


@pytest.mark.parametrize("rule_id", _explained())
def test_rules_explain_prints_the_rule_page(rule_id: str) -> None:
    result = CliRunner().invoke(cli, ["rules", "explain", rule_id])
    assert result.exit_code == 0, result.output
    page = DOCS / "rules" / f"{rule_slug(rule_id)}.md"
    assert result.output == page.read_text(encoding="utf-8")


def test_nav_pages_exist() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages(node: object) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, list):
            return [p for item in node for p in pages(item)]
        if isinstance(node, dict):
            return [p for value in node.values() for p in pages(value)]
        return []

    listed = pages(config["nav"])
    assert listed
    for page in listed:
        assert (DOCS / page).is_file(), page


def test_home_page_has_the_quick_start_commands() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    assert "pip install . && omp validate examples/" in index
    assert "pip install -e '.[dev]' && python -m pytest" in index


def test_cli_reference_covers_every_command(generator: ModuleType) -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    for command in ("omp", "omp validate", "omp rules", "omp rules list", "omp rules explain"):
        assert f"### `{command}`" in page
    for option in ("--aas-version", "--model-type", "--fail-on", "--report", "--select"):
        assert f"`{option}" in page


# --- the generator itself -----------------------------------------------------------------


@pytest.fixture
def docs_copy(generator: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The generator pointed at a copy of docs/ under tmp_path."""
    root = tmp_path / "project"
    shutil.copytree(DOCS, root / "docs")
    monkeypatch.setattr(generator, "ROOT", root)
    monkeypatch.setattr(generator, "DOCS", root / "docs")
    monkeypatch.setattr(generator, "RULES_DIR", root / "docs" / "rules")
    monkeypatch.setattr(generator, "CLI_PAGE", root / "docs" / "cli.md")
    return root


def test_check_names_stale_missing_and_extra_pages(
    generator: ModuleType, docs_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = docs_copy / "docs" / "rules"
    generator.write()
    assert generator.check() == []
    (rules / "syntax-json.md").write_text("# edited by hand\n", encoding="utf-8")
    (rules / "xml-doctype.md").unlink()
    (rules / "no-such-rule.md").write_text("# gone\n", encoding="utf-8")
    cli_page = docs_copy / "docs" / "cli.md"
    cli_page.write_text(cli_page.read_text().replace("--aas-version", "--aas-versio"))

    stale = generator.check()
    assert "docs/rules/syntax-json.md: out of date" in stale
    assert "docs/rules/xml-doctype.md: missing" in stale
    assert "docs/rules/no-such-rule.md: no such rule any more" in stale
    assert "docs/cli.md: out of date" in stale
    assert generator.main(["--check"]) == 1
    assert "syntax-json.md" in capsys.readouterr().err

    generator.write()
    assert not (rules / "no-such-rule.md").exists()
    assert generator.main(["--check"]) == 0


def test_cli_page_without_markers_is_an_error(
    generator: ModuleType, docs_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (docs_copy / "docs" / "cli.md").write_text("# Command line\n", encoding="utf-8")
    assert generator.main(["--check"]) == 2
    assert "markers" in capsys.readouterr().err


# --- runnable examples --------------------------------------------------------------------


def _examples() -> list[tuple[str, int, str]]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for i, block in enumerate(_EXAMPLE.findall(text)):
            found.append((str(page.relative_to(DOCS)), i, block))
    return found


def test_api_page_has_runnable_examples() -> None:
    assert [e for e in _examples() if e[0] == "api.md"], "api.md lost its examples"


@pytest.mark.parametrize(
    ("page", "index", "code"), _examples(), ids=[f"{p}#{i}" for p, i, _ in _examples()]
)
def test_docs_example_runs(
    page: str, index: int, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # examples use paths relative to a checkout
    namespace: dict[str, object] = {"__name__": f"docs_example_{index}"}
    exec(compile(code, f"docs/{page} example {index}", "exec"), namespace)


def test_example_marker_is_the_only_runnable_syntax() -> None:
    # A typo in the marker would silently turn an example into untested text.
    for page in DOCS.rglob("*.md"):
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("```python") and "title=" in line:
                assert line == '```python title="example.py"', f"{page}: {line}"
            if line.startswith("```text") and "title=" in line:
                assert _OUTPUT.match(line + "\n```"), f"{page}: {line}"


def _outputs() -> list[tuple[str, str, str]]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        for command, shown in _OUTPUT.findall(page.read_text(encoding="utf-8")):
            found.append((str(page.relative_to(DOCS)), command, shown))
    return found


@pytest.mark.parametrize(("page", "command", "shown"), _outputs(), ids=[o[1] for o in _outputs()])
def test_docs_command_output_is_real(
    page: str, command: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line shown (except "...") is a line the command prints now."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, shlex.split(command)[1:], color=False)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    printed = result.output.splitlines()
    for line in shown.splitlines():
        if line.strip() != "...":
            assert line in printed, f"docs/{page}: not printed by `{command}`: {line}"
