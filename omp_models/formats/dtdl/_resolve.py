"""Find DTDL documents that define a DTMI, in folders (``--search-path``, the input's folder).

The folders are indexed on first use: every ``*.json`` file (bounded in number and size)
that declares a DTDL context is read once and its top-level DTMIs are recorded. Files
following the DTMI-to-path convention of the public model repositories
(``dtmi/com/example/thermostat-1.json``) are found the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath

from omp_models.formats.dtdl._jsonld import JsonError, JsonObject, load_json

__all__ = ["FolderResolver"]

MAX_FILES = 5000
MAX_FILE_BYTES = 16 * 1024 * 1024


def _top_ids(value: object) -> list[str]:
    items: Iterable[object]
    if isinstance(value, JsonObject):
        models = value.get("digitalTwinsModels")
        items = models if isinstance(models, list) else [value]
    elif isinstance(value, list):
        items = value
    else:
        return []
    out = []
    for item in items:
        if isinstance(item, JsonObject):
            found = item.get("@id")
            if isinstance(found, str):
                out.append(found)
    return out


class FolderResolver:
    """Resolves DTMIs to the documents of some folders.

    Args:
        folders: Where to look (recursively).
        exclude: Files never to return (the inputs themselves).
    """

    def __init__(self, folders: Sequence[PurePath], exclude: Iterable[PurePath] = ()) -> None:
        self.folders = [Path(f) for f in folders]
        self.exclude = {Path(p).resolve() for p in exclude}
        self._index: dict[str, Path] | None = None
        self._given: set[Path] = set()

    def _build(self) -> dict[str, Path]:
        index: dict[str, Path] = {}
        count = 0
        for folder in self.folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*.json")):
                count += 1
                if count > MAX_FILES:
                    return index
                try:
                    resolved = path.resolve()
                    if resolved in self.exclude or path.stat().st_size > MAX_FILE_BYTES:
                        continue
                    data = path.read_bytes()
                except OSError:
                    continue
                if b"dtmi:dtdl:context" not in data:
                    continue
                try:
                    value = load_json(data)
                except JsonError:
                    continue
                for dtmi in _top_ids(value):
                    index.setdefault(dtmi, resolved)
        return index

    def __call__(self, dtmi: str) -> list[tuple[str, bytes]] | None:
        """The document defining ``dtmi`` (once per file), or ``None``."""
        if self._index is None:
            self._index = self._build()
        path = self._index.get(dtmi)
        if path is None or path in self._given:
            return None
        self._given.add(path)
        try:
            return [(str(path), path.read_bytes())]
        except OSError:
            return None
