"""Rendering of the generated submodel modules (used by ``generate_submodels.py``).

Formatting that keeps the generated code within the line width and lint-clean: calls
wrapped argument by argument, long strings split, docstrings with a one-line summary.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from omp_models.templates import BundledTemplate, Template, TemplateElement

__all__ = [
    "WIDTH",
    "Call",
    "ClassPlan",
    "FieldPlan",
    "ModelPlan",
    "camel",
    "clean_text",
    "docstring",
    "import_lines",
    "lit",
    "render_module",
    "singular",
    "snake",
    "string_block",
    "summary",
]

WIDTH = 100
_ASCII = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u2013": "-", "\u2014": "-", "\u00a0": " ", "\u2011": "-",
                        "\u2010": "-", "\u00b4": "'", "\u2026": "..."})


def clean_text(value: str | None) -> str:
    """Collapse whitespace and use ASCII punctuation (the generated code stays lint-clean)."""
    return " ".join((value or "").translate(_ASCII).split())


def lit(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def snake(name: str) -> str:
    """``URIOfTheProduct`` -> ``uri_of_the_product``; counters dropped."""
    bare = re.sub(r"\{0?:?0+\}|__0+__", "", name)
    bare = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", bare)
    bare = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", bare)
    bare = re.sub(r"[^0-9a-zA-Z]+", "_", bare).strip("_").lower()
    bare = re.sub(r"_+", "_", bare) or "element"
    return f"n_{bare}" if bare[0].isdigit() else bare


def camel(name: str) -> str:
    """``IPCommunication__00__`` -> ``IPCommunication``, ``digital-nameplate`` -> ``Digital...``."""
    bare = re.sub(r"\{0?:?0+\}|__0+__", "", name)
    parts = re.split(r"[^0-9A-Za-z]+", bare)
    out = "".join(p[:1].upper() + p[1:] for p in parts if p)
    return out if out and not out[0].isdigit() else f"E{out}"


def singular(name: str) -> str:
    """``Markings`` -> ``Marking``, ``Properties`` -> ``Property`` (for list items)."""
    if name.endswith("ies") and len(name) > 4:
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss") and len(name) > 2:
        return name[:-1]
    return f"{name}Item"


@dataclass
class Call:
    """A call (or, with ``func=""``, a tuple) to render within the line width."""

    func: str
    args: list[tuple[str | None, str | Call]]

    def flat(self) -> str:
        parts = [(f"{k}=" if k else "") + (v.flat() if isinstance(v, Call) else v)
                 for k, v in self.args]
        if not self.func and len(parts) == 1:
            return f"({parts[0]},)"
        return f"{self.func}({', '.join(parts)})"

    def lines(self, indent: int, prefix: str = "", suffix: str = "") -> list[str]:
        pad = " " * indent
        one = f"{pad}{prefix}{self.flat()}{suffix}"
        if len(one) <= WIDTH:
            return [one]
        out = [f"{pad}{prefix}{self.func}("]
        for key, value in self.args:
            lead = f"{key}=" if key else ""
            if isinstance(value, Call):
                out.extend(value.lines(indent + 4, lead, ","))
                continue
            line = f"{pad}    {lead}{value},"
            if len(line) > WIDTH and value.startswith('"'):
                out.append(f"{pad}    {lead}(")
                out.extend(string_block(json.loads(value), indent + 8))
                out.append(f"{pad}    ),")
            else:
                out.append(line)
        out.append(f"{pad}){suffix}")
        return out


def string_block(text: str, indent: int) -> list[str]:
    """A long string as implicitly concatenated literals, each line within the width."""
    pad = " " * indent
    chunks = textwrap.wrap(text, WIDTH - indent - 4, break_long_words=True,
                           break_on_hyphens=False, drop_whitespace=False) or [""]
    return [f"{pad}{lit(chunk)}" for chunk in chunks]


def docstring(lines: list[str], indent: int) -> list[str]:
    pad = " " * indent
    body: list[str] = []
    for i, paragraph in enumerate(lines):
        if i:
            body.append("")
        wrapped = textwrap.wrap(paragraph.replace("\\", "\\\\").replace('"""', "'''"),
                                WIDTH - indent - 3, break_long_words=False,
                                break_on_hyphens=False) or [""]
        body.extend(wrapped)
    if len(body) == 1:
        return [f'{pad}"""{body[0]}"""']
    return [f'{pad}"""{body[0]}', *[f"{pad}{b}" if b else "" for b in body[1:]], f'{pad}"""']


