"""Generate ``omp_validators/_generated/fast_constants.py`` from aas-core3.0 and aas-core3.1.

The fast metamodel path (:mod:`omp_validators.checks._fast`) needs aas-core's constant
sets (key types, categories, IEC 61360 data types) and which concrete classes each
``AasSubmodelElements`` literal stands for, as plain strings. Reading them from aas-core at
run time would import its type module in every process; this script writes them once.
``tests/unit/test_fast_schema.py`` fails when the file no longer matches aas-core.

Run: ``python scripts/generate_fast_constants.py`` (``--check`` exits 1 if it is stale).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "omp_validators" / "_generated" / "fast_constants.py"

#: The constant sets of ``aas_core3*.constants`` that the fast path uses.
NAMES = (
    "VALID_CATEGORIES_FOR_DATA_ELEMENT",
    "GLOBALLY_IDENTIFIABLES",
    "GENERIC_GLOBALLY_IDENTIFIABLES",
    "AAS_IDENTIFIABLES",
    "GENERIC_FRAGMENT_KEYS",
    "FRAGMENT_KEYS",
    "AAS_REFERABLES",
    "IEC_61360_DATA_TYPES_WITH_UNIT",
    "DATA_TYPE_IEC_61360_FOR_PROPERTY_OR_VALUE",
    "DATA_TYPE_IEC_61360_FOR_REFERENCE",
    "DATA_TYPE_IEC_61360_FOR_DOCUMENT",
)

#: Concrete submodel element classes (the ``modelType`` values).
CONCRETE_ELEMENTS = (
    "AnnotatedRelationshipElement", "BasicEventElement", "Blob", "Capability", "Entity",
    "File", "MultiLanguageProperty", "Operation", "Property", "Range", "ReferenceElement",
    "RelationshipElement", "SubmodelElementCollection", "SubmodelElementList",
)


def collect(package: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The constant sets and the element-type map of one aas-core package, as strings."""
    constants = importlib.import_module(f"{package}.constants")
    types = importlib.import_module(f"{package}.types")
    sets = {
        name: sorted(str(getattr(v, "value", v)) for v in getattr(constants, name))
        for name in NAMES
        if hasattr(constants, name)
    }
    elements = {
        literal.value: sorted(
            c for c in CONCRETE_ELEMENTS
            if issubclass(getattr(types, c), getattr(types, literal.value))
        )
        for literal in types.AASSubmodelElements
    }
    return sets, elements


def render() -> str:
    """The text of the generated module."""
    lines = [
        '"""aas-core constant sets for the fast metamodel path. GENERATED: do not edit.',
        "",
        "Regenerate with ``python scripts/generate_fast_constants.py``.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "#: Per metamodel version: constant name -> its members (strings).",
        "CONSTANTS: dict[str, dict[str, frozenset[str]]] = {",
    ]
    maps = []
    for version, package in (("3.0", "aas_core3"), ("3.1", "aas_core3_1")):
        sets, elements = collect(package)
        lines.append(f"    {version!r}: {{")
        for name, members in sets.items():
            lines.append(f"        {name!r}: frozenset({members!r}),")
        lines.append("    },")
        maps.append((version, elements))
    lines.append("}")
    lines.append("")
    lines.append("#: Per metamodel version: AasSubmodelElements literal -> concrete classes.")
    lines.append("ELEMENT_TYPES: dict[str, dict[str, frozenset[str]]] = {")
    for version, elements in maps:
        lines.append(f"    {version!r}: {{")
        for literal, classes in elements.items():
            lines.append(f"        {literal!r}: frozenset({classes!r}),")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Write the module, or with ``--check`` report whether it is up to date."""
    text = render()
    if "--check" in argv:
        if not OUT.is_file() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is stale: run python scripts/generate_fast_constants.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
