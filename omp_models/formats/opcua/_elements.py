"""OPC UA nodes -> AAS submodel elements (the native mapping of the reader).

One :class:`Builder` per conversion. It turns Objects, Variables and Methods into
submodel elements, either as *declarations* (inside a type: the node is its own semantic,
its ModellingRule becomes an SMT cardinality) or as *instances* (the semantic is the
declaration the node conforms to, found by BrowseName through its parent's type).
Elements are built in the AAS JSON form, each object's keys in the order aas-core writes
them.
"""

from __future__ import annotations

from typing import Any

from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.opcua._common import (
    CARDINALITY_OF_RULE,
    CARDINALITY_SEMANTIC_ID,
    DI_URI,
    FMT,
    GENERIC_TYPES,
    MACHINERY_URI,
    NAMEPLATE,
    Json,
    Tally,
    ext_ref,
    keep,
    lang_name,
    lang_text,
    qualified_text,
    qualifier,
)
from omp_models.formats.opcua._data import DataMapper, Scope
from omp_models.formats.opcua._ir import Node, split_key
from omp_models.formats.opcua._json import (
    PLACEHOLDER,
    assemble,
    collection,
    element_list,
    entity,
)
from omp_models.formats.opcua._space import (
    EVENTS,
    HAS_DICTIONARY_ENTRY,
    HAS_ORDERED_COMPONENT,
    STRUCTURAL,
    Decl,
    Space,
    ns0,
)
from omp_models.ids import IdShortAllocator

__all__ = ["Builder", "Scope"]

_COMPONENT_TYPE = f"nsu={DI_URI};i=15063"
_COMPONENTS_FOLDER = f"nsu={MACHINERY_URI};i=1006"
_ENCODING_TYPES = frozenset({ns0(76)})
_DICTIONARY_TYPES = frozenset({ns0(72), ns0(69)})
_DEFAULTS = {
    "AccessLevel": "1", "UserAccessLevel": "1", "MinimumSamplingInterval": "0",
    "Historizing": "false", "WriteMask": "0", "UserWriteMask": "0", "EventNotifier": "0",
    "Executable": "true", "UserExecutable": "true", "ReleaseStatus": "Released",
    "AccessLevelEx": "0", "IsAbstract": "false", "ArrayDimensions": "",
}
_KEPT = ("SymbolicName", "AccessLevel", "UserAccessLevel", "AccessLevelEx",
         "MinimumSamplingInterval", "Historizing", "WriteMask", "UserWriteMask",
         "EventNotifier", "Executable", "UserExecutable", "ReleaseStatus", "ArrayDimensions",
         "MethodDeclarationId")
_DROPPED = ("AccessRestrictions", "HasNoPermissions")
_ORDER = {name: i for i, name in enumerate((*_KEPT, *_DROPPED))}
_MAX_DEPTH = 48


