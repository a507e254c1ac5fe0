"""ConceptDescriptions (IEC 61360) for the types and declarations of a NodeSet."""

from __future__ import annotations

from basyx.aas import model
from basyx.aas.model.concept import ConceptDescription

from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.opcua._common import FMT, Tally, ext_ref, lang_text
from omp_models.formats.opcua._common import norm_lang as _lang
from omp_models.formats.opcua._ir import UA_NS, Node, split_key
from omp_models.formats.opcua._space import Space
from omp_models.formats.opcua._values import LText
from omp_models.ids import preserve, sanitize_id_short
from omp_models.units import Unit

__all__ = ["IEC61360", "concept_description"]

IEC61360 = "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIEC61360/3/0"
_T = model.DataTypeIEC61360
_INTEGERS = frozenset(range(2, 10)) | {27, 28}
_REALS = frozenset({10, 11, 26})
_ENUM_VALUES = f"{{{UA_NS}}}Definition"
_DOCUMENTATION = f"{{{UA_NS}}}Documentation"
_CATEGORY = f"{{{UA_NS}}}Category"


def _iec_type(builtin: int | None, has_unit: bool) -> model.DataTypeIEC61360 | None:
    if builtin == 1:
        return _T.BOOLEAN
    if builtin in _INTEGERS:
        return _T.INTEGER_MEASURE if has_unit else _T.INTEGER_COUNT
    if builtin in _REALS:
        return _T.REAL_MEASURE if has_unit else None
    if builtin in (12, 14, 17, 18, 20):
        return _T.STRING
    if builtin == 13:
        return _T.TIMESTAMP
    if builtin == 15:
        return _T.BLOB
    if builtin == 21:
        return _T.STRING_TRANSLATABLE
    if builtin == 29:
        return _T.INTEGER_COUNT
    return None


def concept_description(node: Node, space: Space, found_unit: tuple[Unit, str] | None,
                        tally: Tally, cd_id: str | None = None) -> ConceptDescription:
    """The ConceptDescription of a type, a declaration or a dictionary entry.

    Its id is the node's expanded NodeId, or ``cd_id`` (a dictionary entry's IRDI/IRI).
    ``found_unit`` is the unit of its EngineeringUnits with the source's display text
    (which becomes ``unit``; the UNECE code becomes ``unitId``).
    """
    unit, shown = found_unit if found_unit is not None else (None, "")
    preferred: dict[str, str] = {}
    for locale, text in node.display:
        lang = _lang(locale)
        if text and lang not in preferred:
            preferred[lang] = text[:255]
    preferred.setdefault("en", node.browse_name[:255] or split_key(node.key)[1])
    definition, _ = lang_text(node.description)
    texts = dict(definition) if definition is not None else {}
    if "en" not in texts:
        kind = {"ObjectType": "object type", "VariableType": "variable type",
                "DataType": "data type", "ReferenceType": "reference type"}.get(
                    node.node_class, node.node_class.lower())
        texts["en"] = f"OPC UA {kind} {node.browse_name} ({split_key(node.key)[0]})"
        tally.add(Code.DEFAULTED, IssueSeverity.INFO,
                  "a ConceptDescription definition was generated from the BrowseName (the node "
                  "has no English Description)", node.key, node.line)
    builtin = None
    if node.node_class in ("Variable", "VariableType"):
        builtin = space.builtin(node.data_type)
    elif node.node_class == "DataType":
        builtin = space.builtin(node.key)
    value_list = _value_list(node, space) if builtin == 29 else None
    documentation = _first_text(node, _DOCUMENTATION)
    content = model.DataSpecificationIEC61360(
        model.PreferredNameTypeIEC61360(preferred),
        data_type=_iec_type(builtin, unit is not None),
        definition=model.DefinitionTypeIEC61360(texts),
        unit=(shown or unit.symbol or unit.code)[:255] if unit is not None else None,
        unit_id=ext_ref(unit.unece_iri) if unit is not None else None,
        # basyx keeps the pairs in a set (hash order); the JSON form sorts them
        # (omp_models/aas/_jsonable.py), so the output is the same on every run.
        value_list=set(value_list) if value_list is not None else None,
        source_of_definition=documentation.strip()[:2000] if documentation else None,
    )
    cd = ConceptDescription(
        cd_id or node.key, id_short=sanitize_id_short(node.browse_name),
        embedded_data_specifications=[model.EmbeddedDataSpecification(ext_ref(IEC61360),
                                                                      content)],
    )
    if node.node_class in ("ObjectType", "VariableType", "DataType", "ReferenceType"):
        super_key = space.supertype(node.key)
        if super_key is not None:
            cd.is_case_of.add(ext_ref(super_key))
    categories = [c.text for _, c in node.extras or () if c.tag == _CATEGORY and c.text]
    if categories:
        preserve(cd, FMT, "Category", "\n".join(categories))
    return cd


def _value_list(node: Node, space: Space) -> list[model.ValueReferencePair] | None:
    data_type = node if node.node_class == "DataType" else space.get(node.data_type)
    if data_type is None:
        return None
    pairs: list[model.ValueReferencePair] = []
    definition = data_type.elem.find(_ENUM_VALUES)
    if definition is not None:
        for item in definition.iterchildren(f"{{{UA_NS}}}Field"):
            name = item.get("Name") or ""
            number = item.get("Value") or str(len(pairs))
            if name:
                pairs.append(model.ValueReferencePair(
                    number, ext_ref(f"{data_type.key}#{name}")))
    if not pairs:
        for _, child in space.children(data_type.key):
            if child.browse_name == "EnumStrings":
                from omp_models.formats.opcua._values import parse_value

                items = parse_value(child.value, child.doc) if child.value is not None else None
                if isinstance(items, list):
                    for index, text in enumerate(items):
                        label = text.text if isinstance(text, LText) else str(text)
                        pairs.append(model.ValueReferencePair(
                            str(index), ext_ref(f"{data_type.key}#{label}")))
    return pairs or None


def _first_text(node: Node, tag: str) -> str | None:
    """The text of a node's first child element ``tag`` ("" when empty, None when absent).

    (The node's other children are in ``extras``, in document order.)
    """
    for _, child in node.extras or ():
        if child.tag == tag:
            text: str | None = child.text
            return text or ""
    return None

