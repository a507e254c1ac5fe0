"""NodeSet2 written by this converter -> AAS: native attributes plus the AAS extension blob.

The writer keeps in each node's ``<Extensions>`` the AAS attributes OPC UA has no place
for; everything else (BrowseName, DisplayName, Description, DataType, Value, Translation,
ModellingRule, HasDictionaryEntry) is read natively, so edits made in an OPC UA tool are
seen. The result goes through the AAS JSON reader like any AAS document.
"""

from __future__ import annotations

import json
from typing import Any

from omp_models.aas.io import AasReadError, environment_from_jsonable
from omp_models.formats._report import Code, ConversionReport, IssueSeverity
from omp_models.formats.opcua._common import AAS_EXT_NS, CARDINALITY_OF_RULE
from omp_models.formats.opcua._common import norm_lang as _lang
from omp_models.formats.opcua._ir import UA_NS, Node, split_key
from omp_models.formats.opcua._space import (
    HAS_DICTIONARY_ENTRY,
    HAS_PROPERTY,
    Space,
)
from omp_models.formats.opcua._values import XS_OF_UA, LText, Struct, parse_value
from omp_models.formats.opcua._write_nodes import CHILD_KEYS, canonical_cardinality

__all__ = ["Restorer"]

_BLOB = f"{{{UA_NS}}}Extensions/{{{UA_NS}}}Extension/{{{AAS_EXT_NS}}}Element"
_TEXT = f"{{{UA_NS}}}Text"
_IDENTIFIABLES = {"AssetAdministrationShell": "assetAdministrationShells",
                  "Submodel": "submodels", "ConceptDescription": "conceptDescriptions"}


