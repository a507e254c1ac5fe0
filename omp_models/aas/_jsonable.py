"""The JSON form of a basyx object store, built directly (no JSON text in between).

What ``json.loads(object_store_to_json(store, encoder))`` gives, normalised: empty lists
removed, falsy typed values kept, identifiables sorted by id and everything basyx keeps in
sets sorted, so the same content gives the same bytes. basyx's own encoder methods build
the dicts; what costs most on large environments is avoided:

* basyx's ``default`` builds its class table again and tries every class with
  ``isinstance`` for every object: here a table answers per class;
* its abstract-class part asks ``isinstance`` for seven ABCs per object: here the answers
  are kept per class;
* the JSON text itself (encode, then decode): here the values are plain from the start;
* references, keys and language strings, half of all objects, are written directly (when
  the encoder uses basyx's methods for them).

A differential test compares the result, key order included, with the JSON text route.

:func:`canonical_jsonable` puts the keys of a JSON form in the order aas-core writes them
(the same in 3.0 and 3.1), so that a document can be written without aas-core and still
give aas-core's bytes.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

__all__ = ["KEY_ORDER", "canonical_jsonable", "store_to_jsonable"]


def store_to_jsonable(store: Any) -> dict[str, Any]:
    """The JSON form of the identifiables in ``store`` (see the module docstring)."""
    from basyx.aas.adapter.json.json_serialization import _create_dict

    data: dict[str, Any] = _Plain(_encoder()).value(_create_dict(store))
    # Deterministic order: identifiables sorted by id within each list (the set-valued
    # properties were sorted as their dicts were made).
    for key in ("assetAdministrationShells", "submodels", "conceptDescriptions"):
        if key in data:
            data[key] = sorted(data[key], key=lambda item: str(item.get("id", "")))
            if not data[key]:
                del data[key]
    for shell in data.get("assetAdministrationShells", []):
        _sort_set(shell, "submodels")
    for concept in data.get("conceptDescriptions", []):
        _sort_set(concept, "isCaseOf")
    return data


_Bases = tuple[bool, bool, bool, bool, bool, bool, bool, str | None]
_BASES: dict[type, _Bases] = {}
_IN_LIST: dict[type, bool] = {}


def _bases(cls: type) -> _Bases:
    """Which abstract basyx classes ``cls`` derives from, and its ``modelType``.

    (HasExtension, HasDataSpecification, Referable, Identifiable, HasSemantics, HasKind,
    Qualifiable, modelType of a Referable.) The basyx classes are ABCs: asking
    ``isinstance`` for each of them, for every object, was most of the encoder's time.
    """
    found = _BASES.get(cls)
    if found is None:
        from basyx.aas import model

        referable = issubclass(cls, model.Referable)
        found = _BASES[cls] = (
            issubclass(cls, model.HasExtension), issubclass(cls, model.HasDataSpecification),
            referable, issubclass(cls, model.Identifiable), issubclass(cls, model.HasSemantics),
            issubclass(cls, model.HasKind), issubclass(cls, model.Qualifiable),
            _model_type(cls) if referable else None)
    return found


def _model_type(cls: type) -> str:
    from basyx.aas import model

    found = next((t for t in cls.__mro__ if t in model.KEY_TYPES_CLASSES), None)
    if found is None:
        raise TypeError(f"Could not find a matching class in KEY_TYPES_CLASSES for {cls}")
    return found.__name__


def _in_list(cls: type) -> bool:
    """Whether a parent of class ``cls`` is a SubmodelElementList (its items have no idShort)."""
    found = _IN_LIST.get(cls)
    if found is None:
        from basyx.aas import model

        found = _IN_LIST[cls] = issubclass(cls, model.SubmodelElementList)
    return found


@cache
def _encoder() -> type:
    """The JSON encoder of basyx, with falsy typed values (``0``, ``false``, ``""``) kept.

    Basyx writes a Qualifier's or Extension's ``value`` only when it is truthy, which drops
    ``0`` and ``false`` silently. The attributes of the abstract classes are written as
    basyx writes them, with the class questions answered once per class.
    """
    from basyx.aas import model
    from basyx.aas.adapter.json import AASToJsonEncoder

    template = model.ModellingKind.TEMPLATE

    class _Encoder(AASToJsonEncoder):
        @classmethod
        def _abstract_classes_to_json(cls, obj: object) -> dict[str, object]:
            # basyx's method, line for line, with the class questions answered by _bases
            o: Any = obj
            extension, data_spec, referable, identifiable, semantics, kind, qualifiable, \
                model_type = _bases(type(o))
            data: dict[str, object] = {}
            if extension and not cls.stripped and o.extension:
                data["extensions"] = list(o.extension)
            if data_spec and not cls.stripped and o.embedded_data_specifications:
                data["embeddedDataSpecifications"] = [
                    {"dataSpecification": spec.data_specification,
                     "dataSpecificationContent": spec.data_specification_content}
                    for spec in o.embedded_data_specifications
                ]
            if referable:
                if o.id_short and not _in_list(type(o.parent)):
                    data["idShort"] = o.id_short
                if o.display_name:
                    data["displayName"] = o.display_name
                if o.category:
                    data["category"] = o.category
                if o.description:
                    data["description"] = o.description
                data["modelType"] = model_type
            if identifiable:
                data["id"] = o.id
                if o.administration:
                    data["administration"] = o.administration
            if semantics:
                if o.semantic_id:
                    data["semanticId"] = o.semantic_id
                if o.supplemental_semantic_id:
                    data["supplementalSemanticIds"] = list(o.supplemental_semantic_id)
            if kind and o.kind is template:
                data["kind"] = "Template"
            if qualifiable and not cls.stripped and o.qualifier:
                data["qualifiers"] = list(o.qualifier)
            return data

        @classmethod
        def _qualifier_to_json(cls, obj: Any) -> dict[str, object]:
            return _with_falsy_value(super()._qualifier_to_json(obj), obj)

        @classmethod
        def _extension_to_json(cls, obj: Any) -> dict[str, object]:
            return _with_falsy_value(super()._extension_to_json(obj), obj)

    return _Encoder


class _Plain:
    """basyx objects -> plain JSON values, the way the basyx encoder writes them.

    The same as ``json.loads(json.dumps(obj, cls=encoder))`` with empty lists removed and
    the set-valued properties sorted, without the text in between. The encoder's own
    methods build the dicts; a per-class table picks the method (basyx's ``default``
    rebuilds its table and tries every class with ``isinstance`` for each object).
    References, keys and language strings, a good half of all objects, are written
    directly when the encoder uses basyx's own methods for them.
    """

    def __init__(self, encoder: Any) -> None:
        from basyx.aas.adapter import _generic
        from basyx.aas.adapter.json import AASToJsonEncoder

        self._serializers: dict[type, Any] = encoder._get_aas_class_serializers()
        self._methods: dict[type, Any] = {}
        self._key_types = _generic.KEY_TYPES
        self._reference_types = _generic.REFERENCE_TYPES

        def stock(name: str) -> Any:
            return getattr(AASToJsonEncoder, name).__func__

        self._fast: dict[Any, Any] = {}
        if all(getattr(encoder, n).__func__ is stock(n)
               for n in ("_reference_to_json", "_key_to_json")):
            self._fast[stock("_reference_to_json")] = self._reference
        if encoder._lang_string_set_to_json.__func__ is stock("_lang_string_set_to_json"):
            self._fast[stock("_lang_string_set_to_json")] = self._lang_strings

    def _method(self, obj: Any) -> Any:
        """The function that gives the plain value of objects of ``obj``'s class."""
        cls = type(obj)
        # the first class of the table the object is an instance of, as basyx does
        found = next((m for t, m in self._serializers.items() if isinstance(obj, t)), None)
        if found is None:
            raise TypeError(f"Object of type {cls.__name__} is not JSON serializable")
        fast = self._fast.get(getattr(found, "__func__", None))
        if fast is None:
            def fast(item: Any, method: Any = found) -> Any:
                data = method(item)
                return self._fill(data) if type(data) is dict else self.value(data)
        self._methods[cls] = fast
        return fast

    def value(self, obj: Any) -> Any:
        """The plain JSON value of ``obj`` (what the JSON text would read back as)."""
        cls = type(obj)
        if cls in _SCALARS:
            return obj
        method = self._methods.get(cls)
        if method is not None:
            return method(obj)
        if cls is dict:
            return self._dict(obj)
        if cls is list or cls is tuple:
            return self._list(obj)
        # subclasses of the JSON types, in the order the json encoder tries them
        if isinstance(obj, str):
            return str.__str__(obj)
        if isinstance(obj, int):
            return int(int.__repr__(obj))
        if isinstance(obj, float):
            return float(float.__repr__(obj))
        if isinstance(obj, list | tuple):
            return self._list(obj)
        if isinstance(obj, dict):
            return self._dict(obj)
        return self._method(obj)(obj)

    def _list(self, obj: Any) -> list[Any]:
        value = self.value
        return [item if type(item) in _SCALARS else value(item) for item in obj]

    def _dict(self, obj: dict[Any, Any]) -> dict[str, Any]:
        value = self.value
        out: dict[str, Any] = {}
        for key, item in obj.items():
            if type(item) not in _SCALARS:
                item = value(item)
                if type(item) is list and not item:
                    continue  # (the metamodel forbids empty lists; absent means the same)
            out[key if type(key) is str else _json_key(key)] = item
        return _sort_sets(out)

    def _fill(self, data: dict[Any, Any]) -> dict[str, Any]:
        """Like :meth:`_dict`, in place: for the new dicts the encoder's methods return."""
        value = self.value
        empty: list[Any] = []
        for key, item in data.items():
            if type(key) is not str:
                return self._dict(data)  # (what was converted so far stays as it is)
            if type(item) not in _SCALARS:
                item = data[key] = value(item)
                if type(item) is list and not item:
                    empty.append(key)
        for key in empty:
            del data[key]
        return _sort_sets(data)

    def _reference(self, obj: Any) -> dict[str, Any]:
        """A Reference as basyx writes it (its abstract classes add nothing)."""
        key_types = self._key_types
        value = self.value
        keys = [{"type": key_types[k.type],
                 "value": k.value if type(k.value) is str else value(k.value)} for k in obj.key]
        data: dict[str, Any] = {"type": self._reference_types[obj.__class__]}
        if keys:
            data["keys"] = keys
        if obj.referred_semantic_id is not None:
            data["referredSemanticId"] = self._reference(obj.referred_semantic_id)
        return data

    def _lang_strings(self, obj: Any) -> list[dict[str, Any]]:
        value = self.value
        return [{"language": k if type(k) is str else value(k),
                 "text": v if type(v) is str else value(v)} for k, v in obj.items()]


