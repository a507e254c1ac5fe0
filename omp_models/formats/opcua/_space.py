"""The address space a conversion sees: the input document plus its dependency closure.

Type questions are answered here: supertypes, interfaces, the effective instance
declarations of a type (inheritance and interfaces flattened), the built-in type behind a
DataType, which reference types are hierarchical.
"""

from __future__ import annotations

from functools import cached_property

from omp_models.formats.opcua._ir import NS0, Node, NodeSetDoc, escape_uri

__all__ = ["Decl", "Space", "ns0"]

_NS0_PREFIX = f"nsu={escape_uri(NS0)};"


def ns0(number: int) -> str:
    """The key of a namespace-0 node (``i=<number>``)."""
    return f"{_NS0_PREFIX}i={number}"


HAS_SUBTYPE = ns0(45)
HAS_TYPE_DEFINITION = ns0(40)
HAS_MODELLING_RULE = ns0(37)
HAS_INTERFACE = ns0(17603)
HAS_ENCODING = ns0(38)
HAS_DICTIONARY_ENTRY = ns0(17597)
HAS_DESCRIPTION = ns0(39)
GENERATES_EVENT = ns0(41)
ALWAYS_GENERATES_EVENT = ns0(3065)
HAS_PROPERTY = ns0(46)
HAS_COMPONENT = ns0(47)
HAS_ORDERED_COMPONENT = ns0(49)
HAS_ADD_IN = ns0(17604)
ORGANIZES = ns0(35)
AGGREGATES = ns0(44)
HIERARCHICAL = ns0(33)
HAS_CHILD = ns0(34)

#: Reference types that are about the node itself, not a relation to map.
STRUCTURAL = frozenset({HAS_SUBTYPE, HAS_TYPE_DEFINITION, HAS_MODELLING_RULE, HAS_INTERFACE,
                        HAS_ENCODING, HAS_DICTIONARY_ENTRY, HAS_DESCRIPTION})
EVENTS = frozenset({GENERATES_EVENT, ALWAYS_GENERATES_EVENT})

#: Supertypes of the well-known reference types (so that a space without namespace 0,
#: a NodeSet that declares none, still knows what is hierarchical).
_KNOWN_SUPER: dict[str, str] = {
    HAS_PROPERTY: AGGREGATES, HAS_COMPONENT: AGGREGATES, AGGREGATES: HAS_CHILD,
    HAS_ORDERED_COMPONENT: HAS_COMPONENT, HAS_ADD_IN: AGGREGATES, HAS_SUBTYPE: HAS_CHILD,
    HAS_CHILD: HIERARCHICAL, ORGANIZES: HIERARCHICAL, ns0(36): HIERARCHICAL,
    ns0(48): ns0(36),
}


class Decl:
    """An effective instance declaration of a type: the node and where it came from."""

    __slots__ = ("node", "origin", "ref_type")

    def __init__(self, node: Node, ref_type: str, origin: str) -> None:
        self.node = node
        self.ref_type = ref_type
        self.origin = origin


