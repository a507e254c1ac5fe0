"""The DTDL reader: JSON-LD elements -> :class:`Element` objects, checked as they are read.

The algorithm follows the DTDL language specifications (v2 and v3) and the reference
parser's metamodel (see ``_vocab.json``): every element gets its context, identifier,
material type and co-types; each property is checked against its class (literal types,
lengths, patterns, counts) or against a co-type that defines it; values that name other
elements are collected as :class:`Reference` objects and checked once everything is read
(``_checks.py``).
"""

from __future__ import annotations

from typing import Any

from omp_models.formats.dtdl._context import AllowUndefined, Context, ContextError
from omp_models.formats.dtdl._dtmi import parse_dtmi
from omp_models.formats.dtdl._jsonld import (
    JsonError,
    JsonObject,
    LdElement,
    LdSyntaxError,
    load_json,
    to_element,
)
from omp_models.formats.dtdl._model import DtdlModel, Element, Problem, Reference
from omp_models.formats.dtdl._properties import PropertyReader, Quit, Slot, apocryphal
from omp_models.formats.dtdl._values import parse_literal
from omp_models.formats.dtdl._vocab import vocabulary

__all__ = ["Parser", "Quit"]

_NON_MATERIAL_KINDS = ("LatentType", "NamedLatentType", "Unit", "UnitAttribute")


