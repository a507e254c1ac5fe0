"""The metamodel engines: aas-core3.0 and aas-core3.1, behind one small interface.

Both libraries are generated from the specification and share one API; this module picks
the right one per metamodel version and exposes the class catalogue the readers need
(spec class name -> JSON/XML deserialiser).
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from types import ModuleType
from typing import Any, Literal

AasVersion = Literal["3.0", "3.1"]

SUPPORTED_VERSIONS: tuple[AasVersion, ...] = ("3.0", "3.1")

NAMESPACES: dict[str, AasVersion] = {
    "https://admin-shell.io/aas/3/0": "3.0",
    "https://admin-shell.io/aas/3/1": "3.1",
}

_PACKAGES: dict[str, str] = {"3.0": "aas_core3", "3.1": "aas_core3_1"}

#: Concrete metamodel classes that a document may hold alone, in the spec's spelling.
CONCRETE_CLASSES: tuple[str, ...] = (
    "Environment",
    "AssetAdministrationShell",
    "Submodel",
    "ConceptDescription",
    "RelationshipElement",
    "AnnotatedRelationshipElement",
    "SubmodelElementList",
    "SubmodelElementCollection",
    "Property",
    "MultiLanguageProperty",
    "Range",
    "ReferenceElement",
    "Blob",
    "File",
    "Entity",
    "BasicEventElement",
    "Operation",
    "Capability",
    "DataSpecificationIec61360",
    "Reference",
    "Key",
    "SpecificAssetId",
    "Extension",
    "Qualifier",
    "AdministrativeInformation",
    "AssetInformation",
    "Resource",
    "OperationVariable",
    "EmbeddedDataSpecification",
    "ValueList",
    "ValueReferencePair",
    "LevelType",
    "EventPayload",
    "LangStringTextType",
    "LangStringNameType",
    "LangStringPreferredNameTypeIec61360",
    "LangStringShortNameTypeIec61360",
    "LangStringDefinitionTypeIec61360",
)

#: Classes whose JSON form carries a ``modelType`` discriminator.
MODEL_TYPE_CLASSES: frozenset[str] = frozenset(CONCRETE_CLASSES[1:19])

#: Classes without ``modelType``, in the order tried when a JSON document does not say.
UNTAGGED_CLASSES: tuple[str, ...] = tuple(
    c for c in CONCRETE_CLASSES if c not in MODEL_TYPE_CLASSES
)

_SNAKE_RE = re.compile(r"(?<=[a-z])(?=[A-Z0-9])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(class_name: str) -> str:
    """``DataSpecificationIec61360`` -> ``data_specification_iec_61360``."""
    return _SNAKE_RE.sub("_", class_name).lower()


def lower_camel(class_name: str) -> str:
    """``SubmodelElementList`` -> ``submodelElementList`` (the XML element name)."""
    return class_name[:1].lower() + class_name[1:]


_XML_NAMES: dict[str, str] = {lower_camel(c): c for c in CONCRETE_CLASSES}
_CASEFOLDED: dict[str, str] = {c.casefold(): c for c in CONCRETE_CLASSES}


def class_for_xml_element(local_name: str) -> str | None:
    """The spec class name for an XML root element's local name, if it is one."""
    return _XML_NAMES.get(local_name)


def canonical_class_name(name: str) -> str | None:
    """Normalise a user-given class name (``property``, ``SpecificAssetID``) or ``None``."""
    return _CASEFOLDED.get(name.casefold())


class Engine:
    """One metamodel version's aas-core modules, each imported on first use.

    (aas-core's modules are large; a JSON-only run never needs ``xmlization``.)
    """

    def __init__(self, version: AasVersion) -> None:
        self.version: AasVersion = version
        self._package = _PACKAGES[version]

    def _module(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self._package}.{name}")

    @property
    def types(self) -> ModuleType:
        """``aas_core3*.types``."""
        return self._module("types")

    @property
    def jsonization(self) -> ModuleType:
        """``aas_core3*.jsonization``."""
        return self._module("jsonization")

    @property
    def xmlization(self) -> ModuleType:
        """``aas_core3*.xmlization``."""
        return self._module("xmlization")

    @property
    def verification(self) -> ModuleType:
        """``aas_core3*.verification``."""
        return self._module("verification")

    @property
    def namespace(self) -> str:
        """The XML namespace of this metamodel version."""
        return next(ns for ns, v in NAMESPACES.items() if v == self.version)

    def from_jsonable(self, class_name: str, jsonable: Any) -> Any:
        """Deserialise a JSON value as an instance of ``class_name``."""
        return getattr(self.jsonization, f"{snake_case(class_name)}_from_jsonable")(jsonable)

    def from_iterparse(self, class_name: str, iterator: Any) -> Any:
        """Deserialise XML events as an instance of ``class_name``."""
        return getattr(self.xmlization, f"{snake_case(class_name)}_from_iterparse")(iterator)


@cache
def engine(version: AasVersion) -> Engine:
    """The aas-core engine for ``version`` (imported on first use)."""
    return Engine(version)
