"""JSON-LD ``@context`` handling: which DTDL version and extensions are in force, terms.

An element inherits the context of its parent; an ``@context`` on the element replaces the
DTDL version (when it names ``dtmi:dtdl:context;N``) and adds extension ("affiliate")
contexts. Contexts the toolkit does not know are allowed only when undefined extensions
are allowed; then the context is *incomplete* and undefined terms are tolerated on elements
that carry an undefined type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from omp_models.formats.dtdl._dtmi import parse_dtmi
from omp_models.formats.dtdl._jsonld import ContextComponent, LdElement
from omp_models.formats.dtdl._vocab import DTDL_CONTEXT_PREFIX, vocabulary

__all__ = ["AllowUndefined", "Context", "ContextError"]


class AllowUndefined(Enum):
    """Whether contexts and terms the toolkit does not know are tolerated."""

    ALWAYS = "always"
    NEVER = "never"
    PER_VERSION = "per-version"  # DTDL v2 tolerates them, v3 does not


class ContextError(Exception):
    """A context problem that stops the reading of an element."""

    def __init__(self, code: str, message: str, pointer: str):
        super().__init__(message)
        self.code = code
        self.pointer = pointer


@dataclass(frozen=True)
class Context:
    """The context in force for an element."""

    allow_undefined: AllowUndefined
    version: int = 0
    dtdl_context: str | None = None
    affiliates: tuple[str, ...] = ()
    unrecognized: frozenset[str] = field(default_factory=frozenset)

    @property
    def complete(self) -> bool:
        """Whether every context in force is known."""
        return not self.unrecognized

    @property
    def restrict_keywords(self) -> bool:
        """Whether JSON-LD keywords other than the DTDL ones are refused."""
        return vocabulary().versions[self.version].restrict_keywords

    def _terms(self) -> list[dict[str, str]]:
        vocab = vocabulary()
        out = [vocab.contexts.get(self.dtdl_context or "", {})]
        out.extend(vocab.contexts[a] for a in self.affiliates)
        return out

    def is_reference_valid(self, text: str) -> bool:
        """Whether ``text`` is a valid DTMI reference in this DTDL version."""
        info = vocabulary().versions.get(self.version)
        if info is None:
            return False
        return len(text) <= info.id_max_length and bool(info.id_reference.match(text))

    def create_dtmi(self, text: str) -> str | None:
        """The DTMI a string means here (a DTMI, or a term of a context in force)."""
        if text.startswith("dtmi:"):
            return text if self.is_reference_valid(text) else None
        if ":" in text:
            return None  # no prefixes are defined by the supported contexts
        for terms in self._terms():
            found = terms.get(text)
            if found is not None:
                return found if found.startswith("dtmi:") else None
        return None

    def is_reserved(self, identifier: str) -> bool:
        """Whether an identifier has a prefix reserved by a context in force."""
        vocab = vocabulary()
        contexts = [self.dtdl_context or "", *self.affiliates]
        return any(identifier.startswith(p) for c in contexts
                   for p in vocab.reserved_prefixes.get(c, ()))

    def reserved_prefixes(self) -> list[str]:
        """The reserved prefixes in force."""
        vocab = vocabulary()
        return [p for c in (self.dtdl_context or "", *self.affiliates)
                for p in vocab.reserved_prefixes.get(c, ())]

    # --- the child context -------------------------------------------------------------------

    def child(self, elt: LdElement) -> Context:
        """The context of ``elt`` (this one, changed by its ``@context``).

        Raises:
            ContextError: The ``@context`` is invalid or names no DTDL version.
        """
        if elt.context is None:
            if self.version == 0:
                raise ContextError("missingContext", "the element has no @context (a DTDL "
                                   "document starts with \"@context\": \"dtmi:dtdl:context;3\")",
                                   elt.pointer)
            return self
        if not elt.context:
            if self.version == 0:
                raise ContextError("emptyContext", "the @context is empty", elt.pointer)
            return self
        return self._from_components(elt.context)

    def _from_components(self, comps: list[ContextComponent]) -> Context:
        vocab = vocabulary()
        version, dtdl_context = self.version, self.dtdl_context
        start = 0
        preface: list[str] = []
        while (start < len(comps) and not comps[start].is_local
               and comps[start].remote in vocab.implicit_versions):
            remote = comps[start].remote
            assert remote is not None
            if self._affiliate(comps[start], vocab.implicit_versions[remote],
                               self.allow_undefined is AllowUndefined.ALWAYS):
                preface.append(remote)
            start += 1
        while (start < len(comps) and not comps[start].is_local
               and (comps[start].remote or "").startswith(DTDL_CONTEXT_PREFIX)):
            version = self._dtdl_version(comps[start])
            dtdl_context = comps[start].remote
            start += 1
        if version == 0:
            raise ContextError("missingDtdlContext", "the @context names no DTDL version "
                               "(its first entry must be \"dtmi:dtdl:context;3\" or "
                               "\"dtmi:dtdl:context;2\")", comps[0].pointer)
        end = len(comps) - 1
        if comps[end].is_local:
            raise ContextError("disallowedLocalContext", f"DTDL v{version} does not allow local "
                               "term definitions in @context", comps[end].pointer)
        allow_now = self.allow_undefined is AllowUndefined.ALWAYS or (
            self.allow_undefined is AllowUndefined.PER_VERSION
            and vocab.versions[version].undefined_extensions_by_default)
        affiliates = list(self.affiliates)
        unrecognized = set(self.unrecognized)
        for name in preface:
            if name not in affiliates:
                affiliates.append(name)
        for comp in comps[start:end + 1]:
            if self._affiliate(comp, version, allow_now):
                assert comp.remote is not None
                # a newer version of the same extension replaces the older one
                base = comp.remote.split(";", 1)[0]
                affiliates = [a for a in affiliates if a.split(";", 1)[0] != base]
                affiliates.append(comp.remote)
            else:
                unrecognized.add(comp.remote or "")
        return Context(self.allow_undefined, version, dtdl_context, tuple(affiliates),
                       frozenset(unrecognized))

    def _dtdl_version(self, comp: ContextComponent) -> int:
        remote = comp.remote or ""
        dtmi = parse_dtmi(remote)
        if dtmi is None:
            raise ContextError("invalidContextSpecifier",
                               f"{remote!r} is not a valid context specifier", comp.pointer)
        if dtmi.fragment:
            raise ContextError("disallowedContextFragment", f"the context specifier {remote!r} "
                               "has a fragment (limit contexts need DTDL v4)", comp.pointer)
        if dtmi.major == 0:
            raise ContextError("missingContextVersion", f"the context specifier {remote!r} has "
                               "no version", comp.pointer)
        if dtmi.major not in vocabulary().versions or dtmi.minor:
            raise ContextError("unrecognizedContextVersion", f"DTDL version {dtmi.major} of "
                               f"{remote!r} is not supported (2 and 3 are)", comp.pointer)
        return dtmi.major

    def _affiliate(self, comp: ContextComponent, version: int, allow_undefined: bool) -> bool:
        if comp.is_local:
            raise ContextError("localContextNotLast", "a local context must be the last entry "
                               "of @context", comp.pointer)
        remote = comp.remote or ""
        if remote.startswith(DTDL_CONTEXT_PREFIX):
            raise ContextError("dtdlContextFollowsAffiliate", f"the DTDL context {remote!r} must "
                               "come before every extension context", comp.pointer)
        if not remote.startswith("dtmi:"):
            raise ContextError("nonDtmiContextSpecifier", f"the context specifier {remote!r} is "
                               "not a DTMI", comp.pointer)
        dtmi = parse_dtmi(remote)
        if dtmi is None or dtmi.fragment:
            raise ContextError("invalidContextSpecifier",
                               f"{remote!r} is not a valid context specifier", comp.pointer)
        info = vocabulary().versions.get(version)
        if info is not None and not info.id_reference.match(remote):
            raise ContextError("invalidContextSpecifierForVersion", f"{remote!r} is not a valid "
                               f"context specifier in DTDL v{version}", comp.pointer)
        if dtmi.major == 0:
            raise ContextError("missingContextVersion", f"the context specifier {remote!r} has "
                               "no version", comp.pointer)
        if remote in vocabulary().contexts:
            return True
        if not allow_undefined:
            known = any(c.split(";", 1)[0] == dtmi.versionless for c in vocabulary().contexts)
            what = "version of the extension" if known else "extension context"
            raise ContextError("unresolvableContextSpecifier", f"{remote!r}: this {what} is "
                               "not known (allow undefined extensions to accept it)",
                               comp.pointer)
        return False
