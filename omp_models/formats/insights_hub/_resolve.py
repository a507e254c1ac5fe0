"""Where referenced types come from, and the parent chain of an asset type.

An asset type names its parent (``parentTypeId``) and the aspect types of its aspects. They
are looked up in the document itself, then in the JSON files of the search paths (by
default the folders of the inputs: exports usually keep one type per file), then among the
platform's basic types. A cycle of parents is an error; a parent or aspect type found
nowhere is ``DEPENDENCY_MISSING``.
"""

from __future__ import annotations

from pathlib import Path, PurePath

import orjson

from omp_models.formats._report import Code, IssueSeverity
from omp_models.formats.insights_hub._common import Issues
from omp_models.formats.insights_hub._ir import AspectType, AssetType, Bundle, Variable

__all__ = ["CORE_TYPES", "Library"]

#: The platform's root type (Asset Management documentation, "Basic Asset Types"): every
#: asset type inherits its one variable.
CORE_TYPES: dict[str, AssetType] = {
    "core.basicasset": AssetType(
        id="core.basicasset", name="BasicAsset", instantiable=False, scope="public",
        description="Base type for the Asset Management Service.",
        variables=[Variable(name="externalId", data_type="STRING", searchable=True,
                            length=255)]),
}
_MAX_FILE = 8 << 20
_MAX_FILES = 2000


class Library:
    """Aspect types and asset types available to one conversion."""

    def __init__(self, bundle: Bundle, search_paths: tuple[PurePath, ...],
                 source: PurePath | None) -> None:
        self.aspects: dict[str, AspectType] = {}
        self.assets: dict[str, AssetType] = {}
        for aspect in bundle.aspect_types:
            self.aspects.setdefault(aspect.id, aspect)
        for asset in bundle.asset_types:
            self.assets.setdefault(asset.id, asset)
            for ref in asset.aspects:
                if ref.embedded is not None:
                    self.aspects.setdefault(ref.embedded.id, ref.embedded)
        self._paths = search_paths
        self._source = source
        self._loaded = False
        #: Ids found outside the document, with the file they came from.
        self.external: dict[str, str] = {}

    def _load(self) -> None:
        """Read the types of the JSON files in the search paths (once, quietly)."""
        from omp_models.formats.insights_hub._parse import parse_bundle

        self._loaded = True
        source = Path(self._source).resolve() if self._source is not None else None
        count = 0
        for folder in self._paths:
            directory = Path(folder)
            if not directory.is_dir():
                continue
            for path in sorted(directory.glob("*.json")):
                count += 1
                if count > _MAX_FILES:
                    return
                try:
                    if path.resolve() == source or path.stat().st_size > _MAX_FILE:
                        continue
                    value = orjson.loads(path.read_bytes())
                except (OSError, orjson.JSONDecodeError):
                    continue
                found = parse_bundle(value, Issues(), None)
                for aspect in found.aspect_types:
                    if aspect.id and aspect.id not in self.aspects:
                        self.aspects[aspect.id] = aspect
                        self.external[aspect.id] = str(path)
                for asset in found.asset_types:
                    if asset.id and asset.id not in self.assets:
                        self.assets[asset.id] = asset
                        self.external[asset.id] = str(path)

    def aspect(self, type_id: str) -> AspectType | None:
        """The aspect type ``type_id``, wherever it is defined."""
        if type_id not in self.aspects and not self._loaded:
            self._load()
        return self.aspects.get(type_id)

    def asset(self, type_id: str) -> AssetType | None:
        """The asset type ``type_id`` (the platform's basic types included)."""
        if type_id not in self.assets and not self._loaded:
            self._load()
        return self.assets.get(type_id) or CORE_TYPES.get(type_id)

    def ancestors(self, asset: AssetType, issues: Issues, cycles: set[frozenset[str]]
                  ) -> list[AssetType] | None:
        """The parent chain, nearest first; ``None`` when it is cyclic.

        A cycle is reported once (``cycles`` remembers the reported ones).
        """
        chain: list[AssetType] = []
        seen = [asset.id]
        current = asset.parent_type_id
        while current:
            if current in seen:
                loop = seen[seen.index(current):]
                key = frozenset(loop)
                if key not in cycles:
                    cycles.add(key)
                    issues.error(asset.pointer + "/parentTypeId",
                                 "cyclic parent types: " + " -> ".join([*loop, current]))
                return None
            parent = self.asset(current)
            if parent is None:
                issues.add(Code.DEPENDENCY_MISSING, IssueSeverity.LOSSY,
                           f"the parent type {current!r} is not in this document, the search "
                           "paths or the platform's basic types; its variables and aspects "
                           "are not inherited", pointer=asset.pointer + "/parentTypeId",
                           original=current)
                break
            chain.append(parent)
            seen.append(current)
            current = parent.parent_type_id
        return chain
