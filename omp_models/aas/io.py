"""Read and write AAS documents (JSON, XML, AASX) as the basyx object model, 3.0 or 3.1.

basyx-python-sdk is the object model converters build on, but its readers know only one
metamodel version (3.1 XML) and stop at the first problem. Here aas-core3.0 / aas-core3.1
read and write the documents (both versions, both serialisations) and basyx receives and
produces the version-neutral JSON form in between. Writing a 3.0 document from content that
3.0 cannot hold is reported, never silently "fixed".

An :class:`AasEnvironment` holds either the basyx objects or the JSON form; a reader that
can produce the JSON form directly hands that over, and basyx objects are built only when
a consumer asks for them. Writing verifies with aas-core unless a fast check the caller
passes vouches for the document (see :func:`serialize_environment`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from omp_models.aas._core import (
    MODEL_TYPE_CLASSES,
    NAMESPACES,
    AasVersion,
    class_for_xml_element,
    engine,
)
from omp_models.aas._jsonable import KEY_ORDER, canonical_jsonable, store_to_jsonable
from omp_models.aas._paths import tokens_from_core_path
from omp_models.aas._xml import has_doctype, safe_iterparse
from omp_models.locate import pointer_from_tokens

__all__ = [
    "KEY_ORDER",
    "AasEnvironment",
    "AasReadError",
    "FastCheck",
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


#: A check that vouches for a JSON form: ``check(jsonable, "Environment", version)`` is
#: true only for documents aas-core would read and verify without a finding (the
#: validators' fast metamodel path is one). ``False`` means "not certain".
FastCheck = Callable[[dict[str, Any], str, AasVersion], bool]

_IDENTIFIABLE_LISTS = ("assetAdministrationShells", "submodels", "conceptDescriptions")


class AasEnvironment:
    """An AAS environment as the converters exchange it.

    The identifiables are held in one of two forms: the basyx object store, or their
    JSON form (what :func:`environment_to_jsonable` gives: normalised, identifiables
    sorted by id). A reader that builds the JSON form directly passes ``jsonable`` and
    no basyx object is made unless a consumer asks for :attr:`store`. The first such
    request builds the store from the JSON form; from then on the store is the content
    (the consumer may change its objects) and the JSON form is derived from it again.

    Attributes:
        files: Supplementary files by package path (``/aasx/files/manual.pdf``) with their
            content type, for AASX packages.
        version: The metamodel version the content was read as, if it came from AAS.
    """

    __slots__ = ("_jsonable", "_ordered", "_store", "files", "version")

    def __init__(self, store: Any = None, files: dict[str, tuple[bytes, str]] | None = None,
                 version: AasVersion | None = None, *,
                 jsonable: dict[str, Any] | None = None, ordered: bool = False) -> None:
        """An environment of basyx objects (``store``) or of their JSON form (``jsonable``).

        Args:
            store: A basyx ``DictIdentifiableStore`` (or any object store).
            files: Supplementary files (see the class attributes).
            version: The metamodel version the content was read as.
            jsonable: The JSON form instead of a store: normalised as
                :func:`environment_to_jsonable` gives it. The environment keeps it as it
                is (it is not copied); the caller must not change it afterwards. Objects
                in it may be shared (one reference object used by many elements).
            ordered: The keys of every object of ``jsonable`` are in the order aas-core
                writes them (:data:`KEY_ORDER`): writers use it as it is.

        Raises:
            ValueError: Both a store and a JSON form were given.
        """
        if store is not None and jsonable is not None:
            raise ValueError("an environment is either a store or a JSON form, not both")
        self._store: Any = store
        self._jsonable: dict[str, Any] | None = None if store is not None else (
            jsonable if jsonable is not None else {})
        self._ordered = ordered
        self.files: dict[str, tuple[bytes, str]] = files if files is not None else {}
        self.version: AasVersion | None = version

    @property
    def store(self) -> Any:
        """The identifiables as basyx objects (a ``DictIdentifiableStore``).

        Built from the JSON form on first use; the store is the content from then on.

        Raises:
            AasReadError: basyx refuses the JSON form (it enforces some constraints in its
                constructors, some stricter than the specification).
        """
        if self._store is None:
            assert self._jsonable is not None
            self._store = _store_from_jsonable(self._jsonable)
            self._jsonable = None
        return self._store

    @store.setter
    def store(self, store: Any) -> None:
        self._store = store
        self._jsonable = None

    @property
    def holds_objects(self) -> bool:
        """Whether the content is the basyx store (``False``: the JSON form, no objects yet)."""
        return self._jsonable is None

    @property
    def ordered(self) -> bool:
        """Whether the content is a JSON form whose keys are in aas-core's order."""
        return self._jsonable is not None and self._ordered

    def ids(self) -> list[str]:
        """The ids of the identifiables, without building basyx objects for them."""
        if self._jsonable is None:
            return [identifiable.id for identifiable in self._store]
        return [item["id"] for key in _IDENTIFIABLE_LISTS
                for item in self._jsonable.get(key, ()) if isinstance(item, dict)
                and isinstance(item.get("id"), str)]

    def __repr__(self) -> str:
        form = "store" if self._jsonable is None else "JSON form"
        return f"<AasEnvironment ({form}), {len(self.ids())} identifiables>"


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
    return AasEnvironment(store=_store_from_jsonable(jsonable), version=version)


