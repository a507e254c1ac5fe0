"""Generate ``omp_validators/_generated/constraints.py`` from aas-core's verification code.

aas-core3.0 and aas-core3.1 are generated from the AAS specification; their verification
messages quote each constraint (``Constraint AASd-119: ...``). This script collects the
text of every constraint from both versions (3.1 wording wins where both have one) so that
``omp rules`` and the rule pages can explain them.

Run: ``python scripts/generate_constraints.py`` (``--check`` exits 1 if the file is stale).
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "omp_validators" / "_generated" / "constraints.py"
_ID = re.compile(r"^Constraint (AAS[a-z]-[0-9a-z]+(?:-\d+)?): (.*)$", re.DOTALL)


def _concat(node: ast.expr) -> str | None:
    """The value of a string literal or a ``+`` chain of string literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _concat(node.left), _concat(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _messages(module: str) -> dict[str, str]:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Error"):
            continue
        if not node.args:
            continue
        text = _concat(node.args[0])
        if text is None:
            continue
        match = _ID.match(text)
        if match:
            found.setdefault(match.group(1), " ".join(match.group(2).split()))
    return found


def render() -> str:
    """The text of the generated module."""
    merged = _messages("aas_core3.verification")
    merged.update(_messages("aas_core3_1.verification"))
    lines = [
        '"""Constraint texts from aas-core3.0/3.1 verification. GENERATED: do not edit.',
        "",
        "Regenerate with ``python scripts/generate_constraints.py``.",
        '"""',
        "",
        "CONSTRAINTS: dict[str, str] = {",
    ]
    for rid in sorted(merged):
        lines.append(f"    {rid!r}: {merged[rid]!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Write the module, or with ``--check`` report whether it is stale."""
    text = render()
    if "--check" in sys.argv:
        return 0 if OUT.read_text(encoding="utf-8") == text else 1
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
