"""The template registry: bundled templates, lookup by semanticId and name, priorities."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from omp_models.templates import (
    Template,
    TemplateRegistry,
    bundled_dir,
    bundled_templates,
    clear_registry_cache,
    default_registry,
    load_templates,
)
from tests.conftest import CORPUS, ROOT

WIDGET = ROOT / "tests" / "data" / "templates" / "widget-template.json"


@pytest.fixture
def registry() -> TemplateRegistry:
    found = TemplateRegistry()
    found.add_bundled()
    return found


@pytest.mark.parametrize("item", bundled_templates(), ids=lambda i: i.slug)
def test_bundled_catalogue_matches_the_files(item: object) -> None:
    from omp_models.templates import BundledTemplate

    assert isinstance(item, BundledTemplate)
    data = item.path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == item.sha256
    template = load_templates(item.path)[0]
    assert template.semantic_id == item.semantic_id
    assert template.id_short == item.id_short
    assert template.kind == "Template"
    upstream = CORPUS / "templates" / item.upstream
    if upstream.exists():  # copied unchanged from the published repository
        assert upstream.read_bytes() == data


def test_bundled_folder_has_the_licence_and_sources() -> None:
    folder = bundled_dir()
    assert "Attribution 4.0 International" in (folder / "LICENSE").read_text(encoding="utf-8")
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    for item in bundled_templates():
        assert item.file in sources and item.upstream.removeprefix("published/") in sources
    listed = {item.file for item in bundled_templates()}
    assert {p.name for p in folder.glob("*.json")} - {"bundled.json"} == listed


def test_bundled_templates_are_read_lazily(registry: TemplateRegistry) -> None:
    nameplate = registry.get("https://admin-shell.io/idta/nameplate/3/0/Nameplate")
    assert nameplate is not None and nameplate.version == "3.0.1"
    assert nameplate.source == "bundled:digital-nameplate-3.0.1.json"
    unread = [e for e in registry._entries if e.template is None]
    assert len(unread) == len(bundled_templates()) - 1


@pytest.mark.parametrize(("query", "expected"), [
    ("nameplate", "Nameplate"),
    ("Digital Nameplate", "Nameplate"),
    ("digital-nameplate", "Nameplate"),
    ("02006", "Nameplate"),
    ("IDTA 02006", "Nameplate"),
    ("nameplate@3.0", "Nameplate"),
    ("https://admin-shell.io/idta/nameplate/3/0/Nameplate", "Nameplate"),
    ("technical data", "TechnicalData"),
    ("0173-1#01-AHX837#002", "TechnicalData"),
    ("ContactInformations", "ContactInformations"),
    ("carbon-footprint", "CarbonFootprint"),
    ("TimeSeries", "TimeSeries"),
    ("hierarchical-structures-bom", "HierarchicalStructures"),
    ("Handover Documentation", "HandoverDocumentation"),
])
def test_resolve_by_name_number_or_semantic_id(registry: TemplateRegistry, query: str,
                                               expected: str) -> None:
    found = registry.resolve(query)
    assert found is not None and found.id_short == expected


def test_resolve_unknown_names_and_versions(registry: TemplateRegistry) -> None:
    assert registry.resolve("no such template") is None
    assert registry.resolve("nameplate@2.0") is None


def test_near_match_of_a_submodel_semantic_id(registry: TemplateRegistry) -> None:
    exact = registry.match("0173-1#01-AHF578#003")
    assert exact is not None and exact.exact
    near = registry.match("0173-1#01-AHF578#002")
    assert near is not None and not near.exact and near.template.id_short == (
        "HandoverDocumentation")
    assert near.near is not None and "#002 instead of #003" in near.near
    zvei = registry.match("https://admin-shell.io/idta/nameplate/1/0/ContactInformations/")
    assert zvei is not None and "zvei" in (zvei.near or "")
    assert registry.match("urn:example:nothing") is None


def test_user_templates_win_over_bundled_ones(tmp_path: Path) -> None:
    data = json.loads((bundled_dir() / "contact-information-1.0.1.json").read_text("utf-8"))
    data["submodels"][0]["idShort"] = "MyContacts"
    (tmp_path / "mine.json").write_text(json.dumps(data), encoding="utf-8")
    registry = TemplateRegistry()
    registry.add_bundled()
    assert registry.add_directory(tmp_path) == 1
    found = registry.get("https://admin-shell.io/zvei/nameplate/1/0/ContactInformations")
    assert found is not None and found.id_short == "MyContacts"
    hidden = [(h.source, by.id_short) for h, by in registry.shadowed()]
    assert hidden == [("bundled:contact-information-1.0.1.json", "MyContacts")]
    assert len(registry) == len(bundled_templates())


def test_higher_versions_and_templates_win_within_one_source(tmp_path: Path) -> None:
    shutil.copy(WIDGET, tmp_path / "IDTA 09999-1-0_Template_Widget.json")
    data = json.loads(WIDGET.read_text(encoding="utf-8"))
    data["submodels"][0]["idShort"] = "WidgetNewer"
    data["submodels"][0]["administration"] = {"version": "1", "revision": "1"}
    (tmp_path / "IDTA 09999-1-1_Template_Widget.json").write_text(json.dumps(data))
    data["submodels"][0]["idShort"] = "WidgetExample"
    data["submodels"][0]["kind"] = "Instance"
    data["submodels"][0]["administration"] = {"version": "9", "revision": "9"}
    (tmp_path / "example.json").write_text(json.dumps(data))
    registry = TemplateRegistry()
    registry.add_directory(tmp_path)
    found = registry.get("https://example.com/smt/Widget/1/0")
    assert found is not None and found.id_short == "WidgetNewer"
    assert found.version == "1.1" and found.idta == "09999"


def test_unreadable_files_in_a_folder_are_problems(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    shutil.copy(WIDGET, tmp_path / "widget.json")
    registry = TemplateRegistry()
    assert registry.add_directory(tmp_path) == 1
    assert [p.source for p in registry.problems] == [str(tmp_path / "broken.json")]
    assert "not JSON" in registry.problems[0].message
    registry.add_directory(tmp_path / "missing")
    assert registry.problems[-1].message == "no such folder"


def test_entry_point_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    from omp_models.templates import _registry

    class EntryPoint:
        def __init__(self, name: str, value: object) -> None:
            self.name, self._value = name, value

        def load(self) -> object:
            if isinstance(self._value, Exception):
                raise self._value
            return self._value

    template = load_templates(WIDGET)[0]
    points = [EntryPoint("folder", str(WIDGET)),
              EntryPoint("objects", lambda: [template]),
              EntryPoint("broken", ImportError("no module named acme"))]
    monkeypatch.setattr(_registry, "entry_points", lambda group: points)
    registry = TemplateRegistry()
    with pytest.warns(UserWarning, match="broken"):
        registry.add_entry_points()
    assert registry.get("https://example.com/smt/Widget/1/0") is not None
    assert [p.source for p in registry.problems] == ["entry point broken"]


def test_default_registry_is_cached_per_folder_set(tmp_path: Path) -> None:
    shutil.copy(WIDGET, tmp_path / "widget.json")
    first = default_registry((str(tmp_path),), plugins=False)
    assert default_registry((str(tmp_path),), plugins=False) is first
    assert first.get("https://example.com/smt/Widget/1/0") is not None
    assert default_registry(plugins=False).get("https://example.com/smt/Widget/1/0") is None
    clear_registry_cache()
    assert default_registry((str(tmp_path),), plugins=False) is not first


def test_iteration_lists_one_template_per_semantic_id(registry: TemplateRegistry) -> None:
    templates = list(registry)
    assert all(isinstance(t, Template) for t in templates)
    assert len({t.semantic_id for t in templates}) == len(templates) == len(bundled_templates())


def test_resolved_names_are_remembered_until_templates_are_added(tmp_path: Path) -> None:
    """resolve() is asked once per payload by `omp validate --template`: it is memoised,
    and adding templates forgets the answers (a user template may now win)."""
    semantic_id = "https://admin-shell.io/zvei/nameplate/1/0/ContactInformations"
    registry = TemplateRegistry()
    registry.add_bundled()
    first = registry.resolve(semantic_id)
    assert first is not None and registry.resolve(semantic_id) is first
    assert first.id_short != "MyContacts"
    data = json.loads((bundled_dir() / "contact-information-1.0.1.json").read_text("utf-8"))
    data["submodels"][0]["idShort"] = "MyContacts"
    (tmp_path / "mine.json").write_text(json.dumps(data), encoding="utf-8")
    registry.add_directory(tmp_path)
    after = registry.resolve(semantic_id)
    assert after is not None and after.id_short == "MyContacts"


def _semantic_ids(node: object, out: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("semanticId")
        if isinstance(ref, dict):
            for key in ref.get("keys") or []:
                if isinstance(key, dict) and isinstance(key.get("value"), str):
                    out.add(key["value"])
        for value in node.values():
            _semantic_ids(value, out)
    elif isinstance(node, list):
        for value in node:
            _semantic_ids(value, out)


def test_the_quick_bundled_lookup_is_the_registrys() -> None:
    """`omp validate` skips loading the registry when may_follow_bundled says no: it must
    say yes exactly when the bundled-only registry matches (exactly or nearly)."""
    from omp_models.templates._semantic import may_follow_bundled

    registry = default_registry(plugins=False)
    ids: set[str] = set()
    for item in bundled_templates():
        sid = item.semantic_id
        ids |= {sid, sid + "/", sid.upper(), sid.replace("https://", "http://"),
                sid.replace("/idta/", "/zvei/"), sid[:-1], sid + "x"}
    for path in sorted((CORPUS / "templates" / "published").rglob("*.json"))[:150]:
        try:
            _semantic_ids(json.loads(path.read_bytes()), ids)
        except ValueError:
            continue
    assert len(ids) > 1000
    disagree = [sid for sid in sorted(ids)
                if may_follow_bundled(sid) != (registry.match(sid) is not None)]
    assert disagree == []
    assert sum(may_follow_bundled(sid) for sid in ids) > 20
