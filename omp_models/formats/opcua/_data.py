"""Variable and Method nodes -> data elements: values, structures, arrays, units, arguments.

:class:`DataMapper` is the base of the element builder (:mod:`._elements`); it turns a
Variable's value into a Property, MultiLanguageProperty, Range, SubmodelElementList or
(for structures) a SubmodelElementCollection of its fields, a Variable's properties
(EngineeringUnits, EURange...) into qualifiers and units, and a Method into an Operation.

Elements are built in the AAS JSON form (each object's keys in the order aas-core writes
them); typed values are written in the lexical form basyx gives them (``1`` as a double
is ``1.0``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.opcua._common import (
    CARDINALITY_SEMANTIC_ID,
    FMT,
    Json,
    Tally,
    ext_ref,
    keep,
    lang_strings,
    qualifier,
)
from omp_models.formats.opcua._common import norm_lang as _lang
from omp_models.formats.opcua._ir import UA_NS, Node
from omp_models.formats.opcua._json import collection, element_list, with_qualifier, xs_text
from omp_models.formats.opcua._space import HAS_PROPERTY, Decl, Space, ns0
from omp_models.formats.opcua._values import BUILTIN_NAMES, XS_OF_UA, LText, Struct, parse_value
from omp_models.ids import IdShortAllocator
from omp_models.units import Unit, units

__all__ = ["DataMapper", "Scope"]

_RANGE = ns0(884)
_MISSING = object()
_FIELD_DEPTH = 8


class Scope:
    """Where elements are being built: one submodel (template or instance).

    Attributes:
        template: Whether the submodel is a template (declarations, cardinalities).
        placed: Node key -> the element built for it (JSON form).
        pending: ReferenceElements and the node key they point at (resolved at the end).
        owners: BasicEventElements / RelationshipElements, the node they belong to and the
            target node of a relationship.
        submodel: The submodel, once made (references into the scope are paths in it).
    """

    def __init__(self, template: bool) -> None:
        self.template = template
        self.submodel: Json | None = None
        self.placed: dict[str, Json] = {}
        self.pending: list[tuple[Json, str]] = []
        self.owners: list[tuple[Json, str, str | None]] = []


class DataMapper(ABC):
    """Data elements of Variables and Operations of Methods (base of the builder)."""

    def __init__(self, space: Space, report: ConversionReport, tally: Tally, file: str) -> None:
        self.space = space
        self.report = report
        self.tally = tally
        self.file = file
        #: Units found for semanticIds (EngineeringUnits of a declaration) with the
        #: source's display text for them.
        self.units: dict[str, tuple[Unit, str]] = {}
        self._values: dict[str, Any] = {}
        #: Report entries made while a declaration is built for the first time (``None``:
        #: not recording), to make them again where the built element is used again.
        self._events: list[tuple[bool, tuple[Any, ...], dict[str, Any]]] | None = None

    def _count(self, code: Code, severity: IssueSeverity, what: str, source: str | None,
               line: int | None = None) -> None:
        """Count a report entry in the tally (see :class:`~._common.Tally`)."""
        if self._events is not None:
            self._events.append((False, (code, severity, what, source, line), {}))
        self.tally.add(code, severity, what, source, line)

    def _report(self, code: Code, severity: IssueSeverity, message: str, **where: Any) -> None:
        """Add a report entry (``where``: its location, as ``ConversionReport.add`` takes it)."""
        if self._events is not None:
            self._events.append((True, (code, severity, message), where))
        self.report.add(code, severity, message, **where)

    def _replay(self, events: list[tuple[bool, tuple[Any, ...], dict[str, Any]]]) -> None:
        """Make recorded report entries again, in their order."""
        for is_report, args, where in events:
            if is_report:
                self._report(*args, **where)
            else:
                self._count(*args)

    # Provided by the builder.
    @abstractmethod
    def primary_parent(self, node: Node) -> str | None:
        """The node a node hangs below."""

    @abstractmethod
    def is_skipped(self, node: Node) -> bool:
        """Whether a node is not converted."""

    @abstractmethod
    def container_children(self, node: Node, type_key: str | None, scope: Scope, path: str,
                           depth: int, names: IdShortAllocator | None = None,
                           decls: list[Decl] | None = None, skip: frozenset[str] = frozenset()
                           ) -> list[Json]:
        """Elements for the children of a node."""

    @abstractmethod
    def _concept(self, key: str) -> None:
        ...

    def value_of(self, node: Node) -> Any:
        """The parsed ``<Value>`` of a Variable (``None`` when absent), memoised."""
        if node.value is None:
            return None
        found = self._values.get(node.key, _MISSING)
        if found is _MISSING:
            found = parse_value(node.value, node.doc)
            self._values[node.key] = found
        return found

    # ------------------------------------------------------------------ variables
    def _variable(self, node: Node, id_short: str, scope: Scope, path: str,
                  decl: Decl | None, depth: int) -> Json:
        properties: list[Node] = []
        components: list[Node] = []
        for rtype, child in self.space.children(node.key):
            if self.primary_parent(child) != node.key or self.is_skipped(child):
                continue
            (properties if rtype == HAS_PROPERTY and child.node_class == "Variable"
             else components).append(child)
        value = self.value_of(node)
        if components:
            typedef = self.space.type_definition(node.key)
            names = IdShortAllocator()
            children = self.container_children(node, typedef, scope, path, depth, names)
            own = self._data(node, "Value", value, scope.template, names)
            if own is not None and own["modelType"] != "SubmodelElementCollection":
                children.insert(0, own)
            return collection(id_short, children)
        element = self._data(node, id_short, value, scope.template, None)
        if element is None:
            element = {"idShort": id_short, "valueType": "xs:string", "modelType": "Property"}
        for prop in properties:
            self._qualifier(element, node, prop, decl)
        return element

    def _qualifier(self, element: Json, owner: Node, prop: Node, decl: Decl | None) -> None:
        value = self.value_of(prop)
        text: str | None
        if prop.browse_name == "EngineeringUnits" and isinstance(value, Struct):
            unit = self._unit(value, prop)
            text = unit.code if unit else _eu_text(value)
            if unit is not None:
                for key in (owner.key, decl.node.key if decl else None):
                    if key is not None:
                        self.units.setdefault(key, (unit, _eu_text(value)))
        elif isinstance(value, Struct) and value.name == "Range":
            text = f"[{value.fields.get('Low', '')}, {value.fields.get('High', '')}]"
        elif isinstance(value, list):
            text = "; ".join(t for t in (_text(v) for v in value) if t is not None)
        else:
            text = _text(value)
        qualifier_type = f"OPCUA/{prop.browse_name}"[:128]
        qualifiers: list[Json] = element.setdefault("qualifiers", [])
        if any(q["type"] == qualifier_type for q in qualifiers):
            return
        qualifiers.append(qualifier(
            "TemplateQualifier" if self.space.modelling_rule(prop.key) else "ValueQualifier",
            qualifier_type, text if text else None))

    def _unit(self, value: Struct, prop: Node) -> Unit | None:
        unit_id = value.fields.get("UnitId")
        found = None
        if isinstance(unit_id, str) and unit_id.strip().lstrip("-").isdigit():
            found = units().by_unit_id(int(unit_id))
        if found is None:
            found = units().lookup(_eu_text(value))
        if found is None:
            self._count(Code.UNIT_UNRESOLVED, IssueSeverity.LOSSY,
                        "an EUInformation could not be resolved to a UNECE Rec 20 unit",
                        prop.key, prop.line)
        return found

    def _data(self, node: Node, id_short: str, value: Any, template: bool,
              names: IdShortAllocator | None) -> Json | None:
        """The data element for a Variable's own value (Property, MLP, Range, SML, SMC)."""
        data_type = node.data_type
        builtin = self.space.builtin(data_type)
        rank = _int(node.attr("ValueRank"), -1)
        is_list = isinstance(value, list) or rank >= 0 or (rank == -2 and isinstance(value, list))
        if is_list:
            return self._list(node, id_short, value if isinstance(value, list) else [],
                              builtin, data_type, template)
        return self._scalar(node, id_short, value, builtin, data_type, template)

    def _scalar(self, node: Node | None, id_short: str | None, value: Any, builtin: int | None,
                data_type: str | None, template: bool, depth: int = 0) -> Json:
        if data_type == _RANGE:
            low = high = None
            if isinstance(value, Struct):
                low = self._checked(value.fields.get("Low"), "xs:double", node)
                high = self._checked(value.fields.get("High"), "xs:double", node)
            out: Json = {"idShort": id_short} if id_short else {}
            out["valueType"] = "xs:double"
            if low is not None:
                out["min"] = low
            if high is not None:
                out["max"] = high
            out["modelType"] = "Range"
            return out
        if builtin == 21:
            texts: dict[str, str] = {}
            if isinstance(value, LText) and value.text:
                texts[_lang(value.locale)] = value.text
            if node is not None:
                texts.update(self._translations(node, texts))
            out = {"idShort": id_short} if id_short else {}
            if texts:
                out["value"] = lang_strings(texts)
            out["modelType"] = "MultiLanguageProperty"
            return out
        if builtin == 22:
            return self._structure(id_short, value, data_type, template, node, depth)
        xs, widened = XS_OF_UA.get(builtin or 24, ("xs:string", True))
        if widened and node is not None:
            self._count(Code.TYPE_WIDENED, IssueSeverity.LOSSY if builtin != 14 else
                        IssueSeverity.INFO,
                        f"{_builtin_name(builtin)} values became {xs}", node.key, node.line)
        text = self._checked(_render(value), xs, node)
        out = {"idShort": id_short} if id_short else {}
        out["valueType"] = xs
        if text is not None:
            out["value"] = text
        out["modelType"] = "Property"
        return out

    def _translations(self, node: Node, have: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for local, translation in node.extras or ():
            if local != "Translation":
                continue
            for text in translation.iterchildren(f"{{{UA_NS}}}Text"):
                lang = _lang(text.get("Locale") or "")
                if text.text and lang not in have and lang not in out:
                    out[lang] = text.text
        return out

    def _checked(self, text: str | None, xs: str, node: Node | None) -> str | None:
        """``text`` in the lexical form basyx gives an ``xs`` value (``None``: no value).

        A value that is not valid for ``xs`` is dropped and reported.
        """
        if text is None or text == "":
            return None if xs != "xs:string" else text or None
        found = xs_text(text, xs)
        if found is None:
            self._count(Code.VALUE_UNCONVERTIBLE, IssueSeverity.LOSSY,
                        f"a value that is not a valid {xs} was dropped",
                        node.key if node else None, node.line if node else None)
        return found

    def _list(self, node: Node, id_short: str, values: list[Any], builtin: int | None,
              data_type: str | None, template: bool) -> Json:
        value_type: str | None
        if builtin == 21:
            kind = "MultiLanguageProperty"
            value_type = None
        elif builtin == 22 or data_type == _RANGE:
            kind = "Range" if data_type == _RANGE else "SubmodelElementCollection"
            value_type = "xs:double" if data_type == _RANGE else None
        else:
            kind, value_type = "Property", XS_OF_UA.get(builtin or 24, ("xs:string", True))[0]
        items = []
        for value in values:
            item = self._scalar(None, None, value, builtin, data_type, template, 1)
            if item["modelType"] == kind:
                items.append(item)
        return element_list(id_short, kind, items, value_type)

    def _structure(self, id_short: str | None, value: Any, data_type: str | None,
                   template: bool, node: Node | None, depth: int) -> Json:
        fields = self._fields(data_type)
        names = IdShortAllocator()
        children: list[Json] = []
        values = value.fields if isinstance(value, Struct) else {}
        seen: set[str] = set()
        for name, field_type, rank, optional in fields:
            seen.add(name)
            child = self._field(names, name, values.get(name), field_type, rank, template, node,
                                depth)
            if child is not None:
                if template and optional:
                    child = with_qualifier(child, qualifier(
                        "TemplateQualifier", "SMT/Cardinality", "ZeroToOne",
                        CARDINALITY_SEMANTIC_ID))
                children.append(child)
        for name, field_value in values.items():
            if name not in seen:
                child = self._field(names, name, field_value, None, -1, template, node, depth)
                if child is not None:
                    children.append(child)
        semantic = None
        if data_type is not None:
            semantic = ext_ref(data_type)
            self._concept(data_type)
        return collection(id_short, children, semantic)

    def _field(self, names: IdShortAllocator, name: str, value: Any, field_type: str | None,
               rank: int, template: bool, node: Node | None, depth: int) -> Json | None:
        if depth > _FIELD_DEPTH:
            return None
        id_short, _ = names.allocate(name)
        builtin = self.space.builtin(field_type) if field_type else None
        if builtin is None:
            builtin = 21 if isinstance(value, LText) else 22 if isinstance(value, Struct) else 12
        if isinstance(value, list) or rank >= 0:
            items = value if isinstance(value, list) else []
            out = self._list_field(id_short, items, builtin, field_type, template)
        else:
            out = self._scalar(None, id_short, value, builtin, field_type, template, depth + 1)
        return out

    def _list_field(self, id_short: str, items: list[Any], builtin: int, field_type: str | None,
                    template: bool) -> Json:
        value_type = None
        if builtin == 21:
            kind = "MultiLanguageProperty"
        elif builtin == 22:
            kind = "SubmodelElementCollection"
        else:
            kind = "Property"
            value_type = XS_OF_UA.get(builtin, ("xs:string", True))[0]
        values = [self._scalar(None, None, v, builtin, field_type, template, 9) for v in items]
        return element_list(id_short, kind, [v for v in values if v["modelType"] == kind],
                            value_type)

    def _fields(self, data_type: str | None) -> list[tuple[str, str | None, int, bool]]:
        node = self.space.nodes.get(data_type) if data_type else None
        if node is None:
            return []
        definition = node.elem.find(f"{{{UA_NS}}}Definition")
        if definition is None:
            return []
        if definition.get("IsUnion", "false") == "true":
            self._count(Code.DROPPED, IssueSeverity.LOSSY,
                        "a Union became a collection of all its fields (which one is set "
                        "is not kept)", node.key, node.line)
        out: list[tuple[str, str | None, int, bool]] = []
        for item in definition.iterchildren(f"{{{UA_NS}}}Field"):
            out.append((item.get("Name") or "Field", node.doc.resolve(item.get("DataType")
                                                                       or "i=24"),
                        _int(item.get("ValueRank"), -1),
                        item.get("IsOptional", "false") == "true"))
        return out

    # ------------------------------------------------------------------ methods
    def _method(self, node: Node, id_short: str, decl: Decl | None) -> Json:
        arguments: dict[str, list[Struct]] = {"InputArguments": [], "OutputArguments": []}
        sources = [node] + ([decl.node] if decl is not None else [])
        for source in sources:
            for _, child in self.space.children(source.key):
                if child.browse_name in arguments and not arguments[child.browse_name]:
                    value = self.value_of(child)
                    if isinstance(value, list):
                        arguments[child.browse_name] = [v for v in value if isinstance(v, Struct)]
        names = IdShortAllocator()
        inputs = [self._argument(a, names) for a in arguments["InputArguments"]]
        outputs = [self._argument(a, names) for a in arguments["OutputArguments"]]
        out: Json = {"idShort": id_short}
        if inputs:
            out["inputVariables"] = [{"value": a} for a in inputs]
        if outputs:
            out["outputVariables"] = [{"value": a} for a in outputs]
        out["modelType"] = "Operation"
        return out

    def _argument(self, argument: Struct, names: IdShortAllocator) -> Json:
        name = argument.fields.get("Name")
        id_short, _ = names.allocate(name if isinstance(name, str) and name else "Argument")
        data_type = argument.fields.get("DataType")
        data_type = data_type if isinstance(data_type, str) else None
        builtin = self.space.builtin(data_type)
        rank = _int(argument.fields.get("ValueRank") if isinstance(
            argument.fields.get("ValueRank"), str) else None, -1)
        extensions: list[Json] = []
        if data_type and not data_type.endswith(f"i={builtin}"):
            keep(extensions, FMT, "DataType", data_type)
        out: Json = {"extensions": extensions} if extensions else {}
        out["idShort"] = id_short
        description = argument.fields.get("Description")
        if isinstance(description, LText) and description.text:
            out["description"] = lang_strings({_lang(description.locale):
                                               description.text[:1023]})
        if builtin == 22:
            if data_type:
                out["semanticId"] = ext_ref(data_type)
            out["modelType"] = "SubmodelElementCollection"
        elif builtin == 21:
            out["modelType"] = "MultiLanguageProperty"
        else:
            xs = XS_OF_UA.get(builtin or 24, ("xs:string", True))[0]
            if rank >= 0:
                out.update(element_list(None, "Property", [], xs))
            else:
                out["valueType"] = xs
                out["modelType"] = "Property"
        return out


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, LText):
        return value.text
    if isinstance(value, Struct):
        return _struct_text(value)
    return None


def _render(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return None
    return _text(value)


def _struct_text(value: Struct) -> str:
    parts = []
    for name, item in value.fields.items():
        text = _text(item) if not isinstance(item, list) else "[" + ", ".join(
            t for t in (_text(v) for v in item) if t is not None) + "]"
        parts.append(f"{name}={text}")
    return f"{value.name}{{{', '.join(parts)}}}"


def _eu_text(value: Struct) -> str:
    display = value.fields.get("DisplayName")
    if isinstance(display, LText):
        return display.text
    return display if isinstance(display, str) else ""


def _builtin_name(builtin: int | None) -> str:
    return BUILTIN_NAMES.get(builtin or 24, "BaseDataType")