def _store_from_jsonable(jsonable: dict[str, Any]) -> Any:
    """A basyx store of the identifiables of a JSON form (basyx's strict JSON reader).

    What ``read_aas_json_file(..., failsafe=False)`` does with the JSON text of the form,
    without the text: the decoder's ``object_hook`` gets every object, innermost first,
    as ``json.load`` would hand it over.
    """
    from basyx.aas import model
    from basyx.aas.adapter._generic import JSON_AAS_TOP_LEVEL_KEYS_TO_TYPES
    from basyx.aas.adapter.json import StrictAASFromJsonDecoder

    hook = StrictAASFromJsonDecoder.object_hook

    def build(value: Any) -> Any:
        if type(value) is dict:
            return hook({key: build(item) for key, item in value.items()})
        if type(value) is list:
            return [build(item) for item in value]
        return value

    store: Any = model.DictIdentifiableStore()
    try:
        data = build(jsonable)
        for key, expected in JSON_AAS_TOP_LEVEL_KEYS_TO_TYPES:
            items = data.get(key) if isinstance(data, dict) else None
            for item in items if isinstance(items, list) else ():
                if not isinstance(item, expected):
                    raise TypeError(f"expected a {expected.__name__} in list {key!r}, "
                                    f"found {item!r}")
                store.add(item)  # (KeyError: an identifier given twice)
    except (ValueError, TypeError, KeyError, NotImplementedError, RecursionError) as exc:
        raise AasReadError(f"the AAS object model refuses the content: {exc}") from exc
    return store


def environment_to_jsonable(env: AasEnvironment, *, copy: bool = True) -> dict[str, Any]:
    """The environment's JSON form, as basyx serialises it (version-neutral).

    Normalised for serialisation: empty lists removed, falsy typed values kept, and
    everything basyx holds in sets sorted, so the same content gives the same bytes.

    Args:
        env: The environment.
        copy: ``False``: an environment that holds its JSON form returns that very
            object, which the caller must not change (writers that only read it save
            the copy). Otherwise the result is the caller's own.
    """
    if env._jsonable is None:
        return store_to_jsonable(env.store)
    if not copy:
        return env._jsonable
    copied: dict[str, Any] = orjson.loads(orjson.dumps(env._jsonable))
    return copied


@dataclass
class Serialized:
    """A serialised environment and what did not survive the target version."""

    data: bytes
    problems: list[tuple[str, str]]  # (JSON Pointer, message)


def serialize_environment(
    jsonable: dict[str, Any], version: AasVersion, kind: DocKind, *,
    fast_check: FastCheck | None = None, ordered: bool = False,
) -> Serialized:
    """Serialise an environment's JSON form as AAS ``version`` JSON or XML.

    The content is read by aas-core of the target version and verified; everything that
    version cannot hold is returned in ``problems`` (the caller decides: report, refuse).
    Output is deterministic.

    When ``fast_check`` vouches for the document (it accepts only what aas-core would
    accept), aas-core's verification is skipped, and JSON is written from the JSON form
    itself, its keys in the order aas-core writes them, which gives the same bytes as the
    aas-core route. When it does not, aas-core reads, verifies and reports as above.
    ``ordered`` says the keys are in that order already (:attr:`AasEnvironment.ordered`).
    """
    if fast_check is not None and _vouched(fast_check, jsonable, version):
        if kind == "json":
            canonical = jsonable if ordered else canonical_jsonable(jsonable)
            if canonical is not None:
                return Serialized(orjson.dumps(canonical, option=orjson.OPT_INDENT_2) + b"\n",
                                  [])
        else:
            core = engine(version)
            try:
                instance = core.jsonization.environment_from_jsonable(jsonable)
            except core.jsonization.DeserializationException:
                pass  # (cannot happen for a vouched document; aas-core explains below)
            else:
                return _xml(core, instance, [])
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
    return _xml(core, instance, problems)


def _xml(core: Any, instance: Any, problems: list[tuple[str, str]]) -> Serialized:
    text = core.xmlization.to_str(instance)
    return Serialized(('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode(),
                      problems)


def _vouched(fast_check: FastCheck, jsonable: dict[str, Any], version: AasVersion) -> bool:
    """Whether ``fast_check`` accepts the document (a failing check never stops a write)."""
    try:
        return bool(fast_check(jsonable, "Environment", version))
    except Exception:  # the check only ever spares work: aas-core decides instead
        return False