def _json_key(key: Any) -> str:
    """A dict key as the json module writes it."""
    if isinstance(key, str):
        return str.__str__(key)
    text: str = json.dumps(key) if isinstance(key, bool | int | float) or key is None else ""
    if not text:
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
    return text


#: The classes the json module writes as they are (no conversion needed).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _with_falsy_value(data: dict[str, object], obj: Any) -> dict[str, object]:
    """``data`` with ``obj.value`` written even when falsy (basyx drops ``0`` and ``false``)."""
    if obj.value is not None:
        from basyx.aas import model

        data["value"] = model.datatypes.xsd_repr(obj.value)
    return data


def _sort_sets(data: dict[str, Any]) -> dict[str, Any]:
    """Sort the properties basyx keeps in sets (so in hash order).

    These are an Extension's ``refersTo``, a value list's ``valueReferencePairs`` and an
    Entity's ``specificAssetIds``.
    """
    if "refersTo" in data and "name" in data:
        _sort_set(data, "refersTo")
    if "valueReferencePairs" in data:
        _sort_set(data, "valueReferencePairs")
    if "specificAssetIds" in data and data.get("modelType") == "Entity":
        _sort_set(data, "specificAssetIds")
    return data


def _sort_set(obj: dict[str, Any], key: str) -> None:
    if isinstance(obj.get(key), list):
        obj[key] = sorted(obj[key], key=lambda item: json.dumps(item, sort_keys=True))


