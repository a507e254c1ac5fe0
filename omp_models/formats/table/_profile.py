"""Column profiles: which column of a table plays which role.

A profile maps column names to roles. Two are built in: ``aas`` (the projection of any
submodel: one row per element, addressed by its idShortPath) and ``technical-data`` (a
flat datasheet for the IDTA Technical Data template: group, idShort, preferredName, value,
valueType, unit, unitCode, semanticId). Custom profiles are YAML or JSON files given with
``--option profile=FILE``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from omp_models.formats._aasjson import LANG_TAG
from omp_models.formats.table._grid import TableError

__all__ = ["BUILTIN", "PROFILE_SCHEMA", "ROLES", "Profile", "detect", "load_profile", "role_of"]

#: Every single-column role; language roles are ``value@<lang>``, ``description@<lang>``
#: and ``displayName@<lang>``.
ROLES: tuple[str, ...] = (
    "idShortPath", "idShort", "group", "modelType", "value", "valueType", "unit", "unitCode",
    "semanticId", "description", "preferredName", "ignore",
)
_LANG_ROLE = re.compile(r"^(value|description|displayName)@(.+)$")


def role_of(role: str) -> tuple[str, str | None] | None:
    """Split a role into its base and language (``value@de`` -> ``("value", "de")``).

    ``description`` is ``description@en``, ``preferredName`` is ``displayName@en``.
    Returns ``None`` for an unknown role.
    """
    if role == "description":
        return "description", "en"
    if role == "preferredName":
        return "displayName", "en"
    if role in ROLES:
        return role, None
    match = _LANG_ROLE.match(role)
    if match and LANG_TAG.match(match.group(2)):
        return match.group(1), match.group(2)
    return None


@dataclass(frozen=True)
class Profile:
    """A column profile.

    Attributes:
        name: Its name (recorded in the report).
        columns: Column name -> role, in the order columns are written.
        language_columns: Whether ``value@<lang>``, ``description@<lang>`` and
            ``displayName@<lang>`` columns are understood by their names.
        submodel_id_short: idShort of the submodel built when the table has no Submodel
            row (``None``: from the file name).
        submodel_semantic_id: semanticId of that submodel.
        groups: Group name -> semanticId of the collection made for the group.
    """

    name: str
    columns: dict[str, str]
    language_columns: bool = True
    submodel_id_short: str | None = None
    submodel_semantic_id: str | None = None
    groups: dict[str, str] = field(default_factory=dict)

    @property
    def path_role(self) -> str:
        """``idShortPath`` or ``idShort``: how rows say where they go."""
        return "idShortPath" if "idShortPath" in self.columns.values() else "idShort"

    def role(self, column: str) -> str | None:
        """The role of a column name (exact name first, then case-insensitively)."""
        if column in self.columns:
            return self.columns[column]
        folded = {k.casefold(): v for k, v in self.columns.items()}
        if column.casefold() in folded:
            return folded[column.casefold()]
        if self.language_columns and _LANG_ROLE.match(column) and role_of(column):
            return column
        return None


_AAS_COLUMNS = ("idShortPath", "modelType", "value", "valueType", "unit", "unitCode",
                "semanticId", "description")

#: IDTA 02003 Technical Data (collection semanticIds from the 2.0 template;
#: ``TechnicalProperties`` is the 1.2 collection, the name flat datasheets still use). The
#: submodel does not claim the template's semanticId: a flat datasheet rarely has every
#: element the template requires, and a submodel that claims a template must conform to it
#: (a custom profile can set ``submodel: {semanticId: ...}`` for complete datasheets).
TECHNICAL_DATA = Profile(
    name="technical-data",
    columns={c: c for c in ("group", "idShort", "preferredName", "value", "valueType", "unit",
                            "unitCode", "semanticId")},
    submodel_id_short="TechnicalData",
    groups={
        "GeneralInformation": "0173-1#02-ABK161#002/0173-1#01-AHX838#002",
        "TechnicalProperties": "0173-1#02-AAP794#001",
        "FurtherInformation": "0173-1#02-ABK164#002",
    },
)

BUILTIN: dict[str, Profile] = {
    "aas": Profile(name="aas", columns={c: c for c in _AAS_COLUMNS}),
    "technical-data": TECHNICAL_DATA,
}

#: JSON Schema of a profile file.
PROFILE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["profile", "columns"],
    "properties": {
        "profile": {"const": 1, "description": "Version of the profile file format."},
        "name": {"type": "string", "minLength": 1},
        "columns": {
            "type": "object", "minProperties": 1,
            "additionalProperties": {"type": "string", "minLength": 1},
        },
        "languageColumns": {"type": "boolean"},
        "submodel": {
            "type": "object", "additionalProperties": False,
            "properties": {"idShort": {"type": "string", "minLength": 1},
                           "semanticId": {"type": "string", "minLength": 1}},
        },
        "groups": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


def load_profile(spec: str, search: Sequence[PurePath] = ()) -> Profile:
    """A built-in profile by name, or a profile file (YAML or JSON).

    Raises:
        TableError: Unknown name, unreadable file, or a file that is not a valid profile
            (the message names the place in the file).
    """
    if spec in BUILTIN:
        return BUILTIN[spec]
    path = Path(spec)
    if not path.is_file():
        path = next((Path(p) / spec for p in search if (Path(p) / spec).is_file()), path)
    if not path.is_file():
        raise TableError(f"--option profile={spec!r}: no such built-in profile "
                         f"({', '.join(BUILTIN)}) or file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TableError(f"cannot read the profile {spec}: {exc}") from exc
    doc = _parse(text, spec)
    import jsonschema

    validator = jsonschema.Draft202012Validator(PROFILE_SCHEMA)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = "/" + "/".join(str(p) for p in err.absolute_path)
        raise TableError(f"the profile {spec} is invalid at {where}: {err.message}")
    columns: dict[str, str] = doc["columns"]
    for column, role in columns.items():
        if role_of(role) is None:
            raise TableError(f"the profile {spec} is invalid at /columns/{column}: unknown "
                             f"role {role!r} (roles: {', '.join(ROLES)}, value@<lang>, "
                             "description@<lang>, displayName@<lang>)")
    roles = [r for r in columns.values() if r != "ignore"]
    duplicates = sorted({r for r in roles if roles.count(r) > 1})
    if duplicates:
        raise TableError(f"the profile {spec} gives the role {duplicates[0]!r} to several "
                         "columns")
    if "idShortPath" not in roles and "idShort" not in roles:
        raise TableError(f"the profile {spec} maps no column to idShortPath or idShort")
    submodel = doc.get("submodel", {})
    return Profile(
        name=doc.get("name", path.stem),
        columns=columns,
        language_columns=doc.get("languageColumns", True),
        submodel_id_short=submodel.get("idShort"),
        submodel_semantic_id=submodel.get("semanticId"),
        groups=doc.get("groups", {}),
    )


def _parse(text: str, spec: str) -> Any:
    if spec.lower().endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise TableError(f"the profile {spec} is not JSON: {exc}") from exc
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TableError(f"the profile {spec} is not YAML: {exc}") from exc


def detect(header: list[str]) -> Profile | None:
    """The built-in profile a header fits, if any."""
    folded = {h.casefold() for h in header}
    if "idshortpath" in folded:
        return BUILTIN["aas"]
    if "idshort" in folded:
        return BUILTIN["technical-data"]
    return None
