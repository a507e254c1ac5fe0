"""The NodeSet reader's shortcuts give the answers of the plain computations.

The reader answers type questions from memoised tables, checks for a DOCTYPE without a
regular expression when the literal is absent, and scans the search folders only when a
model is required. Each shortcut is compared here with the plain way, on real NodeSets.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePath

import pytest

from omp_models.aas._xml import has_doctype
from omp_models.formats import ConvertOptions, Source, get_format
from omp_models.formats.opcua import _deps
from omp_models.formats.opcua._deps import load_document, resolve_closure
from omp_models.formats.opcua._ir import declares_doctype
from omp_models.formats.opcua._space import HAS_SUBTYPE, Space
from tests.conftest import corpus_path

HEADS = [
    b'<?xml version="1.0"?><UANodeSet/>',
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]><UANodeSet/>',
    b"<!-- a comment --><!DOCTYPE UANodeSet><UANodeSet/>",
    b"  \n<!DOCTYPE UANodeSet SYSTEM 'http://example.com/x.dtd'><UANodeSet/>",
    b"<UANodeSet><!-- <!DOCTYPE x> in a comment, after the root --></UANodeSet>",
    b"\xef\xbb\xbf<!DOCTYPE x><UANodeSet/>",
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><UANodeSet/>'.encode("utf-16"),
    '<?xml version="1.0" encoding="UTF-16"?><UANodeSet/>'.encode("utf-16"),
    b"<!doctype x><UANodeSet/>",
    b"<UANodeSet>" + b"<a/>" * 20_000 + b"<!DOCTYPE x></UANodeSet>",
    b"<!-- -->" * 1_000 + b"<!DOCTYPE x><UANodeSet/>",
]


@pytest.mark.parametrize("data", HEADS, ids=range(len(HEADS)))
def test_the_doctype_check_agrees_with_the_shared_one(data: bytes) -> None:
    assert declares_doctype(data) is has_doctype(data)


def test_the_doctype_check_agrees_on_every_corpus_nodeset() -> None:
    folder = corpus_path("formats", "opcua-nodeset")
    paths = sorted(folder.rglob("*.xml"))
    assert len(paths) >= 14
    for path in paths:
        data = path.read_bytes()
        assert declares_doctype(data) is has_doctype(data) is False, path


def test_a_nodeset_that_requires_nothing_does_not_scan_the_folders(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    core = corpus_path("formats", "opcua-nodeset", "Schema", "Opc.Ua.NodeSet2.xml")
    doc = load_document(core)
    assert doc.models and not doc.models[0].required

    def refuse(*_: object) -> None:
        raise AssertionError("the search folders were scanned")

    monkeypatch.setattr(_deps, "find_models", refuse)
    docs, resolutions, failures = resolve_closure(doc.models, (tmp_path,), core)
    assert (docs, resolutions, failures) == ([], [], [])


def test_a_required_model_still_scans_the_folders_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus_path("formats", "opcua-nodeset")
    machine_tool = folder / "MachineTool" / "Opc.Ua.MachineTool.NodeSet2.xml"
    calls: list[Iterable[PurePath]] = []
    original = _deps.find_models

    def counted(paths: Iterable[PurePath]) -> dict[str, list[_deps.Candidate]]:
        calls.append(paths)
        return original(paths)

    monkeypatch.setattr(_deps, "find_models", counted)
    doc = load_document(machine_tool)
    docs, resolutions, failures = resolve_closure(doc.models, (folder,), machine_tool)
    assert len(calls) == 1
    assert len(docs) == 6 and not failures
    assert all(r.found is not None for r in resolutions)


def test_memoised_type_lookups_equal_the_plain_walk() -> None:
    folder = corpus_path("formats", "opcua-nodeset")
    machine_tool = folder / "MachineTool" / "Opc.Ua.MachineTool.NodeSet2.xml"
    doc = load_document(machine_tool)
    deps, _, _ = resolve_closure(doc.models, (folder,), machine_tool)
    space = Space(doc, deps)

    def forward(key: str) -> list[tuple[str, str]]:
        return list(dict.fromkeys(r for d in space.docs for r in d.fwd.get(key, ())))

    def inverse(key: str) -> list[tuple[str, str]]:
        return list(dict.fromkeys(r for d in space.docs for r in d.inv.get(key, ())))

    keys = list(space.nodes)
    assert len(keys) > 5000
    for _ in range(2):  # (the second round is answered from the tables)
        for key in keys:
            fwd = forward(key)
            assert space.forward(key) == fwd
            assert space.inverse(key) == inverse(key)
            for ref_type in {r for r, _ in fwd}:
                assert space.target(key, ref_type) == next(t for r, t in fwd if r == ref_type)
            assert space.supertype(key) == next(
                (s for r, s in inverse(key) if r == HAS_SUBTYPE), None)
            assert space.children(key) == [
                (r, space.nodes[t]) for r, t in fwd
                if (space.ref_is(r, _AGGREGATES) or space.ref_is(r, _ORGANIZES))
                and t in space.nodes]


_AGGREGATES = "nsu=http://opcfoundation.org/UA/;i=44"
_ORGANIZES = "nsu=http://opcfoundation.org/UA/;i=35"


def test_reading_twice_gives_the_same_environment() -> None:
    """(The tables live per conversion: a second read starts from nothing.)"""
    folder = corpus_path("formats", "opcua-nodeset")
    path = folder / "Machinery" / "Opc.Ua.Machinery.NodeSet2.xml"
    fmt = get_format("opcua-nodeset")
    outputs = []
    for _ in range(2):
        env, report = fmt.read(Source(str(path), path.read_bytes(), path),
                               ConvertOptions(search_paths=(folder,)))
        assert not report.has_errors
        data, _ = get_format("aas-json").write(env, ConvertOptions(aas_version="3.1"))
        outputs.append(data)
    assert outputs[0] == outputs[1]
