"""Read and write AAS documents (JSON, XML, AASX) as the basyx object model, 3.0 or 3.1.

basyx-python-sdk is the object model converters build on, but its readers know only one
metamodel version (3.1 XML) and stop at the first problem. Here aas-core3.0 / aas-core3.1
read and write the documents (both versions, both serialisations) and basyx receives and
produces the version-neutral JSON form in between. Writing a 3.0 document from content that
3.0 cannot hold is reported, never silently "fixed".
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson

from omp_models.aas._core import (
    MODEL_TYPE_CLASSES,
    NAMESPACES,
    AasVersion,
    class_for_xml_element,
    engine,
)
from omp_models.aas._jsonable import store_to_jsonable
from omp_models.aas._paths import tokens_from_core_path
from omp_models.aas._xml import has_doctype, safe_iterparse
from omp_models.locate import pointer_from_tokens

__all__ = [
    "AasEnvironment",
    "AasReadError",
    "environment_from_jsonable",
    "environment_to_jsonable",
    "read_aas_json",
    "read_aas_xml",
    "serialize_environment",
]

DocKind = Literal["json", "xml"]

_LIST_OF: dict[str, str] = {
    "AssetAdministrationShell": "assetAdministrationShells",
    "Submodel": "submodels",
    "ConceptDescription": "conceptDescriptions",
}


class AasReadError(Exception):
    """A document cannot be read as AAS (the message says where and why)."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


@dataclass
class AasEnvironment:
    """An AAS environment as the converters exchange it.

    Attributes:
        store: The identifiables (basyx ``DictIdentifiableStore``).
        files: Supplementary files by package path (``/aasx/files/manual.pdf``) with their
            content type, for AASX packages.
        version: The metamodel version the content was read as, if it came from AAS.
    """

    store: Any
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    version: AasVersion | None = None


def _wrap(obj: Any) -> dict[str, Any]:
    """A single shell, submodel or concept description becomes a one-item environment."""
    if isinstance(obj, dict) and obj.get("modelType") in _LIST_OF:
        return {_LIST_OF[obj["modelType"]]: [obj]}
    if isinstance(obj, dict) and "modelType" in obj and obj["modelType"] in MODEL_TYPE_CLASSES:
        raise AasReadError(
            f"a single {obj['modelType']} is not an environment; only shells, submodels and "
            "concept descriptions can be converted on their own", ""
        )
    if not isinstance(obj, dict):
        raise AasReadError("the top-level JSON value is not an object", "")
    return obj


def _core_environment(jsonable: dict[str, Any], version: AasVersion) -> Any:
    core = engine(version)
    try:
        return core.jsonization.environment_from_jsonable(jsonable)
    except core.jsonization.DeserializationException as exc:
        pointer = pointer_from_tokens(tokens_from_core_path(exc.path))
        raise AasReadError(f"not an AAS {version} environment: {exc.cause}", pointer) from exc