def summary(text: str | None, fallback: str) -> list[str]:
    """A one-line summary (the first sentence, if it fits) and the rest."""
    text = clean_text(text)
    if not text:
        return [fallback]
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    first = match.group(1) if match else text
    if len(first) > WIDTH - 12:
        return [fallback, text]
    if not first.endswith((".", "!", "?")):
        first += "."
    first = first[:1].upper() + first[1:]
    rest = text[len(match.group(1)):].strip() if match else ""
    return [first, rest] if rest else [first]


@dataclass
class FieldPlan:
    name: str
    annotation: str
    spec: list[str]
    default: str | None
    description: str
    element: TemplateElement | None
    type_label: str


@dataclass
class ClassPlan:
    name: str
    base: str
    doc: list[str]
    fields: list[FieldPlan]
    head: list[str] = field(default_factory=list)
    element: TemplateElement | None = None


@dataclass
class ModelPlan:
    """One generated module: a template version and its classes."""

    bundled: BundledTemplate
    template: Template
    module: str
    class_name: str
    classes: list[ClassPlan] = field(default_factory=list)
    imports: set[str] = field(default_factory=set)
    skipped: list[str] = field(default_factory=list)

    def source(self) -> str:
        """The module's source code."""
        return render_module(self)


def render_field(f: FieldPlan) -> list[str]:
    lines = [f"    {f.name}: Annotated["]
    annotation = f"        {f.annotation},"
    if len(annotation) > WIDTH:
        raise ValueError(f"annotation of {f.name} too long: {f.annotation}")
    lines.append(annotation)
    lines.extend(f.spec[:-1])
    lines.append(f.spec[-1] + ",")
    opening = (f.default + ", description=(") if f.default else "Field(description=("
    if not f.description:
        opening = f.default + ")" if f.default else ""
        lines.append("    ]" + (f" = {opening}" if opening else ""))
        return lines
    lines.append(f"    ] = {opening}")
    lines.extend(string_block(f.description, 8))
    lines.append("    ))")
    return lines


def render_class(cls: ClassPlan) -> list[str]:
    lines = [f"class {cls.name}({cls.base}):", *docstring(cls.doc, 4)]
    if cls.head:
        lines.append("")
        lines.extend(cls.head)
    for f in cls.fields:
        lines.append("")
        lines.extend(render_field(f))
    return lines


def render_module(plan: ModelPlan) -> str:
    bundled = plan.bundled
    typing_names = sorted({"Annotated", "ClassVar"} | (plan.imports & {"Any", "Literal"}))
    values = sorted(n for n in plan.imports if n not in ("Any", "Literal", "datetime"))
    bases = sorted({c.base for c in plan.classes})
    lines = [
        f'"""Typed model of the submodel template {bundled.slug} {bundled.version}.',
        "",
        *textwrap.wrap(f"{bundled.title} (IDTA {bundled.idta}), semanticId "
                       f"``{plan.template.semantic_id}``. Generated by "
                       f"``scripts/generate_submodels.py`` from ``{bundled.file}``; do not "
                       "edit.", WIDTH, break_long_words=False, break_on_hyphens=False),
        '"""',
        "",
        "from __future__ import annotations",
        "",
    ]
    if "datetime" in plan.imports:
        lines.append("import datetime")
    lines += [f"from typing import {', '.join(typing_names)}", "",
              "from pydantic import Field", ""]
    lines.append("from omp_models.submodels._base import SubmodelModel")
    element_bases = [b for b in bases if b != "SubmodelModel"]
    if element_bases:
        lines.append(f"from omp_models.submodels._fields import {', '.join(element_bases)}")
    lines.append("from omp_models.submodels._spec import ElementSpec as E")
    lines.append("from omp_models.submodels._spec import TemplateInfo")
    if values:
        lines.extend(import_lines("omp_models.submodels._values", values))
    names = sorted(c.name for c in plan.classes)
    lines += ["", "__all__ = ["]
    lines += [f"    {lit(n)}," for n in names]
    lines += ["]", ""]
    for cls in plan.classes:
        lines += ["", *render_class(cls), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def import_lines(module: str, names: Sequence[str]) -> list[str]:
    one = f"from {module} import {', '.join(names)}"
    if len(one) <= WIDTH:
        return [one]
    return [f"from {module} import (", *[f"    {n}," for n in names], ")"]
