"""The bundled SAMM 2.2.0 meta-model files: built-in characteristics, entities, units, shapes.

The files are vendored unchanged under ``schemas/samm/`` (MPL-2.0, from
eclipse-esmf/esmf-semantic-aspect-meta-model v2.2.0, byte-identical to the copies inside the
esmf-aspect-model-loader wheel). Nothing is fetched, and the esmf loader is never imported.

The unit catalog (1,700 units, 14,500 triples) takes rdflib more than a second to parse; its
regular, generated layout is read here with a small line parser in about 30 ms instead (a
unit test checks that both readings agree).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from omp_models.resources import schemas_root
from omp_models.samm._model import QuantityKind, Unit
from omp_models.samm._rdf import TurtleFile, read_turtle
from omp_models.samm._vocab import LATEST, UNIT

__all__ = [
    "BUILTIN_FILES",
    "SHAPES_FILES",
    "builtin_turtle",
    "quantity_kinds",
    "samm_file",
    "units",
]

#: Meta-model files whose individuals models use (``samm-c:Text``, ``samm-e:Point3d``...).
BUILTIN_FILES = (
    f"characteristic/{LATEST}/characteristic-instances.ttl",
    f"entity/{LATEST}/FileResource.ttl",
    f"entity/{LATEST}/Point3d.ttl",
    f"entity/{LATEST}/Quantity.ttl",
    f"entity/{LATEST}/TimeSeriesEntity.ttl",
)
#: The SHACL shapes and what they need (prefix declarations, class definitions).
SHAPES_FILES = (
    f"meta-model/{LATEST}/aspect-meta-model-shapes.ttl",
    f"characteristic/{LATEST}/characteristic-shapes.ttl",
    f"meta-model/{LATEST}/prefix-declarations.ttl",
)
#: Class definitions and type conversions the shapes expect in the data graph.
DEFINITION_FILES = (
    f"meta-model/{LATEST}/aspect-meta-model-definitions.ttl",
    f"characteristic/{LATEST}/characteristic-definitions.ttl",
    f"meta-model/{LATEST}/type-conversions.ttl",
)
UNITS_FILE = f"unit/{LATEST}/units.ttl"


def samm_file(relative: str) -> Path:
    """Path of a bundled meta-model file (``meta-model/2.2.0/...``).

    Raises:
        FileNotFoundError: When the installation lacks it.
    """
    path = schemas_root() / "samm" / relative
    if not path.is_file():
        raise FileNotFoundError(f"the bundled SAMM meta-model file {relative} is missing")
    return path


def builtin_turtle() -> list[TurtleFile]:
    """The parsed built-in characteristic and entity files."""
    return [read_turtle(samm_file(name)) for name in BUILTIN_FILES]


_BLOCK_HEAD = re.compile(r"^unit:(\S+) a samm:(Unit|QuantityKind) ;?$")
_ATTRIBUTE = re.compile(r"^\s+samm:(\w+)\s+(.*?)\s*[;.]?$")
_STRING = re.compile(r'^(?:"([^"]*)"|\'([^\']*)\')(?:@(\w+)|\^\^\S+)?$')


def _parse_units(text: str) -> tuple[dict[str, Unit], dict[str, QuantityKind]]:
    units_by_name: dict[str, Unit] = {}
    kinds: dict[str, QuantityKind] = {}
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line and not line.startswith(("#", "@"))]
        if not lines:
            continue
        head = _BLOCK_HEAD.match(lines[0])
        if head is None:
            continue
        name, cls = head.groups()
        attributes: dict[str, str] = {}
        for line in lines[1:]:
            match = _ATTRIBUTE.match(line)
            if match is not None:
                attributes[match.group(1)] = match.group(2)

        def text_of(key: str, attrs: dict[str, str] = attributes) -> str | None:
            raw = attrs.get(key)
            if raw is None:
                return None
            found = _STRING.match(raw)
            if found is None:
                return raw
            return found.group(1) if found.group(1) is not None else found.group(2)

        urn = f"{UNIT}{name}"
        label = text_of("preferredName")
        names = {"en": label} if label is not None else {}
        if cls == "QuantityKind":
            kinds[name] = QuantityKind(urn=urn, name=name, preferred_names=names)
            continue
        reference = attributes.get("referenceUnit")
        units_by_name[name] = Unit(
            urn=urn, name=name, preferred_names=names,
            symbol=text_of("symbol"), common_code=text_of("commonCode"),
            conversion_factor=text_of("conversionFactor"),
            numeric_conversion_factor=text_of("numericConversionFactor"),
            reference_unit=f"{UNIT}{reference[5:]}" if reference else None,
            quantity_kinds=[k.strip()[5:] for k in attributes.get("quantityKind", "").split(",")
                            if k.strip().startswith("unit:")],
        )
    return units_by_name, kinds


@cache
def _catalog() -> tuple[dict[str, Unit], dict[str, QuantityKind]]:
    return _parse_units(samm_file(UNITS_FILE).read_text(encoding="utf-8"))


def units() -> dict[str, Unit]:
    """The SAMM unit catalog by local name (``metre``)."""
    return _catalog()[0]


def quantity_kinds() -> dict[str, QuantityKind]:
    """The SAMM quantity kinds by local name (``length``)."""
    return _catalog()[1]