class Restorer:
    """Builds the AAS environment of a NodeSet written by this converter."""

    def __init__(self, space: Space, report: ConversionReport, file: str) -> None:
        self.space = space
        self.report = report
        self.file = file
        self._blobs: dict[str, dict[str, Any] | None] = {}
        #: The nodes on the way from the identifiable to the element being restored.
        self._ancestors: set[str] = set()

    def blob(self, node: Node) -> dict[str, Any] | None:
        """The AAS attributes kept in a node's Extensions (``None`` when it has none)."""
        if node.key in self._blobs:
            return self._blobs[node.key]
        found: dict[str, Any] | None = None
        elem = node.elem.find(_BLOB)
        if elem is not None and elem.text:
            try:
                loaded = json.loads(elem.text)
            except ValueError:
                self.report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                                "the AAS extension of this node is not valid JSON",
                                source=node.key, file=self.file, line=elem.sourceline)
                loaded = None
            found = loaded if isinstance(loaded, dict) else None
        self._blobs[node.key] = found
        return found

    def run(self, store: Any) -> None:
        """Restore every shell, submodel and concept description into ``store``."""
        env: dict[str, list[dict[str, Any]]] = {}
        for node in self.space.main.nodes.values():
            blob = self.blob(node)
            kind = blob.get("modelType") if blob else None
            if blob is None or kind not in _IDENTIFIABLES:
                continue
            item = self._referable(node, blob, in_list=False)
            if kind == "Submodel":
                template = node.node_class == "ObjectType"
                self._ancestors = {node.key}
                item["submodelElements"] = self._children(node, template, in_list=False)
            env.setdefault(_IDENTIFIABLES[str(kind)], []).append(item)
        if self.report.has_errors:
            return
        try:
            built = environment_from_jsonable(env)
        except AasReadError as exc:
            self.report.add(Code.INVALID_INPUT, IssueSeverity.ERROR,
                            f"the AAS kept in the NodeSet's extensions is not valid: {exc}",
                            file=self.file)
            return
        for identifiable in built.store:
            _tidy(identifiable, env)
            store.add(identifiable)

    # ------------------------------------------------------------------ elements
    def _referable(self, node: Node, blob: dict[str, Any], in_list: bool) -> dict[str, Any]:
        out = dict(blob)
        if in_list:
            out.pop("idShort", None)
        elif "idShort" in out:
            if out["idShort"] is None:
                del out["idShort"]
        else:
            out["idShort"] = node.browse_name
        names = [{"language": _lang(loc), "text": text} for loc, text in node.display
                 if text and not (not loc and text == node.browse_name)]
        if names:
            out["displayName"] = _unique(names)
        texts = [{"language": _lang(loc), "text": text} for loc, text in node.description if text]
        if texts:
            out["description"] = _unique(texts)
        return out

    def _children(self, node: Node, template: bool, in_list: bool) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for ref_type, target in self.space.main.fwd.get(node.key, ()):
            if target in seen or not self.space.is_child_ref(ref_type):
                continue
            child = self.space.main.nodes.get(target)
            if child is None or child.parent not in (None, node.key):
                continue
            if node.node_class == "Method" or (ref_type == HAS_PROPERTY and child.browse_name in (
                    "InputArguments", "OutputArguments") and child.node_class == "Variable"
                    and self.blob(child) is None):
                continue
            seen.add(target)
            if target in self._ancestors:  # a hierarchy cycle: the recursion would not end
                self.report.add(Code.INVALID_INPUT, IssueSeverity.LOSSY,
                                f"node {child.browse_name!r} is its own ancestor in the "
                                "hierarchy; the cycle was cut here",
                                source=child.key, file=self.file, line=child.line)
                continue
            self._ancestors.add(target)
            try:
                element = self._element(child, template, in_list)
            finally:
                self._ancestors.discard(target)
            if element is not None:
                out.append(element)
        return out

    def _element(self, node: Node, template: bool, in_list: bool) -> dict[str, Any] | None:
        blob = self.blob(node)
        if blob is None:
            self.report.add(Code.DROPPED, IssueSeverity.LOSSY,
                            f"node {node.browse_name!r} has no AAS extension and was not "
                            "converted (the NodeSet was edited after it was written?)",
                            source=node.key, file=self.file, line=node.line)
            return None
        out = self._referable(node, blob, in_list)
        kind = out.get("modelType", "")
        value = self._value(node) if node.node_class == "Variable" else None
        if kind == "Property":
            if "valueType" not in out:
                builtin = self.space.builtin(node.data_type)
                out["valueType"] = XS_OF_UA.get(builtin or 12, ("xs:string", True))[0]
            if "value" not in out and isinstance(value, str):
                out["value"] = value
        elif kind == "MultiLanguageProperty" and "value" not in out:
            texts = self._texts(node, value)
            if texts:
                out["value"] = texts
        elif kind == "Range" and isinstance(value, Struct):
            out.setdefault("valueType", "xs:double")
            for field, name in (("Low", "min"), ("High", "max")):
                text = value.fields.get(field)
                if name not in out and isinstance(text, str):
                    out[name] = text
        elif kind == "Blob" and "value" not in out and isinstance(value, str) and value:
            out["value"] = value
        elif kind == "SubmodelElementList" and node.node_class == "Variable":
            items = value if isinstance(value, list) else []
            out["value"] = [{"modelType": "Property",
                             "valueType": out.get("valueTypeListElement", "xs:string"),
                             "value": item} for item in items if isinstance(item, str)]
        if "semanticId" not in out:
            entry = self.space.target(node.key, HAS_DICTIONARY_ENTRY)
            target = self.space.get(entry)
            concept = self.blob(target) if target is not None else None
            if concept is not None and isinstance(concept.get("id"), str):
                out["semanticId"] = {"type": "ExternalReference", "keys": [
                    {"type": "GlobalReference", "value": concept["id"]}]}
            elif entry is not None:
                ident = split_key(entry)[1]
                out["semanticId"] = {"type": "ExternalReference", "keys": [
                    {"type": "GlobalReference", "value": ident[2:] if ident.startswith("s=")
                     else entry}]}
        if "qualifiers" not in out and template:
            rule = self.space.modelling_rule(node.key)
            cardinality = CARDINALITY_OF_RULE.get(rule) if rule else None
            if cardinality is not None:
                out["qualifiers"] = [canonical_cardinality(cardinality)]
        children_key = CHILD_KEYS.get(kind)
        if children_key and node.node_class == "Object":
            out[children_key] = self._children(node, template,
                                               in_list=kind == "SubmodelElementList")
        return out

    def _value(self, node: Node) -> Any:
        return parse_value(node.value, node.doc) if node.value is not None else None

    def _texts(self, node: Node, value: Any) -> list[dict[str, str]]:
        texts: list[dict[str, str]] = []
        if isinstance(value, LText) and value.text:
            texts.append({"language": _lang(value.locale), "text": value.text})
        for local, translation in node.extras or ():
            if local != "Translation":
                continue
            for text in translation.iterchildren(_TEXT):
                if text.text:
                    texts.append({"language": _lang(text.get("Locale") or ""),
                                  "text": text.text})
        return _unique(texts)


def _unique(entries: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: set[str] = set()
    out = []
    for entry in entries:
        if entry["language"] not in seen:
            seen.add(entry["language"])
            out.append(entry)
    return out


def _tidy(identifiable: Any, env: dict[str, list[dict[str, Any]]]) -> None:
    """Undo two basyx habits that would make the output invalid or unstable.

    Entities without specific asset ids are written with an empty list (invalid), and a
    shell's submodel references are held in a set (written in hash order).
    """
    from basyx.aas import model

    if isinstance(identifiable, model.AssetAdministrationShell):
        source = next((s for s in env.get("assetAdministrationShells", ())
                       if s.get("id") == identifiable.id), {})
        order = [r.get("keys", [{}])[0].get("value") for r in source.get("submodels") or ()]
        # A list where basyx annotates a set: a set is written in hash order.
        identifiable.submodel = sorted(  # type: ignore[assignment]
            identifiable.submodel,
            key=lambda ref: order.index(ref.key[0].value) if ref.key[0].value in order else 0)
    stack: list[Any] = [identifiable]
    while stack:
        current = stack.pop()
        if isinstance(current, model.Entity) and not current.specific_asset_id:
            # basyx has no public way to say "not set" (its setter wants an iterable)
            current._specific_asset_id = None  # type: ignore[assignment]
        for attribute in ("submodel_element", "value", "statement", "annotation"):
            children = getattr(current, attribute, None)
            if children is not None and not isinstance(children, str | bytes) and hasattr(
                    children, "__iter__") and not isinstance(current, model.Property):
                stack.extend(c for c in children if isinstance(c, model.SubmodelElement))
