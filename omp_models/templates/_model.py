"""The template data model: :class:`Template` and its tree of :class:`TemplateElement`.

Everything a check, a generator or a document page needs from a submodel template is here
as plain, typed data; nothing refers back to the file format it came from, except the
``tokens`` that locate each element in its source document (for the lint's findings) and
the ``raw`` JSON form (for copying what the model does not interpret).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from omp_models.aas._core import AasVersion
from omp_models.templates._cardinality import Cardinality
from omp_models.templates._semantic import is_arbitrary

if TYPE_CHECKING:
    from omp_models.templates._match import ChildIndex

__all__ = [
    "AllowedRange",
    "SourceKind",
    "Template",
    "TemplateElement",
    "TemplateNote",
    "Token",
]

#: A step into a JSON document: a property name or a list index.
Token = str | int

#: How the template was stored: AAS JSON, AAS XML (also inside AASX) or an AASX Package
#: Explorer forms file (``GenericForm``).
SourceKind = Literal["json", "xml", "forms"]

#: ``{00}`` / ``{0:00}`` (SMT idShort counters) and ``__00__`` (the same, where the
#: idShort must be valid: AAS 3.x templates).
_COUNTER = re.compile(r"\{0?:?0+\}|__0+__")
_RANGE = re.compile(
    r"^\s*([\[\(\]])?\s*([^,;]*?)\s*(?:,|;|\.\.)\s*([^,;\]\)\[]*?)\s*([\]\)\[])?\s*$"
)


@dataclass(frozen=True, slots=True)
class AllowedRange:
    """An ``SMT/AllowedRange``: the interval a numeric value must lie in.

    Attributes:
        low: The lower bound, or ``None`` for none.
        high: The upper bound, or ``None`` for none.
        low_inclusive: Whether ``low`` itself is allowed.
        high_inclusive: Whether ``high`` itself is allowed.
        text: The qualifier value as written (``[0,100]``).
    """

    low: Decimal | None
    high: Decimal | None
    low_inclusive: bool = True
    high_inclusive: bool = True
    text: str = ""

    def contains(self, number: Decimal) -> bool:
        """Whether ``number`` lies in the range."""
        if self.low is not None and (number < self.low or (
                number == self.low and not self.low_inclusive)):
            return False
        return not (self.high is not None and (number > self.high or (
            number == self.high and not self.high_inclusive)))

    @classmethod
    def parse(cls, text: object) -> AllowedRange | None:
        """Read ``[0,100]``, ``(0,1]``, ``0..100``, ``[0,]``; ``None`` if it is none of them."""
        if not isinstance(text, str):
            return None
        match = _RANGE.match(text)
        if match is None:
            return None
        opening, low_text, high_text, closing = match.groups()
        try:
            low = Decimal(low_text) if low_text not in ("", "*", "-INF", "-inf") else None
            high = Decimal(high_text) if high_text not in ("", "*", "INF", "inf") else None
        except InvalidOperation:
            return None
        if low is None and high is None:
            return None
        return cls(low, high, opening != "(" and opening != "]",
                   closing != ")" and closing != "[", text)


@dataclass(frozen=True, slots=True)
class TemplateNote:
    """Something odd about the template itself, found while reading it.

    The lint reports each note as a finding; the check uses the intended meaning.

    Attributes:
        rule: The lint rule (``smt-lint/cardinality-spelling``, ...).
        message: What is odd, in one sentence.
        tokens: Where, in the template's source document.
    """

    rule: str
    message: str
    tokens: tuple[Token, ...]


@dataclass(frozen=True, eq=False)
class TemplateElement:
    r"""One element of a template: what instances of it must look like.

    Attributes:
        id_short: The idShort as the template writes it (``Marking{00}``, ``Mode__00__``
            with a counter), ``None`` for the element of a list.
        model_type: The metamodel class (``Property``, ``SubmodelElementCollection``, ...).
        semantic_id: The semanticId (its key value), or ``None``.
        cardinality: How many instances a parent may hold.
        cardinality_qualifier: The qualifier type the cardinality came from, ``None``
            when the element has none and the default was applied.
        value_type: ``valueType`` of a Property or Range.
        allowed_values: ``SMT/AllowedValue`` (and numbered variants): each a regular
            expression or a ``;``-separated list of literals.
        allowed_range: ``SMT/AllowedRange``.
        allowed_id_short: ``SMT/AllowedIdShort``: the regular expression instance idShorts
            must match (known misspellings such as ``X[\\d{2,3}]`` repaired).
        required_langs: ``SMT/RequiredLang``: languages a MultiLanguageProperty must have.
        either_or: ``SMT/EitherOr``: the group of which at least one element must exist.
        example_values: ``SMT/ExampleValue`` (and variants), as written.
        default_value: ``SMT/DefaultValue`` or ``SMT/InitialValue``.
        form_choices: ``SMT/FormChoice`` / ``FormChoices``: the literals offered.
        id_short_editable: ``EditIdShort``: instances may rename it.
        content_type: ``contentType`` of a File or Blob.
        type_value_list_element: A list's ``typeValueListElement``.
        value_type_list_element: A list's ``valueTypeListElement``.
        semantic_id_list_element: A list's ``semanticIdListElement`` (its key value).
        entity_type: An Entity's ``entityType``.
        in_list: The element stands for the items of a SubmodelElementList.
        children: Child elements (collection values, list item, entity statements,
            annotations, operation variables).
        container: The property of the parent that holds it (``submodelElements``,
            ``value``, ``statements``, ``annotations``, ``inputVariables``, ...).
        tokens: Where it is in the template's source document.
        path: idShorts from the submodel down to it (``[]`` for a list's element).
        raw: Its JSON form in the template (with the template qualifiers).
    """

    id_short: str | None
    model_type: str
    semantic_id: str | None
    cardinality: Cardinality
    cardinality_qualifier: str | None = None
    value_type: str | None = None
    allowed_values: tuple[str, ...] = ()
    allowed_range: AllowedRange | None = None
    allowed_id_short: str | None = None
    required_langs: tuple[str, ...] = ()
    either_or: str | None = None
    example_values: tuple[str, ...] = ()
    default_value: str | None = None
    form_choices: tuple[str, ...] = ()
    id_short_editable: bool = False
    content_type: str | None = None
    type_value_list_element: str | None = None
    value_type_list_element: str | None = None
    semantic_id_list_element: str | None = None
    entity_type: str | None = None
    in_list: bool = False
    children: tuple[TemplateElement, ...] = ()
    container: str = "submodelElements"
    tokens: tuple[Token, ...] = ()
    path: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def arbitrary(self) -> bool:
        """A placeholder for elements of any idShort and semanticId (``Arbitrary...``)."""
        return is_arbitrary(self.semantic_id, self.id_short)

    @cached_property
    def has_counter(self) -> bool:
        """The idShort has a ``{00}`` / ``__00__`` counter."""
        return self.id_short is not None and _COUNTER.search(self.id_short) is not None

    @property
    def display_path(self) -> str:
        """``Markings[]/MarkingName``: the path for messages and documents."""
        out = ""
        for step in self.path:
            out += step if step == "[]" or not out else "/" + step
        return out or (self.id_short or "[]")

    @property
    def description_en(self) -> str | None:
        """The English description (or the first one), if any."""
        texts = _lang_texts(self.raw.get("description"))
        return texts.get("en") or next(iter(texts.values()), None)

    @cached_property
    def fixed_id_short(self) -> bool:
        """Instances must keep the template's idShort.

        Not for list items, counters, ``AllowedIdShort`` patterns, editable idShorts,
        arbitrary placeholders or elements that may occur several times.
        """
        return not (
            self.id_short is None or self.in_list or self.has_counter
            or self.allowed_id_short is not None or self.id_short_editable
            or self.arbitrary or self.cardinality.repeatable
        )

    @cached_property
    def id_short_pattern(self) -> re.Pattern[str] | None:
        """What instance idShorts must match: the ``AllowedIdShort`` or the counter form."""
        if self.allowed_id_short is not None:
            try:
                return re.compile(self.allowed_id_short)
            except re.error:
                return None
        if self.id_short is not None and self.has_counter:
            parts = _COUNTER.split(self.id_short)
            return re.compile(r"\d+".join(re.escape(p) for p in parts))
        return None

    def accepts_id_short(self, id_short: str | None) -> bool:
        """Whether an instance element of this template element may be called ``id_short``."""
        if id_short is None:
            return self.id_short is None
        pattern = self.id_short_pattern
        if pattern is not None:
            return pattern.fullmatch(id_short) is not None or (
                self.allowed_id_short is None and id_short == self.id_short)
        return id_short == self.id_short

    def instance_id_short(self, number: int = 1) -> str | None:
        """The idShort of the ``number``-th instance (counters expanded: ``Marking01``).

        ``None`` for list items (AASd-120). Without a counter the first instance keeps the
        template's idShort and further ones get a two-digit suffix.
        """
        if self.id_short is None or self.in_list:
            return None
        base = self.id_short
        if self.has_counter:
            candidate = _COUNTER.sub(f"{number:02d}", base, count=1)
            candidate = _COUNTER.sub("", candidate)
        else:
            candidate = base if number == 1 else f"{base}{number:02d}"
        pattern = self.id_short_pattern
        if pattern is not None and self.allowed_id_short is not None and (
                pattern.fullmatch(candidate) is None):
            stem = _COUNTER.sub("", base)
            for option in (f"{stem}{number:02d}", f"{stem}{number:03d}", f"{stem}{number}",
                           candidate):
                if pattern.fullmatch(option):
                    return option
        return candidate

    def walk(self) -> Iterator[TemplateElement]:
        """This element and every element below it, depth first, in document order."""
        stack: list[TemplateElement] = [self]
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(current.children))

    @cached_property
    def signature(self) -> frozenset[str]:
        """The semanticIds, idShorts and model types below it (to tell list items apart)."""
        from omp_models.templates._match import template_signature

        return template_signature(self)

    @cached_property
    def index(self) -> ChildIndex:
        """Lookup tables over the children (built on first use)."""
        from omp_models.templates._match import ChildIndex

        return ChildIndex(self.children)


def _lang_texts(value: object) -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping):
                lang, text = item.get("language"), item.get("text")
                if isinstance(lang, str) and isinstance(text, str):
                    out.setdefault(lang, text)
    return out


@dataclass(frozen=True, eq=False)
class Template:
    """A submodel template: its identity and its element tree.

    Attributes:
        id: The template submodel's ``id``.
        id_short: Its ``idShort`` (``Nameplate``).
        semantic_id: Its semanticId: what instances are recognised by.
        kind: Its ``kind`` (``Template``; published examples say ``Instance``).
        elements: The top-level elements.
        version: The template's version (``3.0.1`` from the IDTA file name, else
            ``version.revision`` of its administration), if known.
        aas_version: The metamodel version the file was read as.
        source: The file it was loaded from (``bundled:<name>`` for bundled ones).
        member: The AASX part, for packages.
        source_kind: ``json``, ``xml`` or ``forms``.
        tokens: Where the submodel is in its document (``("submodels", 0)``).
        notes: Oddities found while reading (reported by the lint).
        raw: The submodel's JSON form (empty for forms files).
        idta: The IDTA number (``02006``), from the file name, if it has one.
        title: A human name (``Digital Nameplate``), if known.
        concept_descriptions: The concept descriptions of its file, by id.
    """

    id: str | None
    id_short: str | None
    semantic_id: str | None
    kind: str | None
    elements: tuple[TemplateElement, ...]
    version: str | None = None
    aas_version: AasVersion | None = None
    source: str = ""
    member: str | None = None
    source_kind: SourceKind = "json"
    tokens: tuple[Token, ...] = ()
    notes: tuple[TemplateNote, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)
    idta: str | None = None
    title: str | None = None
    concept_descriptions: Mapping[str, Mapping[str, Any]] = field(
        default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """The best human name: title, idShort or id."""
        return self.title or self.id_short or self.id or "(unnamed template)"

    @property
    def label(self) -> str:
        """``Digital Nameplate 3.0.1 (https://admin-shell.io/idta/nameplate/3/0/Nameplate)``."""
        version = f" {self.version}" if self.version else ""
        return f"{self.name}{version} ({self.semantic_id or 'no semanticId'})"

    @property
    def description_en(self) -> str | None:
        """The English description (or the first one), if any."""
        texts = _lang_texts(self.raw.get("description"))
        return texts.get("en") or next(iter(texts.values()), None)

    def walk(self) -> Iterator[TemplateElement]:
        """Every element, depth first, in document order."""
        for element in self.elements:
            yield from element.walk()

    def find(self, path: str) -> TemplateElement | None:
        """The element at a display path (``Markings[]/MarkingName``), if any."""
        return next((e for e in self.walk() if e.display_path == path), None)

    @cached_property
    def index(self) -> ChildIndex:
        """Lookup tables over the top-level elements (built on first use)."""
        from omp_models.templates._match import ChildIndex

        return ChildIndex(self.elements)
