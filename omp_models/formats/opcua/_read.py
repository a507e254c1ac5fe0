"""NodeSet2 -> AAS: the dependency closure, then types and instances.

Types become submodel templates and ConceptDescriptions, instances submodels (and shells
for identifiable machines).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from basyx.aas import model

from omp_models.aas.io import AasEnvironment
from omp_models.formats._registry import ConvertOptions, Source
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.opcua._common import (
    DI_URI,
    FMT,
    Tally,
    ext_ref,
    lang_name,
    lang_text,
)
from omp_models.formats.opcua._concepts import concept_description
from omp_models.formats.opcua._deps import resolve_closure
from omp_models.formats.opcua._elements import Builder, Scope
from omp_models.formats.opcua._ir import (
    Model,
    Node,
    NodeSetDoc,
    NodeSetError,
    parse_nodeset,
    split_key,
)
from omp_models.formats.opcua._restore import Restorer, has_aas_extensions
from omp_models.formats.opcua._space import Space, ns0
from omp_models.ids import IdShortAllocator, derive_id, preserve

__all__ = ["read_nodeset"]

_DICTIONARY_ENTRY = ns0(17589)
_DICTIONARY_FOLDER = ns0(17591)


def read_nodeset(source: Source, options: ConvertOptions
                 ) -> tuple[AasEnvironment, ConversionReport]:
    """Read one NodeSet2 file (and its dependencies) into an AAS environment."""
    report = ConversionReport(source_format=FMT)
    store: Any = model.DictIdentifiableStore()
    env = AasEnvironment(store=store)
    try:
        doc = parse_nodeset(source.data, source.name)
    except NodeSetError as exc:
        report.add(Code.INVALID_INPUT, IssueSeverity.ERROR, f"not a NodeSet2 file: {exc}",
                   file=source.name, line=exc.line)
        return env, report
    own = doc.models or [_implicit_model(doc)]
    search = tuple(options.search_paths) or (
        (Path(source.path).parent,) if source.path is not None else ())
    exclude = Path(source.path) if source.path is not None else None
    deps, resolutions, failures = resolve_closure(own, search, exclude)
    # A NodeSet this converter wrote carries the AAS in its nodes: the models it requires
    # are not needed to read it back, so a missing one is only noted.
    restore = has_aas_extensions(source.data)
    _report_dependencies(report, source.name, resolutions, failures, needed=not restore)
    if report.has_errors:
        return env, report
    space = Space(doc, deps)
    if restore:
        Restorer(space, report, source.name).run(store)
    else:
        _Mapper(space, report, source.name, own).run(store)
    report.meta["models"] = [{"uri": m.uri, "version": m.version,
                              "publicationDate": m.publication_date} for m in own]
    return env, report


def _implicit_model(doc: NodeSetDoc) -> Model:
    uri = doc.uris[1] if len(doc.uris) > 1 else doc.uris[0]
    required = tuple(Model(u) for u in dict.fromkeys([doc.uris[0], *doc.uris[2:]]) if u != uri)
    return Model(uri, None, None, required)


def _report_dependencies(report: ConversionReport, file: str, resolutions: list[Any],
                         failures: list[tuple[Path, str]], needed: bool) -> None:
    used: list[dict[str, Any]] = []
    missing: set[tuple[str, str | None]] = set()
    for res in resolutions:
        req = res.required
        if res.found is None:
            if (req.uri, req.version) in missing:
                continue
            missing.add((req.uri, req.version))
            if needed:
                report.add(Code.DEPENDENCY_MISSING, IssueSeverity.ERROR,
                           f"required model {req.label()} (required by {res.by}) was not found "
                           "in the search folders; add the folder that holds it with "
                           "--search-path", source=req.uri, original=req.version, file=file)
            else:
                report.add(Code.DEPENDENCY_MISSING, IssueSeverity.INFO,
                           f"required model {req.label()} was not found; it is not needed to "
                           "read the AAS this NodeSet carries", source=req.uri,
                           original=req.version, file=file)
            continue
        found = res.found.model
        entry = {"uri": found.uri, "version": found.version, "file": str(res.found.path)}
        if entry not in used:
            used.append(entry)
        if res.mismatch == "older":
            report.add(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY,
                       f"required model {req.label()} (required by {res.by}) was not found; "
                       f"the older version {found.version} from {res.found.path} was used",
                       source=req.uri, original=req.version, file=file)
        elif res.mismatch == "newer":
            report.add(Code.DEPENDENCY_MISSING, IssueSeverity.INFO,
                       f"required model {req.label()} (required by {res.by}): the newer "
                       f"version {found.version} from {res.found.path} was used",
                       source=req.uri, original=req.version, file=file)
    for path, reason in failures:
        report.add(Code.DEPENDENCY_MISSING, IssueSeverity.ERROR if needed else IssueSeverity.INFO,
                   f"the dependency {path} could not be read: {reason}", source=str(path),
                   file=file)
    report.meta["dependencies"] = used


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
        self.placed: dict[str, Any] = {}
        self.scopes: list[Scope] = []
        self.entries: list[Node] = []
        self._ids: set[str] = set()

    def run(self, store: Any) -> None:
        nodes = list(self.space.main.nodes.values())
        types = [n for n in nodes if n.node_class == "ObjectType"]
        skipped = 0
        for node in types:
            store.add(self._template(node))
        for node in nodes:
            if node.node_class in ("VariableType", "DataType", "ReferenceType", "ObjectType"):
                self.builder.concepts.setdefault(node.key, node)
        for node in self._roots(nodes):
            if self.builder.is_skipped(node):
                skipped += 1
                continue
            for identifiable in self._instance(node):
                store.add(identifiable)
        self._resolve()
        for key, node in sorted(self.builder.concepts.items()):
            store.add(concept_description(node, self.space, self.builder.units.get(key),
                                          self.tally))
        for node in self.entries:
            ident = node.ident
            cd_id = ident[2:] if ident.startswith("s=") else node.key
            if cd_id not in self.builder.concepts:
                store.add(concept_description(node, self.space, None, self.tally, cd_id))
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

    # ------------------------------------------------------------------ ids
    def _id(self, kind: str, name: str, ident: str, *more: str) -> str:
        parts = [name, *more]
        candidate = derive_id(self.base, kind, *parts)
        if candidate in self._ids:
            parts[-1] = f"{parts[-1]}_{ident}"
            candidate = derive_id(self.base, kind, *parts)
        self._ids.add(candidate)
        return candidate

    def _model_extension(self, element: Any) -> None:
        model_info = self.own[0]
        preserve(element, FMT, "Model", json.dumps({
            "uri": model_info.uri, "version": model_info.version,
            "publicationDate": model_info.publication_date,
            "required": [{"uri": r.uri, "version": r.version,
                          "publicationDate": r.publication_date} for r in model_info.required],
        }, sort_keys=True))

    def _administration(self) -> model.AdministrativeInformation | None:
        """Major and minor of the model version.

        AAS versions are plain numbers of at most four digits; the full version is in the
        Model Extension.
        """
        parts = [p.lstrip("0") or "0" for p in (self.own[0].version or "").split(".")]
        if not parts or not all(p.isdigit() and len(p) <= 4 for p in parts[:2]):
            return None
        return model.AdministrativeInformation(version=parts[0],
                                               revision=parts[1] if len(parts) > 1 else None)

    # ------------------------------------------------------------------ templates
    def _template(self, node: Node) -> model.Submodel:
        scope = Scope(template=True)
        self.scopes.append(scope)
        decls = self.space.declarations(node.key)
        names = IdShortAllocator()
        elements = self.builder.container_children(node, node.key, scope, "", 0, names, decls)
        id_short, renamed = IdShortAllocator().allocate(node.browse_name)
        submodel = model.Submodel(
            self._id("SubmodelTemplate", node.browse_name, node.ident), elements,
            id_short=id_short, kind=model.ModellingKind.TEMPLATE,
            semantic_id=ext_ref(node.key), administration=self._administration(),
        )
        for super_key in self.space.supertypes(node.key):
            submodel.supplemental_semantic_id.append(ext_ref(super_key))
        self._describe(submodel, node, id_short, renamed)
        if node.attr("IsAbstract") == "true":
            preserve(submodel, FMT, "IsAbstract", "true")
        direct = self.space.supertype(node.key)
        if direct is not None:
            preserve(submodel, FMT, "SubtypeOf", direct)
        scope.placed[node.key] = submodel
        return submodel

    def _describe(self, element: Any, node: Node, id_short: str, renamed: bool) -> None:
        element.display_name = lang_name(node.display, node.browse_name)[0]
        element.description = lang_text(node.description)[0]
        preserve(element, FMT, "NodeId", node.key)
        if renamed or node.browse_name != id_short or node.browse_uri != split_key(node.key)[0]:
            from omp_models.formats.opcua._common import qualified_text

            preserve(element, FMT, "BrowseName", qualified_text(node.browse_uri,
                                                                node.browse_name))
        self._model_extension(element)

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

    def _instance(self, node: Node) -> list[Any]:
        scope = Scope(template=False)
        self.scopes.append(scope)
        out: list[Any] = []
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
        submodel = model.Submodel(submodel_id, elements, id_short=id_short,
                                  kind=model.ModellingKind.INSTANCE)
        semantic, extra = self.builder.semantic(node, None, False)
        if semantic is not None:
            submodel.semantic_id = ext_ref(semantic)
        for key in extra:
            submodel.supplemental_semantic_id.append(ext_ref(key))
        self._describe(submodel, node, id_short, renamed)
        parent = self.builder.primary_parent(node)
        if parent is not None:
            preserve(submodel, FMT, "Parent", parent)
        scope.placed[node.key] = submodel
        out.append(submodel)
        if nameplate is not None:
            reference = model.ReferenceElement(
                names.allocate("Identification")[0],
                model.ModelReference((model.Key(model.KeyTypes.SUBMODEL, nameplate.id),),
                                     model.Submodel))
            submodel.submodel_element.add(reference)
            out.append(nameplate)
            asset = self._asset_id(nameplate) or derive_id(self.base, "Asset", node.browse_name)
            shell = model.AssetAdministrationShell(
                model.AssetInformation(model.AssetKind.INSTANCE, global_asset_id=asset),
                self._id("AAS", node.browse_name, node.ident), id_short=id_short,
                display_name=submodel.display_name,
                # A list, not a set: references hash by their strings, and a set would be
                # written in a different order per process.
                submodel=[model.ModelReference.from_referable(submodel),  # type: ignore[arg-type]
                          model.ModelReference.from_referable(nameplate)],
            )
            out.insert(0, shell)
        return out

    def _nameplate(self, owner: Node, node: Node, owner_type: str | None) -> model.Submodel:
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
        submodel = model.Submodel(
            self._id("Submodel", owner.browse_name, node.ident, node.browse_name),
            elements, id_short=id_short, kind=model.ModellingKind.INSTANCE,
            semantic_id=ext_ref(semantics[0]) if semantics else None)
        for key in semantics[1:]:
            submodel.supplemental_semantic_id.append(ext_ref(key))
        for key in semantics:
            self.builder._concept(key)
        self._describe(submodel, node, id_short, renamed)
        scope.placed[node.key] = submodel
        self.placed[node.key] = submodel
        return submodel

    def _asset_id(self, nameplate: model.Submodel) -> str | None:
        for element in nameplate.submodel_element:
            if element.id_short == "ProductInstanceUri" and isinstance(element, model.Property):
                value = element.value
                if isinstance(value, str) and value.strip():
                    return value.strip()
        return None

    # ------------------------------------------------------------------ references
    def _resolve(self) -> None:
        everywhere: dict[str, Any] = {}
        for scope in self.scopes:
            if not scope.template:
                for key, element in scope.placed.items():
                    everywhere.setdefault(key, element)
        for scope in self.scopes:
            for element, target in scope.pending:
                found = scope.placed.get(target) or everywhere.get(target)
                if found is not None:
                    element.value = model.ModelReference.from_referable(found)
                else:
                    element.value = ext_ref(target)
            for element, owner_key, second in scope.owners:
                owner = scope.placed.get(owner_key) or everywhere.get(owner_key)
                if owner is None:
                    continue
                owner_ref = model.ModelReference.from_referable(owner)
                if isinstance(element, model.BasicEventElement):
                    element.observed = owner_ref
                else:
                    element.first = owner_ref
                    found = scope.placed.get(second) if second else None
                    found = found or (everywhere.get(second) if second else None)
                    if found is not None:
                        element.second = model.ModelReference.from_referable(found)
