"""Find and load the NodeSets a NodeSet requires (its ``RequiredModel`` closure).

The folders to search (``ConvertOptions.search_paths``; the CLI's ``--search-path``,
by default the inputs' own folders) are scanned recursively for ``*.xml`` files; each
file's ``<Models>`` header is read (not the whole file) and indexed by ModelUri. A
required model is matched by URI and version: the exact version if there is one, else
the oldest newer version (OPC UA models are backward compatible), else the newest older
one, which is reported as a mismatch.

Parsed documents and file headers are cached for the life of the process, keyed by path,
size and modification time, so a batch (or a test session) parses the 3.65 MB core
NodeSet once.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from lxml import etree

from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.opcua._ir import (
    UA_NS,
    Model,
    NodeSetDoc,
    NodeSetError,
    declares_doctype,
    parse_nodeset,
)

__all__ = [
    "Candidate",
    "Resolution",
    "clear_caches",
    "compare_versions",
    "find_models",
    "load_document",
    "report_dependencies",
    "resolve_closure",
]

#: At most this many files are looked at per search folder (a guard against ``/``).
MAX_FILES = 20_000
#: Files larger than this are not considered as dependencies.
MAX_BYTES = 256 * 1024 * 1024
_DOC_CACHE_SIZE = 48

_FileKey = tuple[str, int, int]
_HEADS: dict[_FileKey, tuple[Model, ...]] = {}
_DOCS: OrderedDict[_FileKey, NodeSetDoc] = OrderedDict()
_MODEL_TAG = f"{{{UA_NS}}}Model"
_MODELS_TAG = f"{{{UA_NS}}}Models"
_ROOT_TAG = f"{{{UA_NS}}}UANodeSet"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A model found in a file of the search folders."""

    model: Model
    path: Path


@dataclass(frozen=True, slots=True)
class Resolution:
    """How one required model was satisfied (or not).

    Attributes:
        required: The ``RequiredModel`` entry.
        found: The candidate used, or ``None`` when none was found.
        mismatch: ``None`` when the version matched; else ``"newer"`` or ``"older"``.
        by: The model that required it.
    """

    required: Model
    found: Candidate | None
    mismatch: str | None
    by: str


def clear_caches() -> None:
    """Forget every cached header and document."""
    _HEADS.clear()
    _DOCS.clear()


def _file_key(path: Path) -> _FileKey | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), st.st_size, st.st_mtime_ns)


_VERSION_PART = re.compile(r"\d+")


def compare_versions(a: str | None, b: str | None) -> int:
    """-1, 0 or 1 as version ``a`` is older, equal or newer than ``b`` (numeric parts)."""
    pa = [int(x) for x in _VERSION_PART.findall(a or "")]
    pb = [int(x) for x in _VERSION_PART.findall(b or "")]
    width = max(len(pa), len(pb))
    pa += [0] * (width - len(pa))
    pb += [0] * (width - len(pb))
    return (pa > pb) - (pa < pb)