# ---------------------------------------------------------------------- aas-core key order

_REFERABLE = ("extensions", "category", "idShort", "displayName", "description")
_SEMANTIC = ("semanticId", "supplementalSemanticIds")
_ELEMENT = (*_REFERABLE, *_SEMANTIC, "qualifiers", "embeddedDataSpecifications")

#: Keys in the order aas-core's ``to_jsonable`` writes them: by ``modelType``, and for the
#: classes without one by a ``#name`` (``tests/unit/test_aas_environment.py`` compares
#: this table with aas-core's serialiser, both versions).
KEY_ORDER: dict[str, tuple[str, ...]] = {
    "AssetAdministrationShell": (*_REFERABLE, "administration", "id",
                                 "embeddedDataSpecifications", "derivedFrom",
                                 "assetInformation", "submodels", "modelType"),
    "Submodel": (*_REFERABLE, "administration", "id", "kind", *_SEMANTIC, "qualifiers",
                 "embeddedDataSpecifications", "submodelElements", "modelType"),
    "ConceptDescription": (*_REFERABLE, "administration", "id", "embeddedDataSpecifications",
                           "isCaseOf", "modelType"),
    "RelationshipElement": (*_ELEMENT, "first", "second", "modelType"),
    "AnnotatedRelationshipElement": (*_ELEMENT, "first", "second", "annotations", "modelType"),
    "SubmodelElementList": (*_ELEMENT, "orderRelevant", "semanticIdListElement",
                            "typeValueListElement", "valueTypeListElement", "value",
                            "modelType"),
    "SubmodelElementCollection": (*_ELEMENT, "value", "modelType"),
    "Property": (*_ELEMENT, "valueType", "value", "valueId", "modelType"),
    "MultiLanguageProperty": (*_ELEMENT, "value", "valueId", "modelType"),
    "Range": (*_ELEMENT, "valueType", "min", "max", "modelType"),
    "ReferenceElement": (*_ELEMENT, "value", "modelType"),
    "Blob": (*_ELEMENT, "value", "contentType", "modelType"),
    "File": (*_ELEMENT, "value", "contentType", "modelType"),
    "Entity": (*_ELEMENT, "statements", "entityType", "globalAssetId", "specificAssetIds",
               "modelType"),
    "BasicEventElement": (*_ELEMENT, "observed", "direction", "state", "messageTopic",
                          "messageBroker", "lastUpdate", "minInterval", "maxInterval",
                          "modelType"),
    "Operation": (*_ELEMENT, "inputVariables", "outputVariables", "inoutputVariables",
                  "modelType"),
    "Capability": (*_ELEMENT, "modelType"),
    "DataSpecificationIec61360": ("preferredName", "shortName", "unit", "unitId",
                                  "sourceOfDefinition", "symbol", "dataType", "definition",
                                  "valueFormat", "valueList", "value", "levelType",
                                  "modelType"),
    "#Environment": ("assetAdministrationShells", "submodels", "conceptDescriptions"),
    "#Extension": (*_SEMANTIC, "name", "valueType", "value", "refersTo"),
    "#AdministrativeInformation": ("embeddedDataSpecifications", "version", "revision",
                                   "creator", "templateId"),
    "#Qualifier": (*_SEMANTIC, "kind", "type", "valueType", "value", "valueId"),
    "#AssetInformation": ("assetKind", "globalAssetId", "specificAssetIds", "assetType",
                          "defaultThumbnail"),
    "#Resource": ("path", "contentType"),
    "#SpecificAssetId": (*_SEMANTIC, "name", "value", "externalSubjectId"),
    "#Reference": ("type", "referredSemanticId", "keys"),
    "#Key": ("type", "value"),
    "#LangString": ("language", "text"),
    "#EmbeddedDataSpecification": ("dataSpecification", "dataSpecificationContent"),
    "#LevelType": ("min", "nom", "typ", "max"),
    "#ValueReferencePair": ("value", "valueId"),
    "#ValueList": ("valueReferencePairs",),
    "#OperationVariable": ("value",),
}

