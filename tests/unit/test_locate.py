"""JSON Pointer and XML path locators."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from omp_validators.locate import (
    JsonLocator,
    XmlLocator,
    pointer_from_tokens,
    split_pointer,
)

DOC = b"""{
  "a": [1, {"b~c/d": "x"}],
  "e": {"f": {"g": null}},
  "a": [true, false, {"z": 1}]
}"""


def test_pointer_escaping_round_trip() -> None:
    tokens = ["a/b", "c~d", 0, ""]
    assert pointer_from_tokens(tokens) == "/a~1b/c~0d/0/"
    assert split_pointer(pointer_from_tokens(tokens)) == ["a/b", "c~d", "0", ""]


def test_locates_nested_values() -> None:
    loc = JsonLocator(DOC)
    pos = loc.locate("/e/f/g")
    assert pos is not None and (pos.line, pos.column, pos.exact) == (3, 20, True)


def test_last_duplicate_key_wins_like_the_parser() -> None:
    pos = JsonLocator(DOC).locate("/a/2/z")
    assert pos is not None and pos.line == 4 and pos.exact


def test_missing_member_falls_back_to_the_container() -> None:
    pos = JsonLocator(DOC).locate("/e/f/nope")
    assert pos is not None and (pos.line, pos.exact) == (3, False)
    assert pos.column == 14  # the '{' of /e/f


def test_many_in_one_pass_equals_one_by_one() -> None:
    loc = JsonLocator(DOC)
    pointers = ["", "/a", "/a/0", "/e", "/e/f", "/e/f/g", "/a/9", "/x/y"]
    many = loc.locate_many(pointers)
    for pointer in pointers:
        assert JsonLocator(DOC).locate(pointer) == many[pointer]


def test_bom_does_not_shift_columns() -> None:
    pos = JsonLocator(b'\xef\xbb\xbf{"a": 1}').locate("/a")
    assert pos is not None and (pos.line, pos.column) == (1, 7)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=20,
)


def _pointers(value: object, prefix: list[str | int]) -> list[list[str | int]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _pointers(v, [*prefix, k])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _pointers(v, [*prefix, i])
    return out


@given(
    json_values,
    st.sampled_from([None, 1, 2, "\t"]),
    st.sampled_from([None, (",", ":"), (" ,\t", " :  ")]),
)
def test_every_pointer_points_at_its_value(
    value: object, indent: int | str | None, separators: tuple[str, str] | None
) -> None:
    """Property: the text at the located position parses to the value at the pointer."""
    text = json.dumps(value, indent=indent, separators=separators)
    data = text.encode()
    loc = JsonLocator(data)
    lines = text.split("\n")
    for tokens in _pointers(value, []):
        pos = loc.locate(pointer_from_tokens(tokens))
        assert pos is not None and pos.exact
        offset = sum(len(line) + 1 for line in lines[: pos.line - 1]) + pos.column - 1
        expected = value
        for t in tokens:
            expected = expected[t]  # type: ignore[index]
        got, _ = json.JSONDecoder().raw_decode(text, offset)
        assert got == expected


def test_few_and_many_positions_agree() -> None:
    """Line and column are the same whether a file asks for a few positions or many."""
    value = {f"k{i}": {"v": [i, {"x": "y\\n"}], "w\\\"q": i} for i in range(60)}
    text = json.dumps(value, indent=3).replace("\n", "\r\n")
    pointers = [f"/k{i}/v/1/x" for i in range(60)] + [f'/k{i}/w\\"q' for i in range(60)]
    together = JsonLocator(text.encode()).locate_many(pointers)
    assert len(together) == 120 and all(p.exact for p in together.values())
    for pointer in pointers:
        assert JsonLocator(text.encode()).locate(pointer) == together[pointer]


XML = b"""<?xml version="1.0"?>
<environment xmlns="https://admin-shell.io/aas/3/1">
  <submodels>
    <submodel><idShort>A</idShort></submodel>
    <submodel>
      <idShort>B</idShort>
    </submodel>
  </submodels>
</environment>"""


def test_xml_paths() -> None:
    loc = XmlLocator(XML)
    pos = loc.locate("/environment/submodels/*[2]/idShort")
    assert pos is not None and (pos.line, pos.column, pos.exact) == (6, 7, True)
    pos = loc.locate("/environment/submodels/*[1]")
    assert pos is not None and (pos.line, pos.column) == (4, 5)
    missing = loc.locate("/environment/submodels/*[2]/value")
    assert missing is not None and not missing.exact and missing.line == 5


def test_xml_locator_survives_broken_xml() -> None:
    assert XmlLocator(b"<a><b></a>").locate("/a/b") is None