class Space:
    """Nodes of the input and its dependencies, with type lookups (memoised)."""

    def __init__(self, main: NodeSetDoc, deps: list[NodeSetDoc]) -> None:
        self.main = main
        self.docs = [*deps, main]
        self.nodes: dict[str, Node] = {}
        for doc in self.docs:
            self.nodes.update(doc.nodes)
        self._fwd_cache: dict[str, list[tuple[str, str]]] = {}
        self._inv_cache: dict[str, list[tuple[str, str]]] = {}
        self._targets: dict[str, dict[str, str]] = {}
        self._supertype: dict[str, str | None] = {}
        self._children: dict[str, list[tuple[str, Node]]] = {}
        self._child_ref: dict[str, bool] = {}
        self._super_of_ref: dict[str, bool] = {}
        self._decls: dict[str, list[Decl]] = {}
        self._builtin: dict[str, int | None] = {}

    def get(self, key: str | None) -> Node | None:
        """The node with this key, if loaded."""
        return self.nodes.get(key) if key is not None else None

    def forward(self, key: str) -> list[tuple[str, str]]:
        """Forward references of a node (type, target), from every document, deduplicated."""
        found = self._fwd_cache.get(key)
        if found is None:
            found = _merged([doc.fwd[key] for doc in self.docs if key in doc.fwd])
            self._fwd_cache[key] = found
        return found

    def inverse(self, key: str) -> list[tuple[str, str]]:
        """References pointing at a node (type, source), deduplicated."""
        found = self._inv_cache.get(key)
        if found is None:
            found = _merged([doc.inv[key] for doc in self.docs if key in doc.inv])
            self._inv_cache[key] = found
        return found

    def target(self, key: str, ref_type: str) -> str | None:
        """The first forward target of ``ref_type`` from a node (memoised)."""
        firsts = self._targets.get(key)
        if firsts is None:
            firsts = {}
            for rtype, target in self.forward(key):
                if rtype not in firsts:
                    firsts[rtype] = target
            self._targets[key] = firsts
        return firsts.get(ref_type)

    def type_definition(self, key: str) -> str | None:
        """HasTypeDefinition target."""
        return self.target(key, HAS_TYPE_DEFINITION)

    def modelling_rule(self, key: str) -> str | None:
        """HasModellingRule target."""
        return self.target(key, HAS_MODELLING_RULE)

    def supertype(self, key: str) -> str | None:
        """The direct supertype (inverse HasSubtype), memoised."""
        try:
            return self._supertype[key]
        except KeyError:
            pass
        found = next((s for r, s in self.inverse(key) if r == HAS_SUBTYPE), None)
        self._supertype[key] = found
        return found

    def supertypes(self, key: str) -> list[str]:
        """The supertype chain, nearest first (cycles cut)."""
        chain: list[str] = []
        current = self.supertype(key)
        while current is not None and current not in chain and current != key:
            chain.append(current)
            current = self.supertype(current)
        return chain

    def is_subtype(self, key: str, of: str) -> bool:
        """Whether ``key`` is ``of`` or one of its subtypes."""
        return key == of or of in self.supertypes(key)

    def ref_is(self, ref_type: str, of: str) -> bool:
        """Whether a reference type is ``of`` or a subtype (memoised)."""
        cache_key = ref_type + "\x00" + of
        found = self._super_of_ref.get(cache_key)
        if found is None:
            found = ref_type == of
            current: str | None = ref_type
            seen: set[str] = set()
            while not found and current is not None and current not in seen:
                seen.add(current)
                current = self.supertype(current) or _KNOWN_SUPER.get(current)
                found = current == of
            self._super_of_ref[cache_key] = found
        return found

    def is_child_ref(self, ref_type: str) -> bool:
        """Aggregating (HasComponent, HasProperty, HasAddIn...) or Organizes."""
        found = self._child_ref.get(ref_type)
        if found is None:
            found = self.ref_is(ref_type, AGGREGATES) or self.ref_is(ref_type, ORGANIZES)
            self._child_ref[ref_type] = found
        return found

    def is_hierarchical(self, ref_type: str) -> bool:
        """A subtype of HierarchicalReferences."""
        return self.ref_is(ref_type, HIERARCHICAL)

    def children(self, key: str) -> list[tuple[str, Node]]:
        """Aggregated and organized children (reference type, node) that are loaded."""
        found = self._children.get(key)
        if found is None:
            nodes = self.nodes
            is_child_ref = self.is_child_ref
            found = [(rtype, nodes[target]) for rtype, target in self.forward(key)
                     if is_child_ref(rtype) and target in nodes]
            self._children[key] = found
        return found

    def interfaces(self, key: str) -> list[str]:
        """Interfaces of a type (HasInterface), including those of its supertypes."""
        out: list[str] = []
        for type_key in [key, *self.supertypes(key)]:
            for rtype, target in self.forward(type_key):
                if rtype == HAS_INTERFACE and target not in out:
                    out.append(target)
        return out

    def declarations(self, type_key: str) -> list[Decl]:
        """The effective instance declarations directly below a type.

        Supertypes first, then interfaces, then the type's own; a declaration with the
        BrowseName of an inherited one replaces it in place.
        """
        found = self._decls.get(type_key)
        if found is not None:
            return found
        self._decls[type_key] = []  # cycle guard
        ordered: dict[tuple[str, str], Decl] = {}
        super_key = self.supertype(type_key)
        for inherited in ([super_key] if super_key else []):
            for decl in self.declarations(inherited):
                ordered[(decl.node.browse_uri, decl.node.browse_name)] = decl
        for iface in self._own_interfaces(type_key):
            for decl in self.declarations(iface):
                ordered.setdefault((decl.node.browse_uri, decl.node.browse_name), decl)
        for rtype, child in self.children(type_key):
            ordered[(child.browse_uri, child.browse_name)] = Decl(child, rtype, type_key)
        result = list(ordered.values())
        self._decls[type_key] = result
        return result

    def _own_interfaces(self, key: str) -> list[str]:
        return [t for r, t in self.forward(key) if r == HAS_INTERFACE]

    def find_declaration(self, parent_decl: Node | None, parent_type: str | None,
                         browse: tuple[str, str]) -> Decl | None:
        """The declaration an instance child with BrowseName ``browse`` conforms to."""
        if parent_decl is not None:
            for rtype, child in self.children(parent_decl.key):
                if (child.browse_uri, child.browse_name) == browse:
                    return Decl(child, rtype, parent_decl.key)
            decl_type = self.type_definition(parent_decl.key)
            if decl_type is not None and decl_type != parent_type:
                found = self._match(decl_type, browse)
                if found is not None:
                    return found
        if parent_type is not None:
            return self._match(parent_type, browse)
        return None

    def _match(self, type_key: str, browse: tuple[str, str]) -> Decl | None:
        for decl in self.declarations(type_key):
            if (decl.node.browse_uri, decl.node.browse_name) == browse:
                return decl
        return None

    def builtin(self, data_type: str | None) -> int | None:
        """The namespace-0 built-in (or abstract base) number behind a DataType."""
        if data_type is None:
            return None
        found = self._builtin.get(data_type, -1)
        if found != -1:
            return found
        result: int | None = None
        current: str | None = data_type
        seen: set[str] = set()
        while current is not None and current not in seen:
            seen.add(current)
            if current.startswith(_NS0_PREFIX + "i="):
                number = int(current[len(_NS0_PREFIX) + 2:])
                if number <= 29:
                    result = number
                    break
            current = self.supertype(current)
        self._builtin[data_type] = result
        return result

    @cached_property
    def main_keys(self) -> frozenset[str]:
        """Keys of the nodes of the input document."""
        return frozenset(self.main.nodes)


def _merged(lists: list[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """The references of one node from every document, in order, without repeats."""
    if not lists:
        return []
    if len(lists) == 1:
        return list(dict.fromkeys(lists[0])) if len(lists[0]) > 1 else list(lists[0])
    return list(dict.fromkeys(r for refs in lists for r in refs))