def read_aas_json(data: bytes, version: AasVersion | None = None) -> tuple[dict[str, Any],
                                                                          AasVersion]:
    """Parse AAS JSON into its normalised JSON form and the version it was read as.

    Args:
        data: The document (an Environment, or one shell/submodel/concept description).
        version: Read as this version only (``None``: 3.1, then 3.0).

    Raises:
        AasReadError: When it is neither.
    """
    try:
        obj = orjson.loads(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
    except orjson.JSONDecodeError as exc:
        raise AasReadError(f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    env = _wrap(obj)
    versions: tuple[AasVersion, ...] = (version,) if version else ("3.1", "3.0")
    last: AasReadError | None = None
    for candidate in versions:
        try:
            instance = _core_environment(env, candidate)
        except AasReadError as exc:
            last = exc
            continue
        return dict(engine(candidate).jsonization.to_jsonable(instance)), candidate
    assert last is not None
    raise last


def read_aas_xml(data: bytes, version: AasVersion | None = None) -> tuple[dict[str, Any],
                                                                         AasVersion]:
    """Parse AAS XML (safely: no DOCTYPE, no entities) into the normalised JSON form.

    Raises:
        AasReadError: When the document is not an AAS 3.0/3.1 environment (or a single
            shell, submodel or concept description).
    """
    if has_doctype(data):
        raise AasReadError("the document has a <!DOCTYPE> declaration (refused)")
    from lxml import etree

    events = safe_iterparse(data)
    try:
        first = next(events)
    except (etree.XMLSyntaxError, StopIteration) as exc:
        raise AasReadError(f"not well-formed XML: {exc}") from exc
    qname = etree.QName(first[1])
    found = NAMESPACES.get(qname.namespace or "")
    if found is None:
        raise AasReadError(f"the namespace {qname.namespace!r} is not AAS 3.0 or 3.1", "/")
    if version is not None and version != found:
        raise AasReadError(f"the document is AAS {found}, not {version}", "/")
    cls = class_for_xml_element(qname.localname)
    if cls not in ("Environment", *_LIST_OF):
        raise AasReadError(f"<{qname.localname}> is not an environment", "/")
    core = engine(found)
    import itertools

    try:
        instance = core.from_iterparse(cls, itertools.chain([first], events))
    except core.xmlization.DeserializationException as exc:
        raise AasReadError(f"not an AAS {found} document: {exc.cause}", str(exc.path)) from exc
    except etree.XMLSyntaxError as exc:
        raise AasReadError(f"not well-formed XML: {exc}") from exc
    jsonable = dict(core.jsonization.to_jsonable(instance))
    if cls != "Environment":
        jsonable = {_LIST_OF[cls]: [jsonable]}
    return jsonable, found


def environment_from_jsonable(jsonable: dict[str, Any], version: AasVersion | None = None
                              ) -> AasEnvironment:
    """Build the basyx object model from an environment's JSON form.

    Raises:
        AasReadError: When basyx refuses the content (basyx enforces some constraints in
            its constructors, and some stricter than the specification).
    """
    from basyx.aas.adapter.json import read_aas_json_file

    text = json.dumps(jsonable)
    try:
        store = read_aas_json_file(io.StringIO(text), failsafe=False)
    except (ValueError, TypeError, KeyError, NotImplementedError) as exc:
        raise AasReadError(f"the AAS object model refuses the content: {exc}") from exc
    return AasEnvironment(store=store, version=version)


def environment_to_jsonable(env: AasEnvironment) -> dict[str, Any]:
    """The environment's JSON form, as basyx serialises it (version-neutral).

    Normalised for serialisation: empty lists removed, falsy typed values kept, and
    everything basyx holds in sets sorted, so the same content gives the same bytes.
    """
    return store_to_jsonable(env.store)


@dataclass
class Serialized:
    """A serialised environment and what did not survive the target version."""

    data: bytes
    problems: list[tuple[str, str]]  # (JSON Pointer, message)


def serialize_environment(
    jsonable: dict[str, Any], version: AasVersion, kind: DocKind
) -> Serialized:
    """Serialise an environment's JSON form as AAS ``version`` JSON or XML.

    The content is read by aas-core of the target version and verified; everything that
    version cannot hold is returned in ``problems`` (the caller decides: report, refuse).
    Output is deterministic.
    """
    core = engine(version)
    try:
        instance = core.jsonization.environment_from_jsonable(jsonable)
    except core.jsonization.DeserializationException as exc:
        pointer = pointer_from_tokens(tokens_from_core_path(exc.path))
        return Serialized(b"", [(pointer, exc.cause)])
    problems = [
        (pointer_from_tokens(tokens_from_core_path(err.path)), err.cause)
        for err in core.verification.verify(instance)
    ]
    if kind == "json":
        out = orjson.dumps(core.jsonization.to_jsonable(instance), option=orjson.OPT_INDENT_2)
        return Serialized(out + b"\n", problems)
    text = core.xmlization.to_str(instance)
    return Serialized(('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode(),
                      problems)