def _read_head(path: Path) -> tuple[Model, ...]:
    """The ``<Models>`` of a NodeSet file, reading no further than needed."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
            if b"UANodeSet" not in head or declares_doctype(head):
                return ()
            handle.seek(0)
            models: list[Model] = []
            context = etree.iterparse(
                handle, events=("start", "end"), resolve_entities=False, no_network=True,
                load_dtd=False, huge_tree=False,
            )
            depth = 0
            for event, elem in context:
                if event == "start":
                    depth += 1
                    if depth == 1 and elem.tag != _ROOT_TAG:
                        return ()
                    continue
                depth -= 1
                if elem.tag == _MODEL_TAG and depth == 2:
                    models.append(_model_of(elem))
                elif elem.tag == _MODELS_TAG or (depth == 1 and elem.tag.startswith(
                        f"{{{UA_NS}}}UA")):
                    break
            return tuple(models)
    except (OSError, etree.XMLSyntaxError):
        return ()


def _model_of(elem: etree._Element) -> Model:
    return Model(
        elem.get("ModelUri") or "", elem.get("Version"), elem.get("PublicationDate"),
        tuple(_model_of(r) for r in elem.iterchildren(f"{{{UA_NS}}}RequiredModel")),
    )


def _xml_files(folder: Path) -> Iterable[Path]:
    count = 0
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.lower().endswith(".xml"):
                continue
            count += 1
            if count > MAX_FILES:
                return
            yield Path(root, name)


def find_models(search_paths: Iterable[PurePath]) -> dict[str, list[Candidate]]:
    """Every model in the NodeSet files under ``search_paths``, by ModelUri.

    Candidates of one URI are in search order (folders as given, files sorted).
    """
    found: dict[str, list[Candidate]] = {}
    seen: set[str] = set()
    for folder in search_paths:
        folder_path = Path(folder)
        if not folder_path.is_dir():
            continue
        for path in _xml_files(folder_path):
            key = _file_key(path)
            if key is None or key[0] in seen or key[1] > MAX_BYTES:
                continue
            seen.add(key[0])
            models = _HEADS.get(key)
            if models is None:
                models = _read_head(path)
                _HEADS[key] = models
            for model in models:
                found.setdefault(model.uri, []).append(Candidate(model, path))
    return found


def _pick(required: Model, candidates: list[Candidate]) -> tuple[Candidate, str | None]:
    if not required.version:
        newest = max(candidates, key=lambda c: _sort_key(c.model.version))
        return newest, None
    exact = [c for c in candidates if compare_versions(c.model.version, required.version) == 0]
    if exact:
        return exact[0], None
    newer = [c for c in candidates if compare_versions(c.model.version, required.version) > 0]
    if newer:
        return min(newer, key=lambda c: _sort_key(c.model.version)), "newer"
    return max(candidates, key=lambda c: _sort_key(c.model.version)), "older"


def _sort_key(version: str | None) -> list[int]:
    return [int(x) for x in _VERSION_PART.findall(version or "")]


def load_document(path: Path, name: str | None = None) -> NodeSetDoc:
    """Parse a NodeSet file (cached by path, size and modification time).

    Raises:
        NodeSetError: When the file is not a readable NodeSet.
        OSError: When it cannot be read.
    """
    key = _file_key(path)
    if key is not None and key in _DOCS:
        _DOCS.move_to_end(key)
        return _DOCS[key]
    doc = parse_nodeset(path.read_bytes(), name or str(path))
    if key is not None:
        _DOCS[key] = doc
        while len(_DOCS) > _DOC_CACHE_SIZE:
            _DOCS.popitem(last=False)
    return doc


def resolve_closure(
    own: list[Model], search_paths: Iterable[PurePath], exclude: Path | None = None
) -> tuple[list[NodeSetDoc], list[Resolution], list[tuple[Path, str]]]:
    """Load the dependency closure of the models ``own``.

    Args:
        own: The models of the document being converted.
        search_paths: Folders to search (recursively).
        exclude: The input file itself (never its own dependency).

    Returns:
        The dependency documents (dependencies before dependants), one resolution per
        required model, and the files that could not be loaded (path, reason).
    """
    found: list[dict[str, list[Candidate]]] = []

    def candidates_of(uri: str) -> list[Candidate]:
        # The search folders are scanned when a model is first required (not for a
        # NodeSet that requires none, such as the core NodeSet).
        if not found:
            index = find_models(search_paths)
            excluded = str(exclude.resolve()) if exclude is not None else None
            for key in index:
                index[key] = [c for c in index[key] if str(c.path.resolve()) != excluded]
            found.append(index)
        return found[0].get(uri, [])

    done: set[str] = {m.uri for m in own}
    resolutions: list[Resolution] = []
    failures: list[tuple[Path, str]] = []
    docs: list[NodeSetDoc] = []
    loaded: set[str] = set()

    def visit(model: Model, by: str) -> None:
        for required in model.required:
            if required.uri in done:
                if required.uri not in {m.uri for m in own}:
                    resolutions.append(_again(required, resolutions, by))
                continue
            done.add(required.uri)
            candidates = candidates_of(required.uri)
            if not candidates:
                resolutions.append(Resolution(required, None, None, by))
                continue
            picked, mismatch = _pick(required, candidates)
            resolutions.append(Resolution(required, picked, mismatch, by))
            path_key = str(picked.path.resolve())
            if path_key in loaded:
                continue
            loaded.add(path_key)
            try:
                doc = load_document(picked.path)
            except (OSError, NodeSetError) as exc:
                failures.append((picked.path, str(exc)))
                continue
            for dep_model in doc.models:
                visit(dep_model, dep_model.uri)
            docs.append(doc)

    for model in own:
        visit(model, model.uri)
    return docs, resolutions, failures


def _again(required: Model, resolutions: list[Resolution], by: str) -> Resolution:
    """A second requirement of an already resolved model: check its version too."""
    first = next((r for r in resolutions if r.required.uri == required.uri), None)
    found = first.found if first else None
    mismatch = None
    if found is not None and required.version:
        cmp = compare_versions(found.model.version, required.version)
        mismatch = None if cmp == 0 else ("newer" if cmp > 0 else "older")
    return Resolution(required, found, mismatch, by)


def report_dependencies(report: ConversionReport, file: str, resolutions: list[Resolution],
                        failures: list[tuple[Path, str]], needed: bool) -> None:
    """Report how the required models were resolved (``needed``: a missing one is an error).

    The models used go to ``report.meta["dependencies"]``.
    """
    used: list[dict[str, Any]] = []
    missing: set[tuple[str, str | None]] = set()
    for res in resolutions:
        req = res.required
        if res.found is None:
            if (req.uri, req.version) in missing:
                continue
            missing.add((req.uri, req.version))
            if needed:
                report.add(Code.DEPENDENCY_MISSING, IssueSeverity.ERROR,
                           f"required model {req.label()} (required by {res.by}) was not found "
                           "in the search folders; add the folder that holds it with "
                           "--search-path", source=req.uri, original=req.version, file=file)
            else:
                report.add(Code.DEPENDENCY_MISSING, IssueSeverity.INFO,
                           f"required model {req.label()} was not found; it is not needed to "
                           "read the AAS this NodeSet carries", source=req.uri,
                           original=req.version, file=file)
            continue
        found = res.found.model
        entry = {"uri": found.uri, "version": found.version, "file": str(res.found.path)}
        if entry not in used:
            used.append(entry)
        if res.mismatch == "older":
            report.add(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY,
                       f"required model {req.label()} (required by {res.by}) was not found; "
                       f"the older version {found.version} from {res.found.path} was used",
                       source=req.uri, original=req.version, file=file)
        elif res.mismatch == "newer":
            report.add(Code.DEPENDENCY_MISSING, IssueSeverity.INFO,
                       f"required model {req.label()} (required by {res.by}): the newer "
                       f"version {found.version} from {res.found.path} was used",
                       source=req.uri, original=req.version, file=file)
    for path, reason in failures:
        report.add(Code.DEPENDENCY_MISSING, IssueSeverity.ERROR if needed else IssueSeverity.INFO,
                   f"the dependency {path} could not be read: {reason}", source=str(path),
                   file=file)
    report.meta["dependencies"] = used
