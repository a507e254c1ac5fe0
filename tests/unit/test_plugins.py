"""Plugin discovery (``omp.*`` entry points) without importlib.metadata when there are none."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import entry_points as metadata_entry_points
from pathlib import Path

import pytest

from omp_models import _plugins
from omp_validators.checks import document_checks
from omp_validators.engine import validate
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    _plugins.clear_cache()
    document_checks.cache_clear()
    yield
    _plugins.clear_cache()
    document_checks.cache_clear()


@pytest.mark.parametrize("group", ["omp.checks", "omp.formats", "omp.templates", "console_scripts"])
def test_same_entry_points_as_importlib_metadata(group: str) -> None:
    ours = sorted((ep.name, ep.value) for ep in _plugins.entry_points(group))
    theirs = sorted((ep.name, ep.value) for ep in metadata_entry_points(group=group))
    assert ours == theirs


def _install_check_plugin(site: Path) -> None:
    dist = site / "acme_omp_checks-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-omp-checks\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[omp.checks]\nacme = acme_omp_check:CHECK\n")
    (site / "acme_omp_check.py").write_text(
        "def CHECK(document, model_type, version, where, kind, options):\n"
        "    return [where.finding('acme/always', 'Checked by the acme plugin.', '')]\n"
    )


def test_a_check_plugin_is_found_and_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "omp.checks" not in (_plugins._declared_groups() or frozenset())
    _plugins.clear_cache()
    _install_check_plugin(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert [ep.name for ep in _plugins.entry_points("omp.checks")] == ["acme"]
    report = validate([str(ROOT / "examples" / "valid" / "press-line-3.0.json")])
    rules = [f.rule for f in report.files[0].findings]
    assert rules == ["acme/always"]


def test_without_omp_plugins_importlib_metadata_is_not_needed(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from omp_models._plugins import entry_points\n"
        "assert entry_points('omp.checks') == []\n"
        "print('importlib.metadata' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tmp_path)
    assert out.stdout.strip() == "False"
