"""The lossless intermediate form of a SiteWise metadata-transfer document.

Every node keeps the JSON Pointer it came from (``pointer``) so report entries point back
into the source, and every key the converter does not model (``extra``) so a round trip
restores it. The same classes are built by the AAS side of the writer and serialised by
:func:`document_to_json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Asset",
    "AssetHierarchy",
    "AssetModel",
    "AssetProperty",
    "CompositeModel",
    "Document",
    "Hierarchy",
    "ModelProperty",
    "Variable",
    "document_to_json",
]

#: SiteWise property kinds (the single key of a property's ``type`` object).
KINDS = ("attribute", "measurement", "transform", "metric")


@dataclass
class Variable:
    """An expression variable: a name and what it points at (kept verbatim)."""

    name: str
    value: dict[str, Any]
    pointer: str = ""


@dataclass
class ModelProperty:
    """An asset model property (attribute, measurement, transform or metric)."""

    name: str
    data_type: str
    kind: str
    pointer: str = ""
    id: str | None = None
    external_id: str | None = None
    data_type_spec: str | None = None
    unit: str | None = None
    default_value: str | None = None
    expression: str | None = None
    variables: list[Variable] = field(default_factory=list)
    window: dict[str, Any] | None = None
    #: Keys of the kind object besides the modelled ones (``processingConfig``...).
    type_extra: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str | None:
        """The identity other objects use (external id first, then id)."""
        return self.external_id or self.id


@dataclass
class Hierarchy:
    """An asset model hierarchy: a named slot for child assets of one model."""

    name: str
    pointer: str = ""
    id: str | None = None
    external_id: str | None = None
    child_model_id: str | None = None
    child_model_external_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def child_ref(self) -> str | None:
        """The child model as referenced (external id first)."""
        return self.child_model_external_id or self.child_model_id


@dataclass
class CompositeModel:
    """A composite model (inline ``CUSTOM``, component-model-based, or ``AWS/ALARM``)."""

    name: str
    type: str
    pointer: str = ""
    id: str | None = None
    external_id: str | None = None
    description: str | None = None
    composed_model_id: str | None = None
    composed_model_external_id: str | None = None
    properties: list[ModelProperty] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str | None:
        """The identity (external id first)."""
        return self.external_id or self.id

    @property
    def composed_ref(self) -> str | None:
        """The component model it is based on, if any."""
        return self.composed_model_external_id or self.composed_model_id


@dataclass
class AssetModel:
    """An asset model (``ASSET_MODEL``) or component model (``COMPONENT_MODEL``)."""

    name: str
    pointer: str = ""
    id: str | None = None
    external_id: str | None = None
    description: str | None = None
    model_type: str | None = None
    properties: list[ModelProperty] = field(default_factory=list)
    hierarchies: list[Hierarchy] = field(default_factory=list)
    composites: list[CompositeModel] = field(default_factory=list)
    tags: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str | None:
        """The identity assets and hierarchies use (external id first)."""
        return self.external_id or self.id


@dataclass
class AssetProperty:
    """An asset's setting for one model property: alias, unit, attribute value."""

    pointer: str = ""
    id: str | None = None
    external_id: str | None = None
    alias: str | None = None
    unit: str | None = None
    attribute_value: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str | None:
        """The model property it sets."""
        return self.external_id or self.id


@dataclass
class AssetHierarchy:
    """One child asset in one of the asset's hierarchies."""

    pointer: str = ""
    id: str | None = None
    external_id: str | None = None
    child_id: str | None = None
    child_external_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str | None:
        """The model hierarchy it fills."""
        return self.external_id or self.id

    @property
    def child_ref(self) -> str | None:
        """The child asset."""
        return self.child_external_id or self.child_id


@dataclass
class Asset:
    """An asset: an instance of an asset model."""

    name: str
    pointer: str = ""
    id: str | None = None
    external_id: str | None = None
    model_id: str | None = None
    model_external_id: str | None = None
    description: str | None = None
    properties: list[AssetProperty] = field(default_factory=list)
    hierarchies: list[AssetHierarchy] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str | None:
        """The identity hierarchies use (external id first)."""
        return self.external_id or self.id

    @property
    def model_ref(self) -> str | None:
        """The asset model it instantiates."""
        return self.model_external_id or self.model_id


