"""OPC UA nodes -> AAS submodel elements (the native mapping of the reader).

One :class:`Builder` per conversion. It turns Objects, Variables and Methods into
submodel elements, either as *declarations* (inside a type: the node is its own semantic,
its ModellingRule becomes an SMT cardinality) or as *instances* (the semantic is the
declaration the node conforms to, found by BrowseName through its parent's type).
"""

from __future__ import annotations

from typing import Any

from basyx.aas import model

from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.opcua._common import (
    CARDINALITY_OF_RULE,
    CARDINALITY_SEMANTIC_ID,
    DI_URI,
    FMT,
    GENERIC_TYPES,
    MACHINERY_URI,
    NAMEPLATE,
    Tally,
    ext_ref,
    lang_name,
    lang_text,
    qualified_text,
)
from omp_models.formats.opcua._data import DataMapper, Scope
from omp_models.formats.opcua._ir import Node, split_key
from omp_models.formats.opcua._space import (
    EVENTS,
    HAS_DICTIONARY_ENTRY,
    HAS_ORDERED_COMPONENT,
    STRUCTURAL,
    Decl,
    Space,
    ns0,
)
from omp_models.ids import IdShortAllocator, preserve

__all__ = ["Builder", "Scope", "entity"]

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
_STRING = model.datatypes.String


