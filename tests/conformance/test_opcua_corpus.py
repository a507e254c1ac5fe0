"""Every NodeSet of the shared corpus converts to AAS with its dependency closure.

Each output passes ``omp validate`` without an error and a rerun gives the same bytes.
The reader builds the AAS JSON form itself: it must be what basyx gives back for it, and
the writers' fast route (the validators' fast check vouches, the form is written as it is)
must give aas-core's bytes.
The dependency documents (the 3.65 MB core NodeSet first of all) are parsed once per
test session: the converter caches parsed NodeSets by path, size and modification time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from omp_models.aas._jsonable import store_to_jsonable
from omp_models.aas.io import environment_to_jsonable
from omp_models.diagnostics import Severity
from omp_models.formats import ConvertOptions, Source, get_format
from omp_validators import ValidateOptions, validate_bytes
from omp_validators.checks._fast import accepts
from tests.conftest import CORPUS, ROOT

NODESETS = CORPUS / "formats" / "opcua-nodeset"
EXTRA = ROOT / "tests" / "data" / "opcua-nodeset"
FILES = sorted(
    p for p in NODESETS.rglob("*.xml") if b"<UANodeSet" in p.read_bytes()[:4096]
) if NODESETS.exists() else []


def _convert(path: Path) -> tuple[bytes, list[str], list[str]]:
    """Read the NodeSet, write AAS JSON 3.1; (bytes, read errors, write errors)."""
    options = ConvertOptions(search_paths=(NODESETS, EXTRA))
    env, report = get_format("opcua-nodeset").read(
        Source(str(path), path.read_bytes(), path), options)
    errors = [i.message for i in report.issues if i.severity.value == "error"]
    data, written = get_format("aas-json").write(env, ConvertOptions(aas_version="3.1"))
    return data, errors, [i.message for i in written.issues if i.severity.value == "error"]


@pytest.fixture(scope="module", autouse=True)
def _quiet_gc() -> Iterator[None]:
    """Objects that live for the whole module (the parsed dependency documents) are moved
    out of the collector's reach: full collections over them made the large conversions
    two to three times slower, and they are never garbage during the module."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


def test_corpus_present() -> None:
    if not NODESETS.exists():
        pytest.skip(f"corpus not available: {NODESETS}")
    names = {p.name for p in FILES}
    assert "Opc.Ua.NodeSet2.xml" in names
    assert "Opc.Ua.MachineTool.NodeSet2.xml" in names
    assert len(FILES) >= 14


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(NODESETS)))
def test_nodeset_converts_validates_and_reruns_identically(path: Path) -> None:
    data, read_errors, write_errors = _convert(path)
    assert not read_errors, read_errors
    assert not write_errors, write_errors
    result = validate_bytes(data, path.stem + ".json", ValidateOptions(aas_version="3.1"))
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert not errors, [(f.rule, f.message, f.location.path) for f in errors[:5]]
    assert b'"submodels"' in data or b'"conceptDescriptions"' in data
    again, _, _ = _convert(path)
    assert again == data


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(NODESETS)))
def test_the_fast_route_and_basyx_agree_with_the_json_form(path: Path) -> None:
    env, report = get_format("opcua-nodeset").read(
        Source(str(path), path.read_bytes(), path),
        ConvertOptions(search_paths=(NODESETS, EXTRA)))
    assert not report.has_errors
    assert env.ordered and not env.holds_objects  # (the JSON form, in aas-core's key order)
    vouched: list[bool] = []

    def check(doc: dict[str, Any], cls: str, version: Any) -> bool:
        vouched.append(accepts(doc, cls, version))
        return vouched[-1]

    for target, version in (("aas-json", "3.1"), ("aas-json", "3.0"), ("aas-xml", "3.1")):
        reference, _ = get_format(target).write(env, ConvertOptions(aas_version=version))
        fast, written = get_format(target).write(
            env, ConvertOptions(aas_version=version, fast_check=check))
        assert vouched.pop() is True, (target, version)  # (the fast route was taken)
        assert fast == reference, (target, version)
        assert not written.has_errors
    # The JSON form is what basyx gives back for it (the contract of the JSON form).
    jsonable = environment_to_jsonable(env)
    assert store_to_jsonable(env.store) == jsonable


def test_machine_tool_needs_its_whole_closure() -> None:
    path = NODESETS / "MachineTool" / "Opc.Ua.MachineTool.NodeSet2.xml"
    if not path.exists():
        pytest.skip(f"corpus not available: {path}")
    env, report = get_format("opcua-nodeset").read(
        Source(str(path), path.read_bytes(), path), ConvertOptions(search_paths=(NODESETS,)))
    used = {d["uri"] for d in report.meta["dependencies"]}
    assert used == {
        "http://opcfoundation.org/UA/", "http://opcfoundation.org/UA/DI/",
        "http://opcfoundation.org/UA/Machinery/", "http://opcfoundation.org/UA/IA/",
        "http://opcfoundation.org/UA/ISA95-JOBCONTROL_V2/",
        "http://opcfoundation.org/UA/Machinery/Jobs/",
    }
    templates = {s.id_short for s in env.store if getattr(s, "kind", None) is not None
                 and s.kind.name == "TEMPLATE"}
    assert "MachineToolType" in templates
