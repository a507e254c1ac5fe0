"""Semantic ids: read them from references, and tell a near miss from a different concept.

Instances often carry a semanticId that is *almost* the template's: another IRDI version
(``0112/2///61987#ABA951#008`` for ``...#009``), a trailing ``/``, the older
``admin-shell.io/zvei/`` spelling of an ``admin-shell.io/idta/`` IRI, ``http`` for
``https``, another letter case, or the ECLASS IRI form of an IRDI. :func:`near_miss` says
which, so that a finding can name the expected id instead of calling it unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "bundled_lookup_keys",
    "is_arbitrary",
    "loose_key",
    "may_follow_bundled",
    "near_miss",
    "reference_from_id",
    "semantic_id_of",
]

# Compiled when first needed (``_patterns``): a validation run calls loose_key for the
# semanticId of every submodel, and most ids are neither ECLASS IRIs nor IRDIs.
_IRDI_VERSION = r"#\d{1,3}(?=/|$)"
_ECLASS_IRI = (
    r"^https?://api\.eclass-cdp\.com/(\d{4})-(\d)-(\d{2})-([A-Z]{2,3}\d{3})-(\d{3})/?$"
)
_ARBITRARY = r"admin-shell\.io/SMT/General/Arbitrary"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The IRDI version, ECLASS IRI and Arbitrary-placeholder patterns."""
    return (re.compile(_IRDI_VERSION), re.compile(_ECLASS_IRI, re.IGNORECASE),
            re.compile(_ARBITRARY, re.IGNORECASE))


def _irdi_versions(text: str) -> list[str]:
    return _patterns()[0].findall(text) if "#" in text else []


def _without_irdi_versions(text: str) -> str:
    return _patterns()[0].sub("", text) if "#" in text else text


def semantic_id_of(reference: object) -> str | None:
    """The id a ``semanticId`` reference (JSON form) names: its key value(s).

    A reference with one key gives that key's value; several keys (a model reference
    into a concept description, rarely) are joined with ``|``. Anything malformed gives
    ``None``.
    """
    if not isinstance(reference, dict) and not isinstance(reference, Mapping):
        return None
    keys = reference.get("keys")
    if not isinstance(keys, list) or not keys:
        return None
    if len(keys) == 1 and isinstance(keys[0], dict):
        value = keys[0].get("value")
        return value if isinstance(value, str) else None
    values = [k.get("value") for k in keys if isinstance(k, Mapping)]
    if not values or not all(isinstance(v, str) for v in values):
        return None
    return "|".join(str(v) for v in values)


def _eclass_irdi(text: str) -> str:
    if "eclass-cdp" not in text.casefold():
        return text
    match = _patterns()[1].match(text)
    if match is None:
        return text
    return f"{match.group(1)}-{match.group(2)}#{match.group(3)}-{match.group(4)}#{match.group(5)}"


def loose_key(semantic_id: str) -> str:
    """The semantic id with every near-miss difference taken out (for lookups).

    Two ids with the same loose key differ only in ways :func:`near_miss` names.
    """
    text = _eclass_irdi(semantic_id.strip())
    text = text.casefold()
    if text.startswith("http://"):
        text = "https://" + text[len("http://"):]
    text = text.replace("/zvei/", "/idta/")
    return _without_irdi_versions(text).rstrip("/")


@cache
def bundled_lookup_keys() -> frozenset[str]:
    """The semanticIds of the bundled templates and their loose keys (from the catalogue).

    What the template registry looks up for a submodel when it holds only the bundled
    templates: a semanticId that is neither one of these ids nor has one of these loose
    keys follows no bundled template, exactly or nearly.
    """
    import json

    catalogue = Path(__file__).resolve().parent / "_bundled" / "bundled.json"
    data = json.loads(catalogue.read_text(encoding="utf-8"))
    ids = [t["semantic_id"] for t in data["templates"] if t.get("semantic_id")]
    return frozenset(ids) | frozenset(loose_key(i) for i in ids)


def may_follow_bundled(semantic_id: str) -> bool:
    """Whether a bundled template has this semanticId, exactly or nearly (cheap).

    Lets a validation run skip loading the template registry for submodels that follow
    no bundled template (``tests/unit/test_templates_registry.py`` compares it with the
    registry's own lookup).
    """
    keys = bundled_lookup_keys()
    return semantic_id in keys or loose_key(semantic_id) in keys


def near_miss(actual: str, expected: str) -> str | None:
    """Why ``actual`` nearly equals ``expected``, or ``None`` (equal, or truly different).

    Example:
        >>> near_miss("0112/2///61987#ABA951#008", "0112/2///61987#ABA951#009")
        'another IRDI version (#008 instead of #009)'
        >>> near_miss("https://example.com/a", "https://example.com/b") is None
        True
    """
    if actual == expected or loose_key(actual) != loose_key(expected):
        return None
    reasons: list[str] = []
    a, e = actual.strip(), expected.strip()
    if a != actual or e != expected:
        reasons.append("surrounding whitespace")
    if _eclass_irdi(a) != a or _eclass_irdi(e) != e:
        reasons.append("the ECLASS IRI form of the IRDI")
        a, e = _eclass_irdi(a), _eclass_irdi(e)
    versions_a, versions_e = _irdi_versions(a), _irdi_versions(e)
    if versions_a != versions_e:
        shown = ", ".join(f"{x} instead of {y}" for x, y in zip(versions_a, versions_e,
                                                                strict=False) if x != y)
        reasons.append(f"another IRDI version ({shown})" if shown else "another IRDI version")
        a, e = _without_irdi_versions(a), _without_irdi_versions(e)
    if a.rstrip("/") != a or e.rstrip("/") != e:
        if (a.endswith("/")) != (e.endswith("/")):
            reasons.append("a trailing '/'")
        a, e = a.rstrip("/"), e.rstrip("/")
    if ("/zvei/" in a.casefold()) != ("/zvei/" in e.casefold()):
        reasons.append("'zvei' instead of 'idta'" if "/zvei/" in a.casefold()
                       else "'idta' instead of 'zvei'")
        a, e = a.replace("/zvei/", "/idta/"), e.replace("/zvei/", "/idta/")
    if a.casefold().startswith("http://") != e.casefold().startswith("http://"):
        reasons.append("'http' instead of 'https'" if a.casefold().startswith("http://")
                       else "'https' instead of 'http'")
        a, e = re.sub(r"^http://", "https://", a, flags=re.I), re.sub(
            r"^http://", "https://", e, flags=re.I)
    if a != e and a.casefold() == e.casefold():
        reasons.append("letter case")
    return " and ".join(reasons) if reasons else "spelling"


def is_arbitrary(semantic_id: str | None, id_short: str | None) -> bool:
    """Whether a template element is a placeholder for arbitrary elements.

    The SMT convention: semanticId ``https://admin-shell.io/SMT/General/Arbitrary...``
    (``ArbitraryProperty``, ``ArbitrarySMC``, ...), whose instances may carry any idShort
    and semanticId.
    """
    if semantic_id is not None:
        return _patterns()[2].search(semantic_id) is not None
    return bool(id_short) and str(id_short).startswith("Arbitrary")


def reference_from_id(semantic_id: str) -> dict[str, Any]:
    """An ExternalReference (JSON form) with one GlobalReference key."""
    return {"type": "ExternalReference",
            "keys": [{"type": "GlobalReference", "value": semantic_id}]}
