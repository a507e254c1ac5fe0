"""Paths into AAS documents: aas-core attribute paths, JSON Pointers and XML paths.

aas-core reports verification errors in its Python attribute space
(``.submodels[0].submodel_elements[0].value``). Users need the same place in their file:
a JSON Pointer (``/submodels/0/submodelElements/0/value``) for JSON and an XPath-like path
(``/environment/submodels/*[1]/submodelElements/*[1]/value``) for XML. Everything here
works on *tokens*: property names in the JSON spelling and integer indexes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from omp_models.aas._core import lower_camel

Token = str | int

_SNAKE_PART = re.compile(r"_([a-z0-9])")

#: Properties whose XML form wraps the concrete class in an extra element.
_OPERATION_VARIABLE_LISTS = frozenset({"inputVariables", "outputVariables", "inoutputVariables"})


def json_name(attribute: str) -> str:
    """aas-core attribute name -> JSON/XML property name (``id_short`` -> ``idShort``)."""
    return _SNAKE_PART.sub(lambda m: m.group(1).upper(), attribute)


def tokens_from_core_path(path: Any) -> list[Token]:
    """Tokens of an aas-core ``verification`` or ``jsonization`` path.

    Verification paths name Python attributes (snake_case); jsonization paths already
    name JSON properties. Both become JSON-spelled tokens.
    """
    tokens: list[Token] = []
    for segment in path.segments:
        name = getattr(segment, "name", None)
        if name is not None:
            tokens.append(json_name(name))
        else:
            tokens.append(int(segment.index))
    return tokens


def _wraps_concrete_class(tokens: Sequence[Token], i: int) -> bool:
    token = tokens[i]
    if token == "dataSpecificationContent":
        return True
    return (
        token == "value"
        and i >= 2
        and isinstance(tokens[i - 1], int)
        and tokens[i - 2] in _OPERATION_VARIABLE_LISTS
    )


def xml_path_from_tokens(root_class: str, tokens: Sequence[Token]) -> str:
    """The XPath-like path of the XML element that the JSON tokens address.

    List items become ``*[n]`` (1-based, as in XPath); the abstract-typed properties that
    the XML mapping wraps (``dataSpecificationContent``, an operation variable's
    ``value``) get the extra ``*[1]`` step when the path goes below them.
    """
    steps = [lower_camel(root_class)]
    for i, token in enumerate(tokens):
        if isinstance(token, int):
            steps.append(f"*[{token + 1}]")
            continue
        steps.append(token)
        if i + 1 < len(tokens) and _wraps_concrete_class(tokens, i):
            steps.append("*[1]")
    return "/" + "/".join(steps)


def xml_path_from_core_xml_path(path: Any) -> str:
    """aas-core ``xmlization`` path (``environment/submodels/*[0]``) -> 1-based XML path."""
    steps: list[str] = []
    for segment in path.segments:
        index = getattr(segment, "index", None)
        if index is not None:
            steps.append(f"*[{int(index) + 1}]")
        else:
            tag = str(segment.element.tag)
            steps.append(tag.rpartition("}")[2])
    return "/" + "/".join(steps)