_TAGGED = "*"  # (objects whose class their modelType says)
_REFERENCE_KEYS = ("semanticId", "supplementalSemanticIds", "valueId", "refersTo",
                   "derivedFrom", "isCaseOf", "first", "second", "observed", "messageBroker",
                   "semanticIdListElement", "externalSubjectId", "unitId",
                   "dataSpecification", "referredSemanticId", "creator")
_CHILDREN: dict[str, str] = {
    **dict.fromkeys(_REFERENCE_KEYS, "#Reference"),
    **dict.fromkeys(("displayName", "description", "preferredName", "shortName",
                     "definition"), "#LangString"),
    **dict.fromkeys(("inputVariables", "outputVariables", "inoutputVariables"),
                    "#OperationVariable"),
    **dict.fromkeys(("submodelElements", "statements", "annotations",
                     "assetAdministrationShells", "conceptDescriptions",
                     "dataSpecificationContent"), _TAGGED),
    "extensions": "#Extension", "qualifiers": "#Qualifier",
    "administration": "#AdministrativeInformation", "assetInformation": "#AssetInformation",
    "defaultThumbnail": "#Resource", "specificAssetIds": "#SpecificAssetId",
    "embeddedDataSpecifications": "#EmbeddedDataSpecification", "keys": "#Key",
    "levelType": "#LevelType", "valueList": "#ValueList",
    "valueReferencePairs": "#ValueReferencePair",
}
#: The keys whose class depends on the class that holds them (otherwise plain values).
_SPECIAL: dict[tuple[str, str], str] = {
    ("#Environment", "submodels"): _TAGGED,
    ("AssetAdministrationShell", "submodels"): "#Reference",
    ("SubmodelElementCollection", "value"): _TAGGED,
    ("SubmodelElementList", "value"): _TAGGED,
    ("#OperationVariable", "value"): _TAGGED,
    ("MultiLanguageProperty", "value"): "#LangString",
    ("ReferenceElement", "value"): "#Reference",
}