class Builder(DataMapper):
    """Node -> submodel element mapping for one conversion."""

    def __init__(self, space: Space, report: ConversionReport, tally: Tally, file: str) -> None:
        super().__init__(space, report, tally, file)
        #: Own nodes whose keys are semanticIds of built elements (-> ConceptDescriptions).
        self.concepts: dict[str, Node] = {}
        self._primary: dict[str, str | None] = {}
        self._decl_of: dict[str, Node] = {}
        self._building: set[str] = set()
        #: Declarations built for a template, by node key (``None``: not shareable).
        self._built: dict[str, _Built | None] = {}
        self._types = frozenset({"ObjectType", "VariableType", "DataType", "ReferenceType"})

    # ------------------------------------------------------------------ structure
    def primary_parent(self, node: Node) -> str | None:
        """The node a node hangs below (ParentNodeId, else its first hierarchical parent)."""
        key = node.key
        if key in self._primary:
            return self._primary[key]
        parent = node.parent
        if parent is None:
            inverse = self.space.inverse(key)
            parent = next((s for r, s in inverse if self.space.is_child_ref(r)), None)
            if parent is None:
                parent = next((s for r, s in inverse if self.space.is_hierarchical(r)), None)
        self._primary[key] = parent
        return parent

    def is_skipped(self, node: Node) -> bool:
        """Encodings and type dictionaries: derived from the DataTypes, not converted."""
        typedef = self.space.type_definition(node.key)
        return typedef in _ENCODING_TYPES or typedef in _DICTIONARY_TYPES

    def is_type(self, node: Node) -> bool:
        """Whether the node is a type (converted on its own, not as an element)."""
        return node.node_class in self._types

    # ------------------------------------------------------------------ semantics
    def semantic(self, node: Node, decl: Decl | None, template: bool
                 ) -> tuple[str | None, list[str]]:
        """SemanticId and supplementalSemanticIds of a node's element."""
        typedef = self.space.type_definition(node.key)
        extra: list[str] = []
        if template:
            semantic: str | None = node.key
        elif decl is not None:
            semantic = decl.node.key
        else:
            semantic = typedef if typedef not in GENERIC_TYPES else None
            typedef = None
        if typedef is not None and typedef not in GENERIC_TYPES and typedef != semantic:
            extra.append(typedef)
        source = decl.node if decl is not None else node
        standard = NAMEPLATE.get((source.browse_uri, source.browse_name))
        if standard is None:
            standard = self._dictionary_entry(node) or (
                self._dictionary_entry(decl.node) if decl is not None else None)
        if standard is not None and semantic is not None:
            extra.insert(0, semantic)
            semantic = standard
        if semantic is not None and semantic.startswith("nsu="):
            self._concept(semantic)
        for key in extra:
            self._concept(key)
        return semantic, extra

    def _dictionary_entry(self, node: Node) -> str | None:
        target = self.space.target(node.key, HAS_DICTIONARY_ENTRY)
        if target is None:
            return None
        ident = split_key(target)[1]
        return ident[2:] if ident.startswith("s=") else target

    def _concept(self, key: str) -> None:
        """Remember an own node whose key is a semanticId (it gets a ConceptDescription)."""
        node = self.space.nodes.get(key)
        if node is not None and key in self.space.main_keys:
            self.concepts.setdefault(key, node)

    # ------------------------------------------------------------------ common attributes
    def _common(self, element: Json, node: Node, id_short: str, renamed: bool,
                semantic: str | None, extra: list[str], path: str, template: bool) -> Json:
        """``element`` with the attributes every element of a node has (a new object)."""
        display, cut_name = lang_name(node.display, node.browse_name)
        description, cut_text = lang_text(node.description)
        extensions: list[Json] = []
        if node.key != semantic and node.key not in extra:
            # A declaration is its own semantic: its NodeId is the semanticId already.
            keep(extensions, FMT, "NodeId", node.key)
        uri = split_key(node.key)[0]
        if renamed or node.browse_uri != uri or node.browse_name != id_short:
            keep(extensions, FMT, "BrowseName", qualified_text(node.browse_uri,
                                                               node.browse_name))
            if renamed and not node.browse_name.isdigit():
                self._report(Code.IDSHORT_RENAMED, IssueSeverity.INFO,
                             f"BrowseName {node.browse_name!r} became idShort {id_short!r}",
                             source=node.key, target=path, original=node.browse_name,
                             file=self.file, line=node.line)
        if cut_name or cut_text:
            self._count(Code.VALUE_UNCONVERTIBLE, IssueSeverity.PRESERVED,
                        "a DisplayName or Description longer than the AAS limit was cut; "
                        "the full text is kept as Extension src:opcua-nodeset:Description",
                        node.key, node.line)
            full = "\n".join(t for _, t in node.description) or "\n".join(
                t for _, t in node.display)
            keep(extensions, FMT, "Description", full)
        self._attributes(extensions, node, template=node.key == semantic or node.key in extra)
        common: Json = {}
        if extensions:
            common["extensions"] = extensions
        if display:
            common["displayName"] = display
        if description:
            common["description"] = description
        if semantic is not None:
            common["semanticId"] = ext_ref(semantic)
        if extra:
            common["supplementalSemanticIds"] = [ext_ref(key) for key in extra]
        if template:
            cardinality = self.cardinality(node)
            if cardinality is not None:
                common["qualifiers"] = [*element.get("qualifiers", ()), cardinality]
        return assemble(element, common)

    def _attributes(self, extensions: list[Json], node: Node, template: bool) -> None:
        attrib = node.elem.attrib
        # in the order of _KEPT, then _DROPPED: the Extensions are written in it
        for name in sorted((n for n in attrib if n in _ORDER), key=_ORDER.__getitem__):
            value = attrib[name]
            if name in _DROPPED:
                self._count(Code.DROPPED, IssueSeverity.LOSSY,
                            f"the {name} attribute has no AAS counterpart and was dropped",
                            node.key, node.line)
            elif value != _DEFAULTS.get(name) and not (
                    name == "SymbolicName" and value == node.browse_name):
                keep(extensions, FMT, name, value)
                self._count(Code.PRESERVED_AS_EXTENSION, IssueSeverity.PRESERVED,
                            f"the {name} attribute is kept as Extension src:{FMT}:{name}",
                            node.key, node.line)
        if not node.extras:
            return
        texts: dict[str, list[str]] = {}
        for local, child in node.extras:
            if local == "RolePermissions":
                self._count(Code.DROPPED, IssueSeverity.LOSSY,
                            "RolePermissions have no AAS counterpart and were dropped",
                            node.key, node.line)
            elif local in ("Documentation", "Category") and child.text and not template:
                # (a declaration's Documentation and Category go to its ConceptDescription)
                texts.setdefault(local, []).append(child.text)
        for name in sorted(texts):
            keep(extensions, FMT, name, "\n".join(texts[name]))

    def cardinality(self, node: Node) -> Json | None:
        """The SMT cardinality qualifier of a declaration, from its ModellingRule."""
        rule = self.space.modelling_rule(node.key)
        value = CARDINALITY_OF_RULE.get(rule) if rule is not None else None
        if value is None:
            return None
        return qualifier("TemplateQualifier", "SMT/Cardinality", value, CARDINALITY_SEMANTIC_ID)

    # ------------------------------------------------------------------ elements
    def element(self, node: Node, names: IdShortAllocator, decl: Decl | None, scope: Scope,
                path: str, depth: int = 0, allocated: tuple[str, bool] | None = None
                ) -> Json | None:
        """The element for one node (``None`` when the node is not converted).

        ``allocated``: its idShort (and whether it differs from the BrowseName), when the
        caller took it from ``names`` already.
        """
        if depth > _MAX_DEPTH:
            self._count(Code.DROPPED, IssueSeverity.LOSSY,
                        f"nodes nested deeper than {_MAX_DEPTH} levels were dropped",
                        node.key, node.line)
            return None
        id_short, renamed = allocated or names.allocate(node.browse_name)
        here = f"{path}.{id_short}" if path else id_short
        semantic, extra = self.semantic(node, decl, scope.template)
        if decl is not None:
            self._decl_of[node.key] = decl.node
        self._building.add(node.key)  # a cycle back to it becomes a ReferenceElement
        try:
            if node.node_class == "Variable":
                element = self._variable(node, id_short, scope, here, decl, depth)
            elif node.node_class == "Method":
                element = self._method(node, id_short, decl)
            else:
                element = self._object(node, id_short, scope, here, decl, depth)
        finally:
            self._building.discard(node.key)
        element = self._common(element, node, id_short, renamed, semantic, extra, here,
                               scope.template)
        scope.placed.setdefault(node.key, element)
        return element

    def container_children(self, node: Node, type_key: str | None, scope: Scope, path: str,
                           depth: int, names: IdShortAllocator | None = None,
                           decls: list[Decl] | None = None, skip: frozenset[str] = frozenset()
                           ) -> list[Json]:
        """Elements for the children of an Object (or a type's declarations)."""
        names = names or IdShortAllocator()
        out: list[Json] = []
        entries: list[tuple[Node, Decl | None, bool]] = []
        if decls is not None:
            entries = [(d.node, d, True) for d in decls]
        else:
            for _rtype, child in self.space.children(node.key):
                primary = self.primary_parent(child) == node.key
                entries.append((child, None, primary))
        for child, decl, primary in entries:
            if child.key in skip or self.is_skipped(child):
                continue
            if (self.is_type(child) or not primary or child.key in scope.placed
                    or child.key in self._building):
                out.append(self._reference(child, names, scope))
                continue
            if decls is not None and scope.template and decl is not None:
                element = self._declaration(child, names, decl, scope, path, depth + 1)
                if element is not None:
                    out.append(element)
                continue
            if not scope.template and decl is None:
                decl = self.space.find_declaration(
                    self._decl_of.get(node.key), type_key, (child.browse_uri, child.browse_name))
            element = self.element(child, names, decl, scope, path, depth + 1)
            if element is not None:
                out.append(element)
        out.extend(self._relations(node, names, scope))
        return out

    def _declaration(self, node: Node, names: IdShortAllocator, decl: Decl, scope: Scope,
                     path: str, depth: int) -> Json | None:
        """A type's declaration as an element of a template: built once, then shared.

        Inheritance is flattened, so a declaration is an element of the template of its
        type and of every subtype, and it is the same element in each (what a node maps to
        does not depend on the template), unless it refers to elements of its template
        (ReferenceElements, relationships, events: their references are paths in one
        submodel) or gets another idShort there. The first build is recorded: the element,
        its report entries and the nodes it placed; the templates that use it again get the
        same objects (the JSON form is not changed once built) and the same report entries.
        """
        allocated = names.allocate(node.browse_name)
        built = self._built.get(node.key, _UNBUILT)
        if isinstance(built, _Built):
            if built.allocated == allocated and not any(
                    key in scope.placed for key, _ in built.placed):
                self._replay(built.events)
                for key, placed in built.placed:
                    scope.placed.setdefault(key, placed)
                return built.element
            return self.element(node, names, decl, scope, path, depth, allocated)
        if built is None:  # (not shareable)
            return self.element(node, names, decl, scope, path, depth, allocated)
        before = len(scope.placed), len(scope.pending), len(scope.owners)
        events: list[tuple[bool, tuple[Any, ...], dict[str, Any]]] = []
        self._events = events
        try:
            element = self.element(node, names, decl, scope, path, depth, allocated)
        finally:
            self._events = None
        refers = (len(scope.pending), len(scope.owners)) != before[1:]
        self._built[node.key] = None if element is None or refers else _Built(
            element, allocated, events, list(scope.placed.items())[before[0]:])
        return element

    def _reference(self, target: Node, names: IdShortAllocator, scope: Scope) -> Json:
        id_short, _ = names.allocate(target.browse_name)
        extensions: list[Json] = []
        keep(extensions, FMT, "Reference", target.key)
        element: Json = {"extensions": extensions, "idShort": id_short,
                         "modelType": "ReferenceElement"}
        scope.pending.append((element, target.key))
        return element

    def _relations(self, node: Node, names: IdShortAllocator, scope: Scope) -> list[Json]:
        out: list[Json] = []
        for rtype, target in self.space.forward(node.key):
            if rtype in STRUCTURAL or self.space.is_hierarchical(rtype):
                continue
            ref_node = self.space.nodes.get(rtype)
            target_node = self.space.nodes.get(target)
            target_name = target_node.browse_name if target_node else split_key(target)[1]
            if rtype in EVENTS:
                id_short, _ = names.allocate(target_name)
                event: Json = {"idShort": id_short, "semanticId": ext_ref(target),
                               "observed": PLACEHOLDER, "direction": "output", "state": "on",
                               "modelType": "BasicEventElement"}
                scope.owners.append((event, node.key, None))
                out.append(event)
                continue
            ref_name = ref_node.browse_name if ref_node else "Reference"
            id_short, _ = names.allocate(f"{ref_name}_{target_name}")
            relation: Json = {"idShort": id_short, "semanticId": ext_ref(rtype),
                              "first": PLACEHOLDER, "second": ext_ref(target),
                              "modelType": "RelationshipElement"}
            self._concept(rtype)
            scope.owners.append((relation, node.key, target))
            out.append(relation)
        return out

    def _object(self, node: Node, id_short: str, scope: Scope, path: str, decl: Decl | None,
                depth: int) -> Json:
        typedef = self.space.type_definition(node.key)
        children = self.container_children(node, typedef, scope, path, depth)
        if depth > 0 and self._is_entity(node, typedef):
            asset = self._product_uri(node) if not scope.template else None
            if asset:
                return entity(id_short, "SelfManagedEntity", children, asset)
            return entity(id_short, "CoManagedEntity", children, None)
        if children and self._ordered(node) and len({c["modelType"] for c in children}) == 1:
            return self._as_list(id_short, children)
        return collection(id_short, children)

    def _ordered(self, node: Node) -> bool:
        """An Object whose children all hang below it by HasOrderedComponent."""
        refs = [r for r, _ in self.space.children(node.key)]
        return bool(refs) and all(r == HAS_ORDERED_COMPONENT for r in refs)

    def _as_list(self, id_short: str, children: list[Json]) -> Json:
        """Ordered children of one kind as a SubmodelElementList.

        The items lose their idShort, which stays in the BrowseName Extension. (The items
        are changed in place: references to them are resolved later.)
        """
        first = children[0]
        kind = first["modelType"]
        value_type = first.get("valueType") if kind in ("Property", "Range") else None
        browse_name = f"src:{FMT}:BrowseName"
        for child in children:
            extensions = child.get("extensions")
            if extensions is None:
                items = list(child.items())
                child.clear()
                child["extensions"] = extensions = []
                child.update(items)
            if not any(e["name"] == browse_name for e in extensions):
                keep(extensions, FMT, "BrowseName", child["idShort"])
            del child["idShort"]
        return element_list(id_short, kind, children, value_type, first.get("semanticId"))

    def _is_entity(self, node: Node, typedef: str | None) -> bool:
        """Whether an Object is a separately identifiable asset (an Entity).

        DI components, members of a Machinery MachineComponents folder, and objects with a
        DI Identification of their own are.
        """
        if typedef is not None and self.space.is_subtype(typedef, _COMPONENT_TYPE):
            return True
        parent = self.space.get(self.primary_parent(node))
        parent_type = self.space.type_definition(parent.key) if parent is not None else None
        if parent_type is not None and self.space.is_subtype(parent_type, _COMPONENTS_FOLDER):
            return True
        return any(c.browse_uri == DI_URI and c.browse_name == "Identification"
                   and self.primary_parent(c) == node.key
                   for _, c in self.space.children(node.key))

    def _product_uri(self, node: Node) -> str | None:
        for _, child in self.space.children(node.key):
            if child.browse_uri == DI_URI and child.browse_name == "Identification":
                for _, prop in self.space.children(child.key):
                    if prop.browse_name == "ProductInstanceUri" and prop.node_class == "Variable":
                        value = self.value_of(prop)
                        if isinstance(value, str) and value.strip():
                            return value.strip()
        return None

class _Built:
    """A declaration's element as it was built for a template, to be used again."""

    __slots__ = ("allocated", "element", "events", "placed")

    def __init__(self, element: Json, allocated: tuple[str, bool],
                 events: list[tuple[bool, tuple[Any, ...], dict[str, Any]]],
                 placed: list[tuple[str, Json]]) -> None:
        self.element = element
        self.allocated = allocated
        self.events = events
        self.placed = placed


_UNBUILT = object()
