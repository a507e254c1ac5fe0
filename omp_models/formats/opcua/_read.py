"""NodeSet2 -> AAS: the dependency closure, then types and instances.

Types become submodel templates and ConceptDescriptions, instances submodels (and shells
for identifiable machines). The mapping builds the environment's JSON form directly (no
basyx objects): the environment hands it to the writer as it is, and builds basyx objects
only for a consumer that asks for them.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any

from omp_models.aas.io import AasEnvironment
from omp_models.formats._registry import ConvertOptions, Source
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.opcua._common import (
    DI_URI,
    FMT,
    Json,
    Tally,
    ext_ref,
    has_aas_extensions,
    keep,
    lang_name,
    lang_text,
    qualified_text,
)
from omp_models.formats.opcua._concepts import concept_description
from omp_models.formats.opcua._deps import report_dependencies, resolve_closure
from omp_models.formats.opcua._elements import Builder, Scope
from omp_models.formats.opcua._ir import (
    Model,
    Node,
    NodeSetDoc,
    NodeSetError,
    parse_nodeset,
    split_key,
)
from omp_models.formats.opcua._json import set_value
from omp_models.formats.opcua._space import Space, ns0
from omp_models.ids import IdShortAllocator, derive_id

__all__ = ["read_nodeset"]

_DICTIONARY_ENTRY = ns0(17589)
_DICTIONARY_FOLDER = ns0(17591)


def read_nodeset(source: Source, options: ConvertOptions
                 ) -> tuple[AasEnvironment, ConversionReport]:
    """Read one NodeSet2 file (and its dependencies) into an AAS environment."""
    report = ConversionReport(source_format=FMT)
    try:
        doc = parse_nodeset(source.data, source.name)
    except NodeSetError as exc:
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, f"not a NodeSet2 file: {exc}",
                   file=source.name, line=exc.line)
        return AasEnvironment(jsonable={}), report
    own = doc.models or [_implicit_model(doc)]
    search = tuple(options.search_paths) or (
        (Path(source.path).parent,) if source.path is not None else ())
    exclude = Path(source.path) if source.path is not None else None
    deps, resolutions, failures = resolve_closure(own, search, exclude)
    # A NodeSet this converter wrote carries the AAS in its nodes: the models it requires
    # are not needed to read it back, so a missing one is only noted.
    restore = has_aas_extensions(source.data)
    report_dependencies(report, source.name, resolutions, failures, needed=not restore)
    if report.has_errors:
        return AasEnvironment(jsonable={}), report
    space = Space(doc, deps)
    try:
        if restore:
            from basyx.aas.model import DictIdentifiableStore

            from omp_models.formats.opcua._restore import Restorer

            store: Any = DictIdentifiableStore()
            Restorer(space, report, source.name).run(store)
            env = AasEnvironment(store=store)
        else:
            env = AasEnvironment(jsonable=_Mapper(space, report, source.name, own).run(),
                                 ordered=True)
    finally:
        # The input's nodes refer to their document and it to them: a cycle, which only
        # the cyclic collector would free (walking every node, tens of milliseconds for
        # the core NodeSet). The input is not cached (dependencies are), so the cycle is
        # cut and reference counting frees the document now.
        doc.nodes.clear()
    report.meta["models"] = [{"uri": m.uri, "version": m.version,
                              "publicationDate": m.publication_date} for m in own]
    return env, report


def _implicit_model(doc: NodeSetDoc) -> Model:
    uri = doc.uris[1] if len(doc.uris) > 1 else doc.uris[0]
    required = tuple(Model(u) for u in dict.fromkeys([doc.uris[0], *doc.uris[2:]]) if u != uri)
    return Model(uri, None, None, required)


class _Mapper:
    """The native mapping of a NodeSet that was not written by this converter."""

    def __init__(self, space: Space, report: ConversionReport, file: str, own: list[Model]
                 ) -> None:
        self.space = space
        self.report = report
        self.file = file
        self.own = own
        self.tally = Tally()
        self.builder = Builder(space, report, self.tally, file)
        uri = own[0].uri
        self.base = uri if uri.endswith(("/", "#", ":")) else uri + "/"
        self.placed: dict[str, Json] = {}
        self.scopes: list[Scope] = []
        self.entries: list[Node] = []
        self._ids: set[str] = set()
        #: The identifiables by id (the JSON form), in the order they were made.
        self._identifiables: dict[str, Json] = {}
        self._scope_paths: dict[int, dict[int, list[Json]]] = {}

    def run(self) -> dict[str, Any]:
        """The environment's JSON form (identifiables sorted by id, as the contract says)."""
        nodes = list(self.space.main.nodes.values())
        types = [n for n in nodes if n.node_class == "ObjectType"]
        skipped = 0
        for node in types:
            self._add(self._template(node))
        for node in nodes:
            if node.node_class in ("VariableType", "DataType", "ReferenceType", "ObjectType"):
                self.builder.concepts.setdefault(node.key, node)
        for node in self._roots(nodes):
            if self.builder.is_skipped(node):
                skipped += 1
                continue
            for identifiable in self._instance(node):
                self._add(identifiable)
        self._resolve()
        for key, node in sorted(self.builder.concepts.items()):
            self._add(concept_description(node, self.space, self.builder.units.get(key),
                                          self.tally))
        for node in self.entries:
            ident = node.ident
            cd_id = ident[2:] if ident.startswith("s=") else node.key
            if cd_id not in self.builder.concepts:
                self._add(concept_description(node, self.space, None, self.tally, cd_id), node)
        if skipped:
            self.tally.add(Code.DROPPED, IssueSeverity.INFO,
                           "DataType encodings and type dictionaries are derived from the "
                           "DataType definitions and were not converted", None)
        inherited = sum(1 for t in types if any(
            d.origin != t.key for d in self.space.declarations(t.key)))
        if inherited:
            self.report.add(Code.INHERITANCE_FLATTENED, IssueSeverity.INFO,
                            f"{inherited} submodel templates include the declarations of their "
                            "supertypes and interfaces; the supertype chain is in "
                            "supplementalSemanticIds", file=self.file)
        self.tally.flush(self.report, self.file)
        return self._environment()

    def _add(self, identifiable: Json, node: Node | None = None) -> None:
        ident = identifiable["id"]
        if ident in self._identifiables:
            self.report.add(Code.DUPLICATE, IssueSeverity.LOSSY,
                            f"the identifier {ident!r} is given twice; the first was kept",
                            source=node.key if node else None, file=self.file,
                            line=node.line if node else None)
            return
        self._identifiables[ident] = identifiable

    def _environment(self) -> dict[str, Any]:
        lists: dict[str, list[Json]] = {}
        for ident in sorted(self._identifiables):
            item = self._identifiables[ident]
            lists.setdefault(_LISTS[item["modelType"]], []).append(item)
        return {key: lists[key] for key in _LISTS.values() if key in lists}

    # ------------------------------------------------------------------ ids
    def _id(self, kind: str, name: str, ident: str, *more: str) -> str:
        parts = [name, *more]
        candidate = derive_id(self.base, kind, *parts)
        if candidate in self._ids:
            parts[-1] = f"{parts[-1]}_{ident}"
            candidate = derive_id(self.base, kind, *parts)
        self._ids.add(candidate)
        return candidate

    @cached_property
    def _model_text(self) -> str:
        model_info = self.own[0]
        return json.dumps({
            "uri": model_info.uri, "version": model_info.version,
            "publicationDate": model_info.publication_date,
            "required": [{"uri": r.uri, "version": r.version,
                          "publicationDate": r.publication_date} for r in model_info.required],
        }, sort_keys=True)

    @cached_property
    def _administration(self) -> Json | None:
        """Major and minor of the model version.

        AAS versions are plain numbers of at most four digits; the full version is in the
        Model Extension.
        """
        parts = [p.lstrip("0") or "0" for p in (self.own[0].version or "").split(".")]
        if not parts or not all(p.isdigit() and len(p) <= 4 for p in parts[:2]):
            return None
        out: Json = {"version": parts[0]}
        if len(parts) > 1:
            out["revision"] = parts[1]
        return out

    def _submodel(self, ident: str, id_short: str, node: Node, renamed: bool,
                  elements: list[Json], template: bool, semantics: list[str],
                  more: tuple[tuple[str, str], ...] = ()) -> Json:
        """A submodel (JSON form) with the attributes every submodel of a node has.

        ``semantics`` are its semanticId and supplementalSemanticIds; ``more`` are further
        Extensions (after NodeId, BrowseName and Model).
        """
        display, extensions = self._describe(node, id_short, renamed)
        for name, value in more:
            keep(extensions, FMT, name, value)
        out: Json = {"extensions": extensions, "idShort": id_short}
        if display[0]:
            out["displayName"] = display[0]
        if display[1]:
            out["description"] = display[1]
        if template and self._administration is not None:
            out["administration"] = self._administration
        out["id"] = ident
        if template:
            out["kind"] = "Template"
        if semantics:
            out["semanticId"] = ext_ref(semantics[0])
        if len(semantics) > 1:
            out["supplementalSemanticIds"] = [ext_ref(key) for key in semantics[1:]]
        if elements:
            out["submodelElements"] = elements
        out["modelType"] = "Submodel"
        return out

    # ------------------------------------------------------------------ templates
    def _template(self, node: Node) -> Json:
        scope = Scope(template=True)
        self.scopes.append(scope)
        decls = self.space.declarations(node.key)
        names = IdShortAllocator()
        elements = self.builder.container_children(node, node.key, scope, "", 0, names, decls)
        id_short, renamed = IdShortAllocator().allocate(node.browse_name)
        more: list[tuple[str, str]] = []
        if node.attr("IsAbstract") == "true":
            more.append(("IsAbstract", "true"))
        direct = self.space.supertype(node.key)
        if direct is not None:
            more.append(("SubtypeOf", direct))
        submodel = self._submodel(
            self._id("SubmodelTemplate", node.browse_name, node.ident), id_short, node, renamed,
            elements, True, [node.key, *self.space.supertypes(node.key)], tuple(more))
        scope.placed[node.key] = scope.submodel = submodel
        return submodel

    def _describe(self, node: Node, id_short: str, renamed: bool
                  ) -> tuple[tuple[list[Json] | None, list[Json] | None], list[Json]]:
        """(displayName, description) and the Extensions NodeId, BrowseName and Model."""
        display = (lang_name(node.display, node.browse_name)[0], lang_text(node.description)[0])
        extensions: list[Json] = []
        keep(extensions, FMT, "NodeId", node.key)
        if renamed or node.browse_name != id_short or node.browse_uri != split_key(node.key)[0]:
            keep(extensions, FMT, "BrowseName", qualified_text(node.browse_uri,
                                                               node.browse_name))
        keep(extensions, FMT, "Model", self._model_text)
        return display, extensions

    # ------------------------------------------------------------------ instances
    def _roots(self, nodes: list[Node]) -> list[Node]:
        main = self.space.main_keys
        roots: list[Node] = []
        for node in nodes:
            if node.node_class not in ("Object", "Variable", "Method", "View"):
                continue
            if self.space.modelling_rule(node.key) is not None:
                continue
            typedef = self.space.type_definition(node.key)
            if typedef is not None and self.space.is_subtype(typedef, _DICTIONARY_FOLDER):
                continue
            if typedef is not None and self.space.is_subtype(typedef, _DICTIONARY_ENTRY):
                self.entries.append(node)
                continue
            parent = self.builder.primary_parent(node)
            if parent is not None and parent in main:
                continue
            roots.append(node)
        return roots

    def _instance(self, node: Node) -> list[Json]:
        scope = Scope(template=False)
        self.scopes.append(scope)
        out: list[Json] = []
        names = IdShortAllocator()
        id_short, renamed = IdShortAllocator().allocate(node.browse_name)
        submodel_id = self._id("Submodel", node.browse_name, node.ident)
        typedef = self.space.type_definition(node.key)
        nameplate = None
        skip: frozenset[str] = frozenset()
        if node.node_class in ("Object", "View"):
            ident_node = next((c for _, c in self.space.children(node.key)
                               if c.browse_uri == DI_URI and c.browse_name == "Identification"
                               and self.builder.primary_parent(c) == node.key), None)
            if ident_node is not None:
                nameplate = self._nameplate(node, ident_node, typedef)
                skip = frozenset({ident_node.key})
            elements = self.builder.container_children(node, typedef, scope, "", 0, names,
                                                       skip=skip)
        else:
            element = self.builder.element(node, names, None, scope, "", 1)
            elements = [element] if element is not None else []
        semantic, extra = self.builder.semantic(node, None, False)
        if nameplate is not None:
            elements.append({"idShort": names.allocate("Identification")[0],
                             "value": _model_reference([_key("Submodel", nameplate["id"])]),
                             "modelType": "ReferenceElement"})
        parent = self.builder.primary_parent(node)
        # (supplementalSemanticIds come only with a semanticId)
        submodel = self._submodel(
            submodel_id, id_short, node, renamed, elements, False,
            [semantic, *extra] if semantic is not None else [],
            (("Parent", parent),) if parent is not None else ())
        scope.placed[node.key] = scope.submodel = submodel
        out.append(submodel)
        if nameplate is not None:
            out.append(nameplate)
            asset = self._asset_id(nameplate) or derive_id(self.base, "Asset", node.browse_name)
            shell: Json = {"idShort": id_short}
            if "displayName" in submodel:
                shell["displayName"] = submodel["displayName"]
            shell["id"] = self._id("AAS", node.browse_name, node.ident)
            shell["assetInformation"] = {"assetKind": "Instance", "globalAssetId": asset}
            shell["submodels"] = sorted(
                (_model_reference([_key("Submodel", submodel["id"])]),
                 _model_reference([_key("Submodel", nameplate["id"])])),
                key=lambda ref: json.dumps(ref, sort_keys=True))
            shell["modelType"] = "AssetAdministrationShell"
            out.insert(0, shell)
        return out

    def _nameplate(self, owner: Node, node: Node, owner_type: str | None) -> Json:
        scope = Scope(template=False)
        self.scopes.append(scope)
        decl = self.space.find_declaration(None, owner_type, (node.browse_uri, node.browse_name))
        typedef = self.space.type_definition(node.key)
        if decl is not None:
            self.builder._decl_of[node.key] = decl.node
        elements = self.builder.container_children(node, typedef, scope, "", 0)
        id_short, renamed = IdShortAllocator().allocate(node.browse_name)
        # The elements carry Digital Nameplate semanticIds; the submodel does not claim to
        # be a Digital Nameplate (an OPC UA identification lacks mandatory nameplate
        # elements such as the order code and the address), so its semanticId is the type.
        semantics = [k for k in (typedef, decl.node.key if decl else None) if k]
        submodel_id = self._id("Submodel", owner.browse_name, node.ident, node.browse_name)
        for key in semantics:
            self.builder._concept(key)
        submodel = self._submodel(submodel_id, id_short, node, renamed, elements, False,
                                  semantics)
        scope.placed[node.key] = scope.submodel = submodel
        self.placed[node.key] = submodel
        return submodel

    def _asset_id(self, nameplate: Json) -> str | None:
        for element in nameplate.get("submodelElements", ()):
            if element.get("idShort") == "ProductInstanceUri" and (
                    element["modelType"] == "Property"):
                value = element.get("value")
                if isinstance(value, str) and value.strip():
                    return value.strip()
        return None

    # ------------------------------------------------------------------ references
    def _paths(self, scope: Scope) -> dict[int, list[Json]]:
        """The keys of a ModelReference to the submodel of a scope and its elements.

        By the element's ``id()``, made on first use (when every submodel is complete);
        a list item's key is its position, as basyx makes it. Per scope: the element of
        a declaration is one object in the templates of its type and subtypes.
        """
        found = self._scope_paths.get(id(scope))
        if found is not None:
            return found
        paths: dict[int, list[Json]] = {}
        self._scope_paths[id(scope)] = paths
        submodel = scope.submodel
        if submodel is None:
            return paths
        keys = [_key("Submodel", submodel["id"])]
        paths[id(submodel)] = keys
        stack = [(keys, submodel.get("submodelElements", ()), False)]
        while stack:
            above, items, in_list = stack.pop()
            for position, element in enumerate(items):
                model_type = element["modelType"]
                here = [*above, _key(model_type, str(position) if in_list
                                     else element.get("idShort", ""))]
                paths[id(element)] = here
                if model_type in ("SubmodelElementCollection", "SubmodelElementList"):
                    stack.append((here, element.get("value", ()),
                                  model_type == "SubmodelElementList"))
                elif model_type == "Entity":
                    stack.append((here, element.get("statements", ()), False))
        return paths

    def _reference_to(self, found: tuple[Json, Scope]) -> Json:
        """A ModelReference to an element (or submodel) placed in a scope."""
        element, scope = found
        keys = self._paths(scope).get(id(element))
        if keys is None:
            raise ValueError(f"the element {element.get('idShort')!r} is not in a submodel")
        return _model_reference(keys)

    def _resolve(self) -> None:
        everywhere: dict[str, tuple[Json, Scope]] = {}
        for scope in self.scopes:
            if not scope.template:
                for key, element in scope.placed.items():
                    everywhere.setdefault(key, (element, scope))

        def find(scope: Scope, key: str | None) -> tuple[Json, Scope] | None:
            if key is None:
                return None
            element = scope.placed.get(key)
            return (element, scope) if element is not None else everywhere.get(key)

        for scope in self.scopes:
            for element, target in scope.pending:
                found = find(scope, target)
                if found is not None:
                    set_value(element, "value", self._reference_to(found))
                else:
                    set_value(element, "value", ext_ref(target))
            for element, owner_key, second in scope.owners:
                owner = find(scope, owner_key)
                if owner is None:
                    continue
                owner_ref = self._reference_to(owner)
                if element["modelType"] == "BasicEventElement":
                    set_value(element, "observed", owner_ref)
                else:
                    set_value(element, "first", owner_ref)
                    found = find(scope, second)
                    if found is not None:
                        set_value(element, "second", self._reference_to(found))


_LISTS = {"AssetAdministrationShell": "assetAdministrationShells", "Submodel": "submodels",
          "ConceptDescription": "conceptDescriptions"}


def _key(key_type: str, value: str) -> Json:
    return {"type": key_type, "value": value}


def _model_reference(keys: list[Json]) -> Json:
    return {"type": "ModelReference", "keys": keys}
