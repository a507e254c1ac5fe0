"""CAEX class libraries: an index of the classes, with ``RefBaseClassPath`` resolved.

Role, interface, system-unit and attribute-type classes are indexed by path, and their
inheritance is resolved (pyautomationml and most tools do not).

Paths are resolved the way CAEX tools do: a full path (``Lib/Class/SubClass``), an alias
path into an external library (``Alias@Lib/Class``, the file named by the document's
``ExternalReference``), or a path relative to the library of the referring class. External
libraries are loaded from the folder of the input and the search paths; a missing one is a
``DEPENDENCY_MISSING`` entry and its classes stay unresolved (their path is still used as the
semanticId).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.automationml._caex import kids, local, parse_caex
from omp_models.formats.automationml._json import Context

__all__ = ["LIBRARIES", "ClassDef", "ClassIndex", "class_semantic_id"]

#: Library element -> class element.
LIBRARIES = {"RoleClassLib": "RoleClass", "InterfaceClassLib": "InterfaceClass",
             "SystemUnitClassLib": "SystemUnitClass", "AttributeTypeLib": "AttributeType"}
_PREFIX = "urn:automationml:caex"
_MAX_EXTERNAL = 32


def class_semantic_id(kind: str, path: str) -> str:
    """The semanticId of a CAEX class: ``urn:automationml:caex:<kind>:<path>``."""
    return f"{_PREFIX}:{kind}:{quote(path, safe=_SAFE)}"


_SAFE = "/:@!$&'()*+,;=-._~"


@dataclass
class ClassDef:
    """One class of a library."""

    kind: str
    path: str
    lib: str
    el: etree._Element

    @property
    def name(self) -> str:
        """The class name (last path segment)."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def semantic_id(self) -> str:
        """Its semanticId."""
        return class_semantic_id(self.kind, self.path)


@dataclass
class ClassIndex:
    """The classes of one document and of the external libraries it names."""

    classes: dict[str, ClassDef] = field(default_factory=dict)
    aliases: dict[str, ClassIndex | None] = field(default_factory=dict)

    @classmethod
    def build(cls, root: etree._Element, ctx: Context, folder: Path | None,
              _seen: set[Path] | None = None) -> ClassIndex:
        """Index a document's libraries and load the external libraries it references."""
        index = cls()
        for lib in kids(root):
            class_tag = LIBRARIES.get(local(lib))
            if class_tag is not None:
                name = lib.get("Name") or ""
                index._add(lib, class_tag, name, name)
        seen = _seen if _seen is not None else set()
        for ref in kids(root, "ExternalReference"):
            alias, path = ref.get("Alias") or "", ref.get("Path") or ""
            found = _find(path, folder, ctx)
            if found is None or found in seen or len(seen) >= _MAX_EXTERNAL:
                index.aliases[alias] = None
                if found is None:
                    ctx.issue(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY,
                              f"the library {path!r} (alias {alias!r}) is not found; classes "
                              "from it are named by their path but not resolved", ref)
                continue
            seen.add(found)
            ext_root, error = parse_caex(found.read_bytes())
            if ext_root is None:
                index.aliases[alias] = None
                ctx.issue(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY,
                          f"the library {path!r} cannot be read: "
                          f"{error.message if error else '?'}", ref)
                continue
            index.aliases[alias] = cls.build(ext_root, ctx, found.parent, seen)
        return index

    def _add(self, parent: etree._Element, class_tag: str, lib: str, prefix: str) -> None:
        kind = class_tag
        for item in kids(parent, class_tag):
            path = f"{prefix}/{item.get('Name') or ''}"
            self.classes.setdefault(path, ClassDef(kind, path, lib, item))
            self._add(item, class_tag, lib, path)

    def of_library(self, lib: etree._Element) -> list[ClassDef]:
        """The classes defined in one library element, in document order."""
        return [c for c in self.classes.values()
                if any(a is lib for a in c.el.iterancestors())]

    def resolve(self, ref: str | None, lib: str | None = None) -> ClassDef | None:
        """The class a path names (``None``: unresolved)."""
        if not ref:
            return None
        if "@" in ref:
            alias, _, rest = ref.partition("@")
            if alias in self.aliases:
                target = self.aliases[alias]
                return target.resolve(rest) if target is not None else None
        found = self.classes.get(ref)
        if found is None and lib:
            found = self.classes.get(f"{lib}/{ref}")
        if found is None and lib:
            tail = [c for c in self.classes.values()
                    if c.lib == lib and c.path.endswith("/" + ref)]
            found = tail[0] if len(tail) == 1 else None
        if found is None:
            for target in self.aliases.values():
                if target is not None and (found := target.classes.get(ref)) is not None:
                    break
        return found

    def semantic_id(self, kind: str, ref: str, lib: str | None = None) -> str:
        """The semanticId of a class reference, resolved or not."""
        found = self.resolve(ref, lib)
        if found is not None:
            return found.semantic_id
        return class_semantic_id(kind, ref.partition("@")[2] if "@" in ref else ref)

    def chain(self, start: ClassDef) -> list[ClassDef]:
        """``start`` and its base classes (nearest first); stops at cycles and gaps."""
        out = [start]
        seen = {id(start.el)}
        current = start
        while True:
            base = self.resolve(current.el.get("RefBaseClassPath"), current.lib)
            if base is None or id(base.el) in seen:
                return out
            seen.add(id(base.el))
            out.append(base)
            current = base

    def inherited(self, start: ClassDef, tag: str) -> list[tuple[etree._Element, bool]]:
        """A class's children called ``tag``, merged with those of its bases by Name.

        ``tag`` is ``Attribute``, ``ExternalInterface`` or ``InternalElement``; the result
        is (element, inherited?) pairs, bases first.
        """
        merged: dict[str, tuple[etree._Element, bool]] = {}
        chain = self.chain(start)
        for depth, cls in enumerate(reversed(chain)):
            own = depth == len(chain) - 1
            for child in kids(cls.el, tag):
                merged[child.get("Name") or f"#{len(merged)}"] = (child, not own)
        return list(merged.values())


def _find(path: str, folder: Path | None, ctx: Context) -> Path | None:
    """A relative ``.aml`` path in the input's folder or a search path (no URLs)."""
    if not path or "://" in path or Path(path).is_absolute() or not path.lower().endswith(
            ".aml"):
        return None
    candidates = [folder] if folder is not None else []
    candidates += [Path(p) for p in ctx.options.search_paths]
    for base in candidates:
        target = (base / path)
        try:
            if target.is_file():
                return target.resolve()
        except OSError:
            continue
    return None