#: Class -> key -> (rank, class of its value or None for plain values).
_SPECS: dict[str, dict[str, tuple[int, str | None]]] = {
    cls: {key: (rank, _SPECIAL.get((cls, key), None if key in ("submodels", "value")
                                   else _CHILDREN.get(key))) for rank, key in enumerate(keys)}
    for cls, keys in KEY_ORDER.items()
}


class _NotCanonical(Exception):
    """The JSON form holds a plain value where an object or a list belongs."""


def canonical_jsonable(jsonable: dict[str, Any]) -> dict[str, Any] | None:
    """An environment's JSON form with its keys in the order aas-core writes them.

    Objects already in that order are kept as they are (not copied); the others are
    copied in order. ``None`` when the form holds something aas-core would not read (an
    unknown key, a list where an object belongs): the caller lets aas-core decide.
    """
    try:
        return _Canonical().object(jsonable, "#Environment")
    except (_NotCanonical, KeyError, TypeError, AttributeError, RecursionError):
        return None


#: (class, the keys of an object in their order) -> whether that order is aas-core's, and
#: the keys whose values are objects with their classes. Objects of one class mostly
#: share a few key sets: the plan is made once per key set.
_Plan = tuple[bool, tuple[tuple[str, str], ...], dict[str, tuple[int, str | None]]]
_PLANS: dict[tuple[str, tuple[str, ...]], _Plan] = {}


def _plan(cls: str, keys: tuple[str, ...]) -> _Plan:
    spec = _SPECS[cls]
    ranks = [spec[key][0] for key in keys]  # (KeyError: a key aas-core does not know)
    children = tuple((key, child) for key in keys if (child := spec[key][1]) is not None)
    if len(_PLANS) > 10_000:  # (documents in every key order there is)
        _PLANS.clear()
    _PLANS[(cls, keys)] = plan = (ranks == sorted(ranks), children, spec)
    return plan


class _Canonical:
    def __init__(self) -> None:
        #: References are often one shared object (converters share them per value).
        self._references: dict[int, dict[str, Any]] = {}

    def object(self, data: dict[str, Any], cls: str) -> dict[str, Any]:
        if cls == "#Reference":
            done = self._references.get(id(data))
            if done is not None:
                return done
        if cls == _TAGGED:
            cls = data["modelType"]
        keys = tuple(data)
        ordered, children, spec = _PLANS.get((cls, keys)) or _plan(cls, keys)
        out: dict[str, Any] | None = None
        for key, child in children:
            value = data[key]
            kind = type(value)
            if kind is list:
                new: Any = self.items(value, child)
            elif kind is dict:
                new = self.object(value, child)
            else:
                raise _NotCanonical(key)
            if new is not value:
                if out is None:
                    out = dict(data)
                out[key] = new
        if not ordered:
            source = out if out is not None else data
            out = {key: source[key] for key in sorted(source, key=lambda k: spec[k][0])}
        result = data if out is None else out
        if cls == "#Reference":
            self._references[id(data)] = result
        return result

    def items(self, values: list[Any], cls: str) -> list[Any]:
        out: list[Any] | None = None
        for index, value in enumerate(values):
            if type(value) is not dict:
                raise _NotCanonical(cls)
            new = self.object(value, cls)
            if new is not value:
                if out is None:
                    out = list(values)
                out[index] = new
        return values if out is None else out
