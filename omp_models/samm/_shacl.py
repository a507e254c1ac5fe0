"""The official SAMM SHACL shapes, run with pyshacl (opt-in: ``omp samm validate --shacl``).

pyshacl needs three workarounds to run the SAMM shapes at all:

1. its check that SPARQL constraints contain no ``VALUES`` clause also matches the SPARQL
   *variable* ``?values`` of the Enumeration and State shapes and refuses them; the variable
   is renamed in the shapes text (``?values`` -> ``?enumerationValues``) before parsing;
2. the constraints use prefixes declared in ``prefix-declarations.ttl``
   (``sh:prefixes samm:prefixDeclarations``), so that file is part of the shapes graph;
3. pyshacl copies only class axioms from an ontology graph, not individuals, so the
   meta-model definitions, the built-in characteristics and entities, the type conversions
   and the units the model uses are merged into the *data* graph.

The JavaScript constraints (``sh:js``) are not run. A run takes pyshacl about 20 s per model,
so results are cached by a hash of every file involved (model, imports, shapes, pyshacl
version) under ``$XDG_CACHE_HOME/omp-toolkit/samm-shacl``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from omp_models.diagnostics import Finding, Location, Severity
from omp_models.samm._checks import owner_iri
from omp_models.samm._loader import AspectModel
from omp_models.samm._metamodel import (
    DEFINITION_FILES,
    SHAPES_FILES,
    UNITS_FILE,
    samm_file,
    units,
)
from omp_models.samm._vocab import RDF, SAMM, UNIT

__all__ = ["ShaclUnavailable", "default_cache_dir", "shacl_findings"]

_SH = "http://www.w3.org/ns/shacl#"
#: Bump when the mapping of results to findings changes (invalidates cached results).
_CACHE_FORMAT = "1"


class ShaclUnavailable(RuntimeError):
    """pyshacl is not installed (``pip install 'omp-toolkit[shacl]'``)."""


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/omp-toolkit/samm-shacl`` (default ``~/.cache/...``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "omp-toolkit" / "samm-shacl"


def _pyshacl() -> Any:
    try:
        import pyshacl
    except ImportError as exc:
        raise ShaclUnavailable(
            "SHACL validation needs pyshacl: pip install 'omp-toolkit[shacl]'") from exc
    return pyshacl


_SHAPES: Graph | None = None


def _shapes() -> Graph:
    global _SHAPES
    if _SHAPES is None:
        graph = Graph()
        for name in SHAPES_FILES:
            text = samm_file(name).read_text(encoding="utf-8")
            text = re.sub(r"([?$])values\b", r"\1enumerationValues", text)
            graph.parse(data=text, format="turtle")
        _SHAPES = graph
    return _SHAPES


def _unit_triples(graph: Graph) -> None:
    """Add the catalog units (and their quantity kinds) the model mentions."""
    catalog = units()
    used = {str(o)[len(UNIT):] for o in graph.objects() if isinstance(o, URIRef)
            and str(o).startswith(UNIT)}
    a = URIRef(f"{RDF}type")
    for name in sorted(used):
        unit = catalog.get(name)
        if unit is None:
            if name:
                graph.add((URIRef(f"{UNIT}{name}"), a, URIRef(f"{SAMM}QuantityKind")))
            continue
        node = URIRef(f"{UNIT}{name}")
        graph.add((node, a, URIRef(f"{SAMM}Unit")))
        for label in unit.preferred_names.values():
            graph.add((node, URIRef(f"{SAMM}preferredName"), Literal(label, lang="en")))
        for attribute, value in (("symbol", unit.symbol), ("commonCode", unit.common_code),
                                 ("conversionFactor", unit.conversion_factor)):
            if value is not None:
                graph.add((node, URIRef(f"{SAMM}{attribute}"), Literal(value)))
        if unit.reference_unit:
            graph.add((node, URIRef(f"{SAMM}referenceUnit"), URIRef(unit.reference_unit)))
        for kind in unit.quantity_kinds:
            kind_node = URIRef(f"{UNIT}{kind}")
            graph.add((node, URIRef(f"{SAMM}quantityKind"), kind_node))
            graph.add((kind_node, a, URIRef(f"{SAMM}QuantityKind")))


def _data_graph(model: AspectModel) -> Graph:
    graph = Graph()
    for turtle in model.index.files:
        for triple in turtle.triples:
            graph.add(triple)
    for name in DEFINITION_FILES:
        graph.parse(samm_file(name), format="turtle")
    _unit_triples(graph)
    return graph


def _cache_key(model: AspectModel, pyshacl_version: str) -> str:
    digest = hashlib.sha256(f"{_CACHE_FORMAT}\x00{pyshacl_version}\x00".encode())
    for turtle in model.index.files:
        digest.update(str(turtle.path.name).encode())
        digest.update(hashlib.sha256(turtle.text.encode("utf-8", "surrogatepass")).digest())
    for name in (*SHAPES_FILES, *DEFINITION_FILES, UNITS_FILE):
        digest.update(hashlib.sha256(samm_file(name).read_bytes()).digest())
    return digest.hexdigest()


def _results(model: AspectModel) -> list[dict[str, Any]]:
    pyshacl = _pyshacl()
    data = _data_graph(model)
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=_shapes(), inference="none", advanced=True, js=False,
        allow_warnings=True, abort_on_first=False)
    main = model.main
    out: list[dict[str, Any]] = []
    for result in report.subjects(URIRef(f"{RDF}type"), URIRef(f"{_SH}ValidationResult")):
        focus = report.value(result, URIRef(f"{_SH}focusNode"))
        if not _belongs_to(model, focus):
            continue
        severity = str(report.value(result, URIRef(f"{_SH}resultSeverity")) or "")
        message = str(report.value(result, URIRef(f"{_SH}resultMessage")) or "SHACL violation")
        path = report.value(result, URIRef(f"{_SH}resultPath"))
        iri = str(focus) if isinstance(focus, URIRef) else None
        subject = _short(focus) if iri else "anonymous element"
        if iri is None and focus is not None:
            message = message.replace(str(focus), "(anonymous)")
            iri = owner_iri(model, focus)
            subject = f"anonymous element of {_short(URIRef(iri))}" if iri else subject
        text = message if path is None else f"{message} (path {_short(path)})"
        out.append({
            "severity": {"Violation": "error", "Warning": "warning"}.get(
                severity.rsplit("#", 1)[-1], "info"),
            "message": f"{subject}: {text}",
            "path": iri,
            "line": main.line_of(iri) if (main is not None and iri) else None,
        })
    out.sort(key=lambda r: (r["line"] or 0, r["message"]))
    return out


def _short(node: Node | None) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1] if "#" in text else text


def _belongs_to(model: AspectModel, focus: Node | None) -> bool:
    if isinstance(focus, URIRef):
        return model.index.origin.get(str(focus)) is model.main
    if isinstance(focus, BNode):
        return model.index.bnode_origin.get(focus) is model.main
    return False


def shacl_findings(model: AspectModel, name: str | None = None, *,
                   cache_dir: Path | None = None, use_cache: bool = True) -> list[Finding]:
    """Run the SAMM shapes on a loaded model (results cached by content hash).

    Args:
        model: The loaded model (its imports are part of the data graph; results about
            elements of other files are left to the validation of those files).
        name: The file name to report.
        cache_dir: Where results are cached (default :func:`default_cache_dir`).
        use_cache: Read and write the cache.

    Raises:
        ShaclUnavailable: When pyshacl is not installed.
    """
    pyshacl = _pyshacl()
    if model.main is None or not model.main.triples:
        return []
    shown = name or str(model.path)
    folder = cache_dir or default_cache_dir()
    key = _cache_key(model, str(getattr(pyshacl, "__version__", "")))
    cached = folder / f"{key}.json"
    results: list[dict[str, Any]] | None = None
    if use_cache and cached.is_file():
        try:
            results = json.loads(cached.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            results = None
    if results is None:
        results = _results(model)
        if use_cache:
            _store(cached, results)
    return [Finding("samm/shacl", Severity(r["severity"]), r["message"],
                    Location(shown, None, r["path"], r["line"])) for r in results]


def _store(path: Path, results: list[dict[str, Any]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".shacl.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(results, handle)
        Path(tmp).replace(path)
    except OSError:  # a read-only cache is no reason to fail the validation
        return