@dataclass
class Document:
    """A metadata-transfer document: ``assetModels`` and ``assets``."""

    models: list[AssetModel] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != [] and value != {}:
        out[key] = value


def _property_json(prop: ModelProperty) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _put(out, "id", prop.id)
    _put(out, "externalId", prop.external_id)
    out["name"] = prop.name
    out["dataType"] = prop.data_type
    _put(out, "dataTypeSpec", prop.data_type_spec)
    _put(out, "unit", prop.unit)
    body: dict[str, Any] = {}
    if prop.kind == "attribute":
        _put(body, "defaultValue", prop.default_value)
    elif prop.kind in ("transform", "metric"):
        _put(body, "expression", prop.expression)
        _put(body, "variables", [{"name": v.name, "value": v.value} for v in prop.variables])
        _put(body, "window", prop.window)
    body.update(prop.type_extra)
    out["type"] = {prop.kind: body}
    out.update(prop.extra)
    return out


def _hierarchy_json(h: Hierarchy) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _put(out, "id", h.id)
    _put(out, "externalId", h.external_id)
    out["name"] = h.name
    _put(out, "childAssetModelId", h.child_model_id)
    _put(out, "childAssetModelExternalId", h.child_model_external_id)
    out.update(h.extra)
    return out


def _composite_json(c: CompositeModel) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _put(out, "id", c.id)
    _put(out, "externalId", c.external_id)
    out["name"] = c.name
    _put(out, "description", c.description)
    out["type"] = c.type
    _put(out, "composedAssetModelId", c.composed_model_id)
    _put(out, "composedAssetModelExternalId", c.composed_model_external_id)
    _put(out, "properties", [_property_json(p) for p in c.properties])
    out.update(c.extra)
    return out


def _model_json(m: AssetModel) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _put(out, "assetModelId", m.id)
    _put(out, "assetModelExternalId", m.external_id)
    out["assetModelName"] = m.name
    _put(out, "assetModelDescription", m.description)
    _put(out, "assetModelType", m.model_type)
    out["assetModelProperties"] = [_property_json(p) for p in m.properties]
    _put(out, "assetModelHierarchies", [_hierarchy_json(h) for h in m.hierarchies])
    _put(out, "assetModelCompositeModels", [_composite_json(c) for c in m.composites])
    _put(out, "tags", m.tags)
    out.update(m.extra)
    return out


def _asset_json(a: Asset) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _put(out, "assetId", a.id)
    _put(out, "assetExternalId", a.external_id)
    out["assetName"] = a.name
    _put(out, "assetDescription", a.description)
    _put(out, "assetModelId", a.model_id)
    _put(out, "assetModelExternalId", a.model_external_id)
    props = []
    for p in a.properties:
        item: dict[str, Any] = {}
        _put(item, "id", p.id)
        _put(item, "externalId", p.external_id)
        _put(item, "alias", p.alias)
        _put(item, "unit", p.unit)
        _put(item, "attributeValue", p.attribute_value)
        item.update(p.extra)
        props.append(item)
    _put(out, "assetProperties", props)
    hierarchies = []
    for h in a.hierarchies:
        item = {}
        _put(item, "id", h.id)
        _put(item, "externalId", h.external_id)
        _put(item, "childAssetId", h.child_id)
        _put(item, "childAssetExternalId", h.child_external_id)
        item.update(h.extra)
        hierarchies.append(item)
    _put(out, "assetHierarchies", hierarchies)
    out.update(a.extra)
    return out


def document_to_json(doc: Document) -> dict[str, Any]:
    """The document as metadata-transfer JSON (keys in a fixed order; empty lists left out)."""
    out: dict[str, Any] = {}
    if doc.models:
        out["assetModels"] = [_model_json(m) for m in doc.models]
    if doc.assets:
        out["assets"] = [_asset_json(a) for a in doc.assets]
    out.update(doc.extra)
    return out
