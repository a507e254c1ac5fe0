"""Per-file loops timed as whole processes by ``validate_bench.py``.

Usage: ``python _loops.py MODE FILELIST``, where FILELIST holds one path per line.

Modes:
    ``orjson``     read the bytes and ``orjson.loads`` them (the parse floor);
    ``aascore30``  read, ``orjson.loads``, aas-core3.0 ``environment_from_jsonable`` and
                   ``list(verify(env))`` (the metamodel engine alone, no toolkit code);
    ``ate``        ``aas_test_engines.file.check_json_file`` on each file, ``ok()`` checked
                   (run with the interpreter of the venv that has aas-test-engines).

Each mode imports only what it needs, so that the process cost is that of the loop and
its own imports. The last line on stdout is a JSON summary: ``{"mode", "files", "ok"}``,
where ``ok`` counts the files the tool found valid.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path


def _orjson(paths: list[str]) -> int:
    import orjson

    for path in paths:
        orjson.loads(Path(path).read_bytes())
    return len(paths)


def _aascore30(paths: list[str]) -> int:
    import orjson
    from aas_core3 import jsonization, verification

    ok = 0
    for path in paths:
        jsonable = orjson.loads(Path(path).read_bytes())
        env = jsonization.environment_from_jsonable(jsonable)
        if not list(verification.verify(env)):
            ok += 1
    return ok


def _ate(paths: list[str]) -> int:
    # Not a dependency of the project: imported by name, from the benchmark's own venv.
    ate_file = importlib.import_module("aas_test_engines.file")

    ok = 0
    for path in paths:
        with Path(path).open(encoding="utf-8") as handle:
            result = ate_file.check_json_file(handle)
        if result.ok():
            ok += 1
    return ok


MODES: dict[str, Callable[[list[str]], int]] = {
    "orjson": _orjson,
    "aascore30": _aascore30,
    "ate": _ate,
}


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in MODES:
        print(f"usage: {argv[0]} {{{','.join(MODES)}}} FILELIST", file=sys.stderr)
        return 2
    mode, listfile = argv[1], argv[2]
    paths = [line for line in Path(listfile).read_text(encoding="utf-8").splitlines() if line]
    ok = MODES[mode](paths)
    print(json.dumps({"mode": mode, "files": len(paths), "ok": ok}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
