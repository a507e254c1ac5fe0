"""The template registry: which template a submodel follows, found by its semanticId.

Templates come from three places, later ones winning for the same semanticId:

1. the templates bundled with omp-toolkit (``omp_models/templates/_bundled``);
2. the ``omp.templates`` entry-point group (plugins: a path to a file or folder, or a
   callable returning paths or :class:`Template` objects);
3. folders given by the user (``--templates DIR``).

Among templates of one place with the same semanticId, kind ``Template`` beats a published
example, then the higher version wins. A registry loads its bundled templates lazily: only
the one a submodel asks for is read.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omp_models.templates._semantic import loose_key, near_miss

if TYPE_CHECKING:  # imported where used: a registry is built on every validation run
    from omp_models.templates._build import LoadOptions
    from omp_models.templates._model import Template

__all__ = [
    "ENTRY_POINT_GROUP",
    "TEMPLATE_SUFFIXES",
    "BundledTemplate",
    "RegistryProblem",
    "TemplateMatch",
    "TemplateRegistry",
    "bundled_dir",
    "bundled_templates",
    "clear_registry_cache",
    "default_registry",
]

ENTRY_POINT_GROUP = "omp.templates"
#: Files a template folder is searched for (recursively).
TEMPLATE_SUFFIXES = (".json", ".xml", ".aasx")

_BUNDLED, _PLUGIN, _USER = 0, 10, 20


def entry_points(group: str) -> list[Any]:
    """The installed entry points of ``group`` (see :mod:`omp_models._plugins`)."""
    from omp_models._plugins import entry_points as installed

    return installed(group)


@dataclass(frozen=True, slots=True)
class BundledTemplate:
    """One entry of ``_bundled/bundled.json``: a template shipped with omp-toolkit."""

    file: str
    title: str
    slug: str
    id_short: str
    idta: str
    version: str
    semantic_id: str
    upstream: str
    sha256: str

    @property
    def path(self) -> Path:
        """The bundled file."""
        return bundled_dir() / self.file


@dataclass(frozen=True, slots=True)
class RegistryProblem:
    """A template source that could not be read (the rest of the registry still works)."""

    source: str
    message: str


@dataclass(frozen=True, slots=True)
class TemplateMatch:
    """The template a semanticId leads to.

    Attributes:
        template: The template.
        exact: The semanticId is the template's; ``False``: it nearly is.
        near: How the two differ, for a near match.
    """

    template: Template
    exact: bool = True
    near: str | None = None


def bundled_dir() -> Path:
    """The folder of the bundled templates (package data)."""
    return Path(__file__).resolve().parent / "_bundled"


@cache
def bundled_templates() -> tuple[BundledTemplate, ...]:
    """The bundled templates' catalogue (not the templates themselves)."""
    # JSON, not TOML: the catalogue is read on every validation run, and the TOML parser
    # costs more to import than the whole read.
    import json

    data = json.loads((bundled_dir() / "bundled.json").read_text(encoding="utf-8"))
    return tuple(BundledTemplate(**entry) for entry in data["templates"])


def _version_key(version: str | None) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version or ""))


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


@dataclass(eq=False)
class _Entry:
    semantic_id: str | None
    priority: int
    order: int
    loader: Callable[[], Template] | None = None
    template: Template | None = None
    names: tuple[str, ...] = ()
    version: str | None = None
    kind: str | None = "Template"
    source: str = ""

    def load(self) -> Template:
        if self.template is None:
            assert self.loader is not None
            self.template = self.loader()
        return self.template

    def rank(self) -> tuple[int, int, tuple[int, ...], int]:
        return (self.priority, self.kind == "Template", _version_key(self.version), -self.order)


