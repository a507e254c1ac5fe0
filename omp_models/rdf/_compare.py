"""Graph comparison that is fast for the tree-shaped graphs of the AAS mapping.

Every blank node the mapping writes hangs from exactly one parent. For such graphs a
blank node is identified by a hash of its subtree (the multiset of its predicates and
objects, children by their hashes), and two graphs are isomorphic exactly when their
triples, with blank nodes replaced by those hashes, are the same multiset. This is the
classic tree-isomorphism argument (Aho, Hopcroft, Ullman); it costs one pass. Graphs with
shared or cyclic blank nodes go to :func:`rdflib.compare.isomorphic`.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from rdflib import BNode, Graph
from rdflib.compare import isomorphic as rdflib_isomorphic
from rdflib.term import Node

__all__ = ["isomorphic", "subtree_hashes"]


def _tree_hashes(graph: Graph) -> dict[BNode, str] | None:
    """Subtree hash of every blank node, or ``None`` when blank nodes are not a forest."""
    children: dict[BNode, list[tuple[Node, Node]]] = {}
    parents: Counter[BNode] = Counter()
    for s, p, o in graph:
        if isinstance(s, BNode):
            children.setdefault(s, []).append((p, o))
        if isinstance(o, BNode):
            parents[o] += 1
            children.setdefault(o, [])
    if any(count > 1 for count in parents.values()):
        return None
    hashes: dict[BNode, str] = {}
    for start in children:
        if start in hashes:
            continue
        stack: list[tuple[BNode, bool]] = [(start, False)]
        on_path: set[BNode] = set()
        while stack:
            node, expanded = stack.pop()
            if node in hashes:
                continue
            if not expanded:
                if node in on_path:
                    return None  # a cycle through blank nodes
                on_path.add(node)
                stack.append((node, True))
                stack.extend((o, False) for _p, o in children[node]
                             if isinstance(o, BNode) and o not in hashes)
                continue
            on_path.discard(node)
            parts = sorted(
                p.n3() + " " + (hashes[o] if isinstance(o, BNode) else o.n3())
                for p, o in children[node]
            )
            hashes[node] = "_:" + hashlib.sha256("\n".join(parts).encode(
                "utf-8", "surrogatepass")).hexdigest()
    return hashes


def subtree_hashes(graph: Graph) -> dict[BNode, str]:
    """A content hash of every blank node (its subtree), stable across parses.

    For graphs whose blank nodes are not a forest, blank nodes that are shared or on a
    cycle get their label instead (stable within one parse only).
    """
    found = _tree_hashes(graph)
    if found is not None:
        return found
    return {b: f"_:{b}" for b in {t for triple in graph for t in triple if isinstance(t, BNode)}}


def _canonical(graph: Graph, hashes: dict[BNode, str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for s, p, o in graph:
        if isinstance(s, BNode):
            continue  # inside its subtree hash
        obj = hashes[o] if isinstance(o, BNode) else o.n3()
        out[f"{s.n3()} {p.n3()} {obj}"] += 1
    roots = set(hashes) - {o for _s, _p, o in graph if isinstance(o, BNode)}
    for root in roots:
        out[hashes[root]] += 1
    return out


def isomorphic(a: Graph, b: Graph) -> bool:
    """Whether two graphs are isomorphic (equal up to blank-node labels).

    Exact: tree-shaped graphs are compared by subtree hashes, others by
    :func:`rdflib.compare.isomorphic`.
    """
    if len(a) != len(b):
        return False
    ha, hb = _tree_hashes(a), _tree_hashes(b)
    if ha is None or hb is None:
        return bool(rdflib_isomorphic(a, b))
    return _canonical(a, ha) == _canonical(b, hb)