class Parser(PropertyReader):
    """Reads DTDL documents into one :class:`DtdlModel`.

    Args:
        allow_undefined: Whether unknown extension contexts (and then undefined terms on
            elements with an undefined co-type) are tolerated.
    """

    def __init__(self, allow_undefined: AllowUndefined = AllowUndefined.PER_VERSION) -> None:
        self.allow_undefined = allow_undefined
        self.model = DtdlModel()
        self.references: list[Reference] = []
        self.source = ""
        self.allow_reserved = False

    # --- problems ------------------------------------------------------------------------

    def problem(self, code: str, message: str, pointer: str) -> None:
        """Record a problem in the current document."""
        self.model.problems.append(Problem(code, message, self.source, pointer))

    def quit(self, code: str, message: str, pointer: str) -> Quit:
        """Record a problem and return the exception that stops the element."""
        self.problem(code, message, pointer)
        return Quit(message)

    # --- documents -----------------------------------------------------------------------

    def parse_bytes(self, source: str, data: bytes | str | JsonObject | list[Any]) -> None:
        """Read one DTDL document (an element or an array of elements; text or parsed)."""
        self.source = source
        if isinstance(data, list):  # already parsed (JsonObject is a list too)
            self.parse_value(source, data)
            return
        try:
            root = load_json(data)
        except JsonError as exc:
            self.problem("invalidJson", str(exc), "")
            return
        self.parse_value(source, root)

    def parse_value(self, source: str, root: Any, pointer: str = "") -> None:
        """Read an already-parsed JSON document."""
        self.source = source
        if isinstance(root, JsonObject) and root.get("@context") is None and isinstance(
                root.get("digitalTwinsModels"), list):
            # an Azure Digital Twins Explorer export: its models are DTDL
            self.parse_value(source, root.get("digitalTwinsModels"),
                             f"{pointer}/digitalTwinsModels")
        elif isinstance(root, JsonObject):
            self._parse_root(root, pointer)
        elif isinstance(root, list):
            for index, item in enumerate(root):
                where = f"{pointer}/{index}"
                if isinstance(item, JsonObject):
                    self._parse_root(item, where)
                else:
                    self.problem("rootNotObject", "every item of the top-level array must be a "
                                 "DTDL element (a JSON object)", where)
        else:
            self.problem("rootNotObject", "a DTDL document is a JSON object or an array of "
                         "them", pointer)

    def _parse_root(self, raw: JsonObject, pointer: str) -> None:
        try:
            elt = to_element(raw, pointer)
        except LdSyntaxError as exc:
            self.problem(exc.code, str(exc), exc.pointer)
            return
        except RecursionError:
            self.problem("tooDeep", "the element is nested too deeply", pointer)
            return
        base = Context(self.allow_undefined)
        try:
            element_id = self.parse_element(elt, base, Slot(None, None, None, "Entity", None))
        except Quit:
            return
        except RecursionError:
            self.problem("tooDeep", "the element is nested too deeply", pointer)
            return
        except ContextError as exc:
            self.problem(exc.code, str(exc), exc.pointer)
            return
        if element_id is None:
            return
        element = self.model.elements[element_id]
        info = vocabulary().versions[element.version]
        if not info.classes[element.cls].rootable:
            self.problem("typeNotRootable", f"a {element.cls} cannot be a top-level element "
                         "(only an Interface can)", pointer)
        if element_id not in self.model.roots:
            self.model.roots.append(element_id)

    # --- elements ------------------------------------------------------------------------

    def parse_element(self, elt: LdElement, ctx: Context, slot: Slot) -> str | None:
        """Read one element (and, recursively, its children); its DTMI or ``None``."""
        child = ctx.child(elt)
        parent = slot.parent
        if elt.property_count == 1 and elt.id is not None:
            self.problem("idReference", "an object with only an @id is not a reference; write "
                         "the DTMI as a string", elt.pointer)
            return None
        if elt.graph:
            self.problem("graphDisallowed", "@graph is not allowed in DTDL", elt.pointer)
        if child.restrict_keywords:
            if elt.language is not None:
                self.problem("keywordDisallowed", "@language is not allowed here", elt.pointer)
            if elt.value is not None:
                self.problem("keywordDisallowed", "@value is not allowed here", elt.pointer)
            for keyword in elt.keywords:
                self.problem("keywordDisallowed", f"{keyword} is not a DTDL keyword",
                             elt.pointer)
        prop = slot.prop
        if prop is not None and prop.versions is not None and child.version not in prop.versions:
            self.problem("disallowedVersionDefinition", f"a DTDL v{child.version} element "
                         f"cannot be the value of {slot.prop_name!r} here (allowed: "
                         f"{', '.join(f'v{v}' for v in prop.versions)})", elt.pointer)
        element_id = self._parse_id(elt, child, slot)
        existing = self.model.elements.get(element_id)
        if existing is not None:
            dtmi = parse_dtmi(element_id)
            if dtmi is None or not dtmi.is_reserved:
                self.problem("duplicateDefinition", f"{element_id} is defined twice "
                             f"(also at {existing.source}#{existing.pointer})", elt.pointer)
            elif prop is not None and prop.dtmi_segment:
                self.problem("nonUniquePropertyValue", f"two elements of {slot.prop_name!r} "
                             f"have the same {prop.dtmi_segment}", elt.pointer)
            return None
        type_required = prop.type_required if prop is not None else True
        if type_required and elt.types is None:
            self.problem("badType", f"the element has no @type (expected one of: "
                         f"{', '.join(self._concrete(child, slot.cls))})", elt.pointer)
            return None
        types: list[str | None] = (list(elt.types) if elt.types is not None
                                   else [slot.inferred or slot.cls])
        parsed = self._parse_types(types, elt, child, slot)
        if parsed is None:
            return None
        cls, supplemental, undefined = parsed
        info = vocabulary().versions[child.version]
        partition = element_id if info.classes[cls].partition else slot.partition
        element = Element(
            id=element_id, cls=cls, version=child.version, source=self.source,
            pointer=elt.pointer, parent=parent.id if parent else None,
            parent_prop=slot.prop_name, defined_in=slot.partition, context=child,
            supplemental_types=supplemental, undefined_types=undefined, raw=elt.raw,
            explicit_id=elt.id is not None, standard=self.allow_reserved,
        )
        self.model.elements[element_id] = element
        self._parse_properties(element, elt, child, info, partition)
        if parent is not None and slot.prop_name is not None:
            self.references.append(Reference(
                owner=parent.id, prop=slot.prop_name, target=element_id, pointer=elt.pointer,
                source=self.source, inline=True,
                key=prop.dictionary_key if prop else None,
                values=prop.value_uris if prop else None,
            ))
        return element_id

    def _concrete(self, ctx: Context, cls: str) -> tuple[str, ...]:
        return vocabulary().versions[ctx.version].concrete(cls)

    def _parse_id(self, elt: LdElement, ctx: Context, slot: Slot) -> str:
        info = vocabulary().versions[ctx.version]
        prop = slot.prop
        if elt.id is not None:
            if elt.id == "":
                raise self.quit("idNotString", "@id must be a string", elt.pointer)
            if len(elt.id) > info.id_max_length:
                raise self.quit("idTooLong", f"@id is longer than {info.id_max_length} "
                                "characters", elt.pointer)
            if not info.id_definition.match(elt.id):
                raise self.quit("invalidId", f"{elt.id!r} is not a valid DTMI for DTDL "
                                f"v{ctx.version}", elt.pointer)
            if not self.allow_reserved and ctx.is_reserved(elt.id):
                raise self.quit("reservedId", f"{elt.id!r} uses a reserved prefix "
                                f"({', '.join(ctx.reserved_prefixes())})", elt.pointer)
            return elt.id
        id_required = prop.id_required if prop is not None else True
        if id_required:
            what = "a top-level element" if slot.parent is None else f"{slot.prop_name!r} values"
            raise self.quit("missingRequiredId", f"{what} must have an @id", elt.pointer)
        assert slot.parent is not None and slot.prop_name is not None
        second = ""
        if prop is not None and prop.dtmi_segment:
            seg_name = prop.dtmi_segment
            seg_dtmi = info.property_dtmis.get(seg_name)
            seg_prop = next((p for p in elt.properties if p.name in (seg_name, seg_dtmi)), None)
            if seg_prop is None:
                raise self.quit("missingDtmiSegPropertyValue", f"the element has no "
                                f"{seg_name!r}", elt.pointer)
            value = parse_literal(seg_prop, seg_name, _ignore)
            if isinstance(value, bool) or value is None:
                raise self.quit("dtmiSegPropertyNotStringOrNumber", f"{seg_name!r} must be a "
                                "string or a number", seg_prop.pointer)
            second = ":__" + str(value).replace(".", "_")
        return _child_id(slot.parent.id, slot.prop_name, second)

    def _parse_types(self, types: list[str | None], elt: LdElement, ctx: Context,
                     slot: Slot) -> tuple[str, list[str], list[str]] | None:
        vocab = vocabulary()
        info = vocab.versions[ctx.version]
        concrete = self._concrete(ctx, slot.cls)
        apocrypha = info.apocrypha
        materials: list[str] = []
        supplemental: list[str] = []
        undefined: list[str] = []
        failed = False
        for text in types:
            if text is None:
                self.problem("typeNotString", "@type values must be strings", elt.pointer)
                failed = True
                continue
            material = next((c for c in concrete
                             if text in (c, f"dtmi:dtdl:class:{c};{ctx.version}")), None)
            if material is not None:
                materials.append(material)
                continue
            if text in vocab.material_type_names:
                self.problem("badType", f"{text!r} is not allowed here (expected one of: "
                             f"{', '.join(concrete)})", elt.pointer)
                failed = True
                continue
            dtmi = ctx.create_dtmi(text)
            if dtmi is None:
                if text.startswith("dtmi:"):
                    kind = "invalidDtmiAsCotype"
                    message = f"{text!r} is not a valid DTMI"
                elif ":" in text:
                    kind = "notDtmiNorTermAsCotype"
                    message = f"{text!r} is neither a DTMI nor a term"
                else:
                    kind = "undefinedTermAsCotype"
                    message = f"{text!r} is not a term of DTDL v{ctx.version} or of an " \
                              "extension in @context"
                if apocryphal(apocrypha[kind], ctx):
                    code = "type" + kind[0].upper() + kind[1:].replace("AsCotype", "")
                    self.problem(code, message, elt.pointer)
                    failed = True
                else:
                    undefined.append(text)
                continue
            stype = vocab.supplemental.get(dtmi)
            if stype is None:
                if apocryphal(apocrypha["irrelevantDtmiOrTermAsCotype"], ctx):
                    self.problem("typeIrrelevantDtmiOrTerm", f"{text!r} is not a co-type that "
                                 "can be used here", elt.pointer)
                    failed = True
                else:
                    undefined.append(text)
                continue
            if stype.abstract:
                self.problem("abstractSupplementalType", f"{text!r} is abstract", elt.pointer)
                failed = True
                continue
            extensible = info.classes[slot.cls].extensible if slot.cls in info.classes else ()
            if stype.kind in extensible:
                materials.append(stype.kind)  # e.g. a v2 unit: material class Unit
                if dtmi not in supplemental:
                    supplemental.append(dtmi)
                continue
            if stype.kind in _NON_MATERIAL_KINDS:
                self.problem("badType", f"{text!r} cannot be a co-type", elt.pointer)
                failed = True
                continue
            if dtmi not in supplemental:
                supplemental.append(dtmi)
        if failed:
            return None
        if not materials:
            self.problem("badType", f"@type names none of: {', '.join(concrete)}", elt.pointer)
            return None
        if len(set(materials)) > 1:
            self.problem("multipleMaterialTypes", f"@type names several classes "
                         f"({', '.join(sorted(set(materials)))})", elt.pointer)
            return None
        cls = materials[0]
        kept: list[str] = []
        for dtmi in supplemental:
            stype = vocab.supplemental[dtmi]
            term = vocab.term_or_uri(dtmi)
            if stype.kind == cls:
                kept.append(dtmi)
            elif cls not in stype.cotypes:
                self.problem("invalidCotype", f"{term!r} cannot be a co-type of a {cls}",
                             elt.pointer)
            elif ctx.version not in stype.cotype_versions:
                self.problem("invalidCotypeVersion", f"{term!r} cannot be a co-type in DTDL "
                             f"v{ctx.version}", elt.pointer)
            else:
                kept.append(dtmi)
                for required in stype.cocotypes:
                    if required not in supplemental:
                        self.problem("missingCocotype", f"{term!r} needs the co-type "
                                     f"{vocab.term_or_uri(required)!r}", elt.pointer)
                for banned in stype.discotypes:
                    if banned in supplemental:
                        self.problem("disallowedCocotype", f"{term!r} cannot be combined with "
                                     f"{vocab.term_or_uri(banned)!r}", elt.pointer)
        sources: dict[str, str] = {}
        for dtmi in kept:
            stype = vocab.supplemental[dtmi]
            for pid in stype.properties:
                first = sources.setdefault(pid, stype.id)
                if first != stype.id:
                    self.problem("conflictingSupplementalTypes", f"the co-types "
                                 f"{vocab.term_or_uri(first)!r} and "
                                 f"{vocab.term_or_uri(stype.id)!r} both define "
                                 f"{stype.properties[pid]['name']!r}", elt.pointer)
                    return None
        return cls, kept, undefined

    # --- properties ----------------------------------------------------------------------


def _child_id(parent: str, prop_name: str, second: str) -> str:
    first = prop_name.split(";", 1)[0]
    body, hash_, fragment = parent.partition("#")
    versionless, semi, version = body.partition(";")
    out = f"{versionless}:_{first}{second}"
    if semi:
        out += f";{version}"
    if hash_:
        out += f"#{fragment}"
    return out


def _ignore(code: str, message: str, pointer: str) -> None:
    return None