@dataclass
class TemplateRegistry:
    """Templates by semanticId, with near-match and name lookup.

    Args:
        templates: Templates to start with (as user templates).
    """

    templates: Iterable[Template] = ()
    problems: list[RegistryProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._entries: list[_Entry] = []
        self._best: dict[str, _Entry] | None = None
        self._resolved: dict[str, Template] = {}
        for template in self.templates:
            self.add(template)

    # --- filling ---------------------------------------------------------------------------

    def _push(self, entry: _Entry) -> None:
        self._entries.append(entry)
        self._best = None
        self._resolved.clear()

    def add(self, template: Template, *, priority: int = _USER) -> None:
        """Add a template (``priority``: bundled 0, plugins 10, user 20)."""
        self._push(_Entry(template.semantic_id, priority, len(self._entries), None, template,
                          _names(template), template.version, template.kind, template.source))

    def add_bundled(self) -> None:
        """Add the bundled templates (read when first asked for)."""
        for item in bundled_templates():
            def loader(item: BundledTemplate = item) -> Template:
                return _load_bundled(item)
            self._push(_Entry(item.semantic_id, _BUNDLED, len(self._entries), loader, None,
                              (item.title, item.slug, item.id_short, item.idta,
                               f"IDTA {item.idta}"),
                              item.version, "Template", f"bundled:{item.file}"))

    def add_file(self, path: str | os.PathLike[str], *, options: LoadOptions | None = None,
                 priority: int = _USER) -> int:
        """Add every template of a file; problems are recorded, not raised.

        Returns:
            How many templates were added.
        """
        from omp_models.templates._load import load_template_file

        try:
            file = load_template_file(path, options)
        except OSError as exc:
            self.problems.append(RegistryProblem(str(path), f"cannot read: {exc.strerror}"))
            return 0
        for member, message in file.problems:
            where = f"{path}!{member}" if member else str(path)
            self.problems.append(RegistryProblem(where, message))
        for template in file.templates:
            self.add(template, priority=priority)
        return len(file.templates)

    def add_directory(self, path: str | os.PathLike[str], *,
                      options: LoadOptions | None = None, priority: int = _USER) -> int:
        """Add every template file below a folder (``.json``, ``.xml``, ``.aasx``).

        Returns:
            How many templates were added.
        """
        root = Path(path)
        if root.is_file():
            return self.add_file(root, options=options, priority=priority)
        if not root.is_dir():
            self.problems.append(RegistryProblem(str(path), "no such folder"))
            return 0
        files = sorted(p for p in root.rglob("*") if p.suffix.lower() in TEMPLATE_SUFFIXES
                       and p.is_file())
        return sum(self.add_file(p, options=options, priority=priority) for p in files)

    def add_entry_points(self, *, options: LoadOptions | None = None) -> None:
        """Add the templates of the ``omp.templates`` entry points (broken ones warn)."""
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                provided = ep.load()
                items = provided() if callable(provided) else provided
                if isinstance(items, str | os.PathLike):
                    items = [items]
                from omp_models.templates._model import Template

                for item in items:
                    if isinstance(item, Template):
                        self.add(item, priority=_PLUGIN)
                    else:
                        self.add_directory(item, options=options, priority=_PLUGIN)
            except Exception as exc:  # a broken plugin must not stop validation
                message = f"entry point {ep.name!r} failed: {type(exc).__name__}: {exc}"
                self.problems.append(RegistryProblem(f"entry point {ep.name}", message))
                warnings.warn(f"omp: template plugin {message}", stacklevel=2)

    # --- lookup ----------------------------------------------------------------------------

    def _index(self) -> dict[str, _Entry]:
        if self._best is None:
            best: dict[str, _Entry] = {}
            for entry in self._entries:
                if entry.semantic_id is None:
                    continue
                current = best.get(entry.semantic_id)
                if current is None or entry.rank() > current.rank():
                    best[entry.semantic_id] = entry
            self._best = best
            self._loose: dict[str, list[_Entry]] = {}
            for sid, entry in sorted(best.items()):
                self._loose.setdefault(loose_key(sid), []).append(entry)
        return self._best

    def get(self, semantic_id: str) -> Template | None:
        """The template with exactly this semanticId, or ``None``."""
        entry = self._index().get(semantic_id)
        return entry.load() if entry is not None else None

    def match(self, semantic_id: str) -> TemplateMatch | None:
        """The template for a submodel's semanticId: exact, else a near match."""
        index = self._index()
        entry = index.get(semantic_id)
        if entry is not None:
            return TemplateMatch(entry.load())
        near = self._loose.get(loose_key(semantic_id))
        if not near:
            return None
        chosen = max(near, key=lambda e: e.rank())
        assert chosen.semantic_id is not None
        return TemplateMatch(chosen.load(), False, near_miss(semantic_id, chosen.semantic_id))

    def resolve(self, query: str) -> Template | None:
        """A template by semanticId, id, name, IDTA number or file name.

        ``name@version`` picks a version (``nameplate@3.0``). Names compare without case,
        spaces and punctuation (``Digital Nameplate``, ``digital-nameplate``,
        ``Nameplate``, ``02006``, ``IDTA 02006``).
        """
        key = query.strip()
        found = self._resolved.get(key)  # ``omp validate --template`` asks per payload
        if found is None:
            found = self._resolve(key)
            if found is not None:  # a miss may hit later, once more templates are loaded
                self._resolved[key] = found
        return found

    def _resolve(self, query: str) -> Template | None:
        found = self.match(query)
        if found is not None:
            return found.template
        name, _, version = query.strip().partition("@")
        wanted = _normal(name)
        hits = [e for e in self._entries
                if wanted and (wanted in {_normal(n) for n in e.names}
                               or wanted == _normal(e.semantic_id or ""))]
        for entry in self._entries:
            if entry.template is not None and entry.template.id == query.strip():
                hits.append(entry)
        if version:
            hits = [e for e in hits if (e.version or "").startswith(version)]
        if not hits:
            return None
        return max(hits, key=lambda e: e.rank()).load()

    def __iter__(self) -> Iterator[Template]:
        """The effective templates (one per semanticId), sorted by name and version."""
        chosen = {id(e) for e in self._index().values()}
        entries = [e for e in self._entries if id(e) in chosen or e.semantic_id is None]
        templates = [e.load() for e in entries]
        return iter(sorted(templates, key=lambda t: (t.name.casefold(),
                                                      _version_key(t.version))))

    def __len__(self) -> int:
        index = self._index()
        return len(index) + sum(1 for e in self._entries if e.semantic_id is None)

    def shadowed(self) -> list[tuple[Template, Template]]:
        """``(hidden, by)`` for every template hidden by another with the same semanticId."""
        index = self._index()
        out = []
        for entry in self._entries:
            if entry.semantic_id is None:
                continue
            best = index[entry.semantic_id]
            if best is not entry:
                out.append((entry.load(), best.load()))
        return out


def _names(template: Template) -> tuple[str, ...]:
    names = [template.id_short or "", template.title or ""]
    if template.idta:
        names += [template.idta, f"IDTA {template.idta}"]
    if template.source:
        names.append(Path(template.source).stem)
    return tuple(n for n in names if n)


@cache
def _load_bundled_cached(file: str) -> Template:
    from omp_models.templates._load import load_templates

    templates = load_templates(bundled_dir() / file)
    return templates[0]


def _load_bundled(item: BundledTemplate) -> Template:
    from dataclasses import replace

    template = _load_bundled_cached(item.file)
    return replace(template, title=item.title, version=item.version, idta=item.idta,
                   source=f"bundled:{item.file}")


@cache
def _default(template_dirs: tuple[str, ...], plugins: bool) -> TemplateRegistry:
    registry = TemplateRegistry()
    registry.add_bundled()
    if plugins:
        registry.add_entry_points()
    for folder in template_dirs:
        registry.add_directory(folder)
    return registry


def default_registry(template_dirs: Sequence[str] = (), *, plugins: bool = True
                     ) -> TemplateRegistry:
    """The registry a validation run uses: bundled, plugin and user templates.

    It is built once per process and set of folders (see :func:`clear_registry_cache`).

    Args:
        template_dirs: Folders (or files) with more templates; they win over bundled ones.
        plugins: Include the ``omp.templates`` entry points.
    """
    return _default(tuple(str(d) for d in template_dirs), plugins)


def clear_registry_cache() -> None:
    """Forget the registries built so far (after template files changed)."""
    _default.cache_clear()