class Builder(DataMapper):
    """Node -> submodel element mapping for one conversion."""

    def __init__(self, space: Space, report: ConversionReport, tally: Tally, file: str) -> None:
        super().__init__(space, report, tally, file)
        #: Own nodes whose keys are semanticIds of built elements (-> ConceptDescriptions).
        self.concepts: dict[str, Node] = {}
        self._primary: dict[str, str | None] = {}
        self._decl_of: dict[str, Node] = {}
        self._building: set[str] = set()
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
    def _common(self, element: Any, node: Node, id_short: str, renamed: bool,
                semantic: str | None, extra: list[str], path: str) -> None:
        display, cut_name = lang_name(node.display, node.browse_name)
        description, cut_text = lang_text(node.description)
        element.display_name = display
        element.description = description
        if semantic is not None:
            element.semantic_id = ext_ref(semantic)
        for key in extra:
            element.supplemental_semantic_id.append(ext_ref(key))
        if node.key != semantic and node.key not in extra:
            # A declaration is its own semantic: its NodeId is the semanticId already.
            preserve(element, FMT, "NodeId", node.key)
        uri = split_key(node.key)[0]
        if renamed or node.browse_uri != uri or node.browse_name != id_short:
            preserve(element, FMT, "BrowseName", qualified_text(node.browse_uri,
                                                                node.browse_name))
            if renamed and not node.browse_name.isdigit():
                self.report.add(Code.IDSHORT_RENAMED, IssueSeverity.INFO,
                                f"BrowseName {node.browse_name!r} became idShort {id_short!r}",
                                source=node.key, target=path, original=node.browse_name,
                                file=self.file, line=node.line)
        if cut_name or cut_text:
            self.tally.add(Code.VALUE_UNCONVERTIBLE, IssueSeverity.PRESERVED,
                           "a DisplayName or Description longer than the AAS limit was cut; "
                           "the full text is kept as Extension src:opcua-nodeset:Description",
                           node.key, node.line)
            full = "\n".join(t for _, t in node.description) or "\n".join(
                t for _, t in node.display)
            preserve(element, FMT, "Description", full)
        self._attributes(element, node, template=node.key == semantic or node.key in extra)

    def _attributes(self, element: Any, node: Node, template: bool) -> None:
        attrib = node.elem.attrib
        # in the order of _KEPT, then _DROPPED: the Extensions are written in it
        for name in sorted((n for n in attrib if n in _ORDER), key=_ORDER.__getitem__):
            value = attrib[name]
            if name in _DROPPED:
                self.tally.add(Code.DROPPED, IssueSeverity.LOSSY,
                               f"the {name} attribute has no AAS counterpart and was dropped",
                               node.key, node.line)
            elif value != _DEFAULTS.get(name) and not (
                    name == "SymbolicName" and value == node.browse_name):
                preserve(element, FMT, name, value)
                self.tally.add(Code.PRESERVED_AS_EXTENSION, IssueSeverity.PRESERVED,
                               f"the {name} attribute is kept as Extension src:{FMT}:{name}",
                               node.key, node.line)
        if not node.extras:
            return
        texts: dict[str, list[str]] = {}
        for local, child in node.extras:
            if local == "RolePermissions":
                self.tally.add(Code.DROPPED, IssueSeverity.LOSSY,
                               "RolePermissions have no AAS counterpart and were dropped",
                               node.key, node.line)
            elif local in ("Documentation", "Category") and child.text and not template:
                # (a declaration's Documentation and Category go to its ConceptDescription)
                texts.setdefault(local, []).append(child.text)
        for name in sorted(texts):
            preserve(element, FMT, name, "\n".join(texts[name]))

    def cardinality(self, element: Any, node: Node) -> None:
        """The SMT cardinality of a declaration, from its ModellingRule."""
        rule = self.space.modelling_rule(node.key)
        value = CARDINALITY_OF_RULE.get(rule) if rule is not None else None
        if value is not None:
            element.qualifier.add(model.Qualifier(
                "SMT/Cardinality", _STRING, value, kind=model.QualifierKind.TEMPLATE_QUALIFIER,
                semantic_id=ext_ref(CARDINALITY_SEMANTIC_ID)))

    # ------------------------------------------------------------------ elements
    def element(self, node: Node, names: IdShortAllocator, decl: Decl | None, scope: Scope,
                path: str, depth: int = 0) -> Any | None:
        """The element for one node (``None`` when the node is not converted)."""
        if depth > _MAX_DEPTH:
            self.tally.add(Code.DROPPED, IssueSeverity.LOSSY,
                           f"nodes nested deeper than {_MAX_DEPTH} levels were dropped",
                           node.key, node.line)
            return None
        id_short, renamed = names.allocate(node.browse_name)
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
        self._common(element, node, id_short, renamed, semantic, extra, here)
        if scope.template:
            self.cardinality(element, node)
        scope.placed.setdefault(node.key, element)
        return element

    def container_children(self, node: Node, type_key: str | None, scope: Scope, path: str,
                           depth: int, names: IdShortAllocator | None = None,
                           decls: list[Decl] | None = None, skip: frozenset[str] = frozenset()
                           ) -> list[Any]:
        """Elements for the children of an Object (or a type's declarations)."""
        names = names or IdShortAllocator()
        out: list[Any] = []
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
            if not scope.template and decl is None:
                decl = self.space.find_declaration(
                    self._decl_of.get(node.key), type_key, (child.browse_uri, child.browse_name))
            element = self.element(child, names, decl, scope, path, depth + 1)
            if element is not None:
                out.append(element)
        out.extend(self._relations(node, names, scope))
        return out

    def _reference(self, target: Node, names: IdShortAllocator, scope: Scope) -> Any:
        id_short, _ = names.allocate(target.browse_name)
        element = model.ReferenceElement(id_short)
        preserve(element, FMT, "Reference", target.key)
        scope.pending.append((element, target.key))
        return element

    def _relations(self, node: Node, names: IdShortAllocator, scope: Scope) -> list[Any]:
        out: list[Any] = []
        for rtype, target in self.space.forward(node.key):
            if rtype in STRUCTURAL or self.space.is_hierarchical(rtype):
                continue
            ref_node = self.space.nodes.get(rtype)
            target_node = self.space.nodes.get(target)
            target_name = target_node.browse_name if target_node else split_key(target)[1]
            if rtype in EVENTS:
                id_short, _ = names.allocate(target_name)
                event = model.BasicEventElement(
                    id_short, model.ModelReference((model.Key(model.KeyTypes.SUBMODEL, "x"),),
                                                   model.Submodel),
                    model.Direction.OUTPUT, model.StateOfEvent.ON, semantic_id=ext_ref(target))
                scope.owners.append((event, node.key, None))
                out.append(event)
                continue
            ref_name = ref_node.browse_name if ref_node else "Reference"
            id_short, _ = names.allocate(f"{ref_name}_{target_name}")
            relation = model.RelationshipElement(
                id_short, model.ModelReference((model.Key(model.KeyTypes.SUBMODEL, "x"),),
                                               model.Submodel),
                ext_ref(target), semantic_id=ext_ref(rtype))
            self._concept(rtype)
            scope.owners.append((relation, node.key, target))
            out.append(relation)
        return out

    def _object(self, node: Node, id_short: str, scope: Scope, path: str, decl: Decl | None,
                depth: int) -> Any:
        typedef = self.space.type_definition(node.key)
        children = self.container_children(node, typedef, scope, path, depth)
        if depth > 0 and self._is_entity(node, typedef):
            asset = self._product_uri(node) if not scope.template else None
            if asset:
                return entity(id_short, model.EntityType.SELF_MANAGED_ENTITY, children, asset)
            return entity(id_short, model.EntityType.CO_MANAGED_ENTITY, children, None)
        if children and self._ordered(node) and len({type(c) for c in children}) == 1:
            return self._as_list(id_short, children)
        return model.SubmodelElementCollection(id_short, children)

    def _ordered(self, node: Node) -> bool:
        """An Object whose children all hang below it by HasOrderedComponent."""
        refs = [r for r, _ in self.space.children(node.key)]
        return bool(refs) and all(r == HAS_ORDERED_COMPONENT for r in refs)

    def _as_list(self, id_short: str, children: list[Any]) -> Any:
        """Ordered children of one kind as a SubmodelElementList.

        The items lose their idShort, which stays in the BrowseName Extension.
        """
        first = children[0]
        value_type: Any = getattr(first, "value_type", None) if isinstance(
            first, model.Property | model.Range) else None
        items = []
        for child in children:
            child.parent = None
            if not any(e.name == f"src:{FMT}:BrowseName" for e in child.extension):
                preserve(child, FMT, "BrowseName", child.id_short)
            child.id_short = None
            items.append(child)
        return model.SubmodelElementList(id_short, type(first), items,
                                         value_type_list_element=value_type,
                                         semantic_id_list_element=first.semantic_id)

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

def entity(id_short: str | None, kind: model.EntityType, statements: list[Any],
           asset: str | None) -> model.Entity:
    """An Entity without the empty ``specificAssetIds`` list basyx would write.

    basyx 2.2 serialises ``"specificAssetIds": []`` for every Entity, which the metamodel
    forbids (and which breaks AASd-014); an Entity without specific asset ids gets
    ``None`` there instead of an empty list.
    """
    element = model.Entity(id_short, kind, statements, global_asset_id=asset)
    # basyx has no public way to say "not set" (its setter wants an iterable)
    element._specific_asset_id = None  # type: ignore[assignment]
    return element

