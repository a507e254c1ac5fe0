"""Read template files: AAS JSON or XML (3.0 or 3.1), AASX packages, forms files.

Reading is lenient on purpose: a template that the metamodel rejects (many published ones
have findings) is still read as a template, so that it can be linted and used; what made
it odd is recorded beside it. Inputs are treated as hostile (no DTDs, no entities, zip
limits), and nothing here raises on bad data except :func:`load_templates`, whose callers
asked for templates and got none.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import orjson

from omp_models.aas._core import AasVersion, engine
from omp_models.aas._xml import has_doctype
from omp_models.aas.io import AasReadError, read_aas_xml
from omp_models.aas.package import read_package
from omp_models.diagnostics import Severity, Where
from omp_models.limits import Limits
from omp_models.templates._build import LoadOptions, build_template
from omp_models.templates._forms import is_forms_document, templates_from_forms
from omp_models.templates._model import Template, Token

__all__ = [
    "TemplateDocument",
    "TemplateFile",
    "TemplateLoadError",
    "load_template_file",
    "load_templates",
    "read_template_file",
]

DocumentKind = Literal["json", "xml", "forms"]


class TemplateLoadError(Exception):
    """No template could be read from a file (the message says why)."""


@dataclass(frozen=True)
class TemplateDocument:
    """One document of a template file (the file itself, or an AASX spec part).

    Attributes:
        member: The AASX part, or ``None`` for a plain file.
        kind: ``json``, ``xml`` or ``forms``.
        version: The metamodel version it was read as (``None``: valid in neither; it was
            read leniently).
        document: Its JSON form (for XML: aas-core's).
        data: Its bytes (to locate findings).
    """

    member: str | None
    kind: DocumentKind
    version: AasVersion | None
    document: Mapping[str, Any]
    data: bytes


@dataclass(frozen=True)
class TemplateFile:
    """What a template file holds.

    Attributes:
        source: The file's name as given.
        documents: Its readable documents.
        templates: Every submodel of every document, as a template.
        problems: ``(member, message)`` for each part that could not be read.
    """

    source: str
    documents: tuple[TemplateDocument, ...]
    templates: tuple[Template, ...]
    problems: tuple[tuple[str | None, str], ...]


def _sniff(name: str, data: bytes) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".json", ".xml", ".aasx"):
        return suffix[1:]
    if data.startswith(b"PK\x03\x04"):
        return "aasx"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return "json" if head.startswith(b"{") else "xml"


def _environment(obj: Mapping[str, Any]) -> tuple[Mapping[str, Any], tuple[Token, ...]] | None:
    """The environment to deserialise and the tokens of the submodels' list (or root)."""
    if obj.get("modelType") == "Submodel":
        return {"submodels": [obj]}, ()
    if isinstance(obj.get("submodels"), list) or "assetAdministrationShells" in obj:
        return obj, ("submodels",)
    return None


def _json_version(env: Mapping[str, Any]) -> AasVersion | None:
    versions: tuple[AasVersion, ...] = ("3.0", "3.1")
    for version in versions:
        core = engine(version)
        try:
            core.jsonization.environment_from_jsonable(env)
        except (core.jsonization.DeserializationException, RecursionError):
            continue
        return version
    return None


def _read_json(data: bytes, member: str | None
               ) -> tuple[TemplateDocument | None, str | None]:
    try:
        obj = orjson.loads(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
    except orjson.JSONDecodeError as exc:
        return None, f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    if not isinstance(obj, dict):
        return None, "the top-level JSON value is not an object"
    if is_forms_document(obj):
        return TemplateDocument(member, "forms", None, obj, data), None
    found = _environment(obj)
    if found is None:
        return None, "neither an AAS environment nor a submodel nor a forms file"
    env, _ = found
    return TemplateDocument(member, "json", _json_version(env), obj, data), None


def _read_xml(data: bytes, member: str | None) -> tuple[TemplateDocument | None, str | None]:
    if has_doctype(data):
        return None, "the document has a <!DOCTYPE> declaration (refused)"
    try:
        jsonable, version = read_aas_xml(data)
    except AasReadError as exc:
        return None, str(exc)
    return TemplateDocument(member, "xml", version, jsonable, data), None


def _concept_descriptions(document: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for cd in document.get("conceptDescriptions") or []:
        if isinstance(cd, Mapping) and isinstance(cd.get("id"), str):
            out.setdefault(cd["id"], cd)
    return out


def _templates(doc: TemplateDocument, source: str, options: LoadOptions) -> list[Template]:
    if doc.kind == "forms":
        return templates_from_forms(doc.document, source, options)
    found = _environment(doc.document)
    if found is None:
        return []
    env, prefix = found
    cds = _concept_descriptions(doc.document)
    out: list[Template] = []
    for i, submodel in enumerate(env.get("submodels") or []):
        if not isinstance(submodel, Mapping):
            continue
        tokens: tuple[Token, ...] = (*prefix, i) if prefix else ()
        out.append(build_template(
            submodel, tokens=tokens, source=source, member=doc.member,
            source_kind="xml" if doc.kind == "xml" else "json", aas_version=doc.version,
            options=options, concept_descriptions=cds,
        ))
    return out


def read_template_file(data: bytes, name: str, options: LoadOptions | None = None,
                       limits: Limits | None = None) -> TemplateFile:
    """Read every template of a file given as bytes (never raises on bad data).

    Args:
        data: The file's bytes: AAS JSON or XML, an AASX package, or a forms file.
        name: Its name (the extension decides the format; otherwise the bytes do).
        options: How to read templates.
        limits: Bounds for AASX packages.

    Returns:
        The documents, templates and problems of the file.
    """
    options = options or LoadOptions()
    fmt = _sniff(name, data)
    documents: list[TemplateDocument] = []
    problems: list[tuple[str | None, str]] = []
    if fmt == "aasx":
        content = read_package(data, Where(name), limits or Limits())
        for finding in content.findings:
            if finding.severity is Severity.ERROR:
                problems.append((finding.location.member, finding.message))
        for member, kind, part in content.spec_parts:
            doc, problem = (_read_json if kind == "json" else _read_xml)(part, member)
            if doc is not None:
                documents.append(doc)
            if problem is not None:
                problems.append((member, problem))
        if not content.spec_parts and not problems:
            problems.append((None, "the package has no AAS spec part"))
    else:
        doc, problem = (_read_json if fmt == "json" else _read_xml)(data, None)
        if doc is not None:
            documents.append(doc)
        if problem is not None:
            problems.append((None, problem))
    templates: list[Template] = []
    for doc in documents:
        try:
            templates.extend(_templates(doc, name, options))
        except RecursionError:
            problems.append((doc.member, "the document is nested too deeply to be read"))
    return TemplateFile(name, tuple(documents), tuple(templates), tuple(problems))


def load_template_file(path: str | os.PathLike[str], options: LoadOptions | None = None,
                       limits: Limits | None = None) -> TemplateFile:
    """Read every template of a file (see :func:`read_template_file`).

    Raises:
        OSError: When the file cannot be read.
    """
    limits = limits or Limits()
    file = Path(path)
    size = file.stat().st_size
    if size > max(limits.max_file_size, limits.max_aasx_size):
        return TemplateFile(str(path), (), (), ((None, f"the file has {size} bytes; the "
                                                  "limit is exceeded"),))
    return read_template_file(file.read_bytes(), str(path), options, limits)


def load_templates(path: str | os.PathLike[str], options: LoadOptions | None = None
                   ) -> list[Template]:
    """The templates of one file.

    Args:
        path: An AAS JSON/XML file, an AASX package or a forms file.
        options: How to read them.

    Returns:
        One template per submodel, in document order.

    Raises:
        TemplateLoadError: When the file cannot be read or holds no submodel.
    """
    try:
        file = load_template_file(path, options)
    except OSError as exc:
        raise TemplateLoadError(f"{path}: cannot read the file: {exc.strerror}") from exc
    if not file.templates:
        why = "; ".join(message for _, message in file.problems) or "it holds no submodel"
        raise TemplateLoadError(f"{path}: no template could be read: {why}")
    return list(file.templates)
