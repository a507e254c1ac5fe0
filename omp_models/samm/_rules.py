"""The rules of the SAMM layer: loading, structural checks, SHACL, payloads."""

from __future__ import annotations

from omp_models.diagnostics import Rule, Severity

__all__ = ["MODEL_RULES", "PAYLOAD_RULES"]

E, W = Severity.ERROR, Severity.WARNING


def _r(rule_id: str, title: str, severity: Severity, description: str, hint: str) -> Rule:
    return Rule(rule_id, title, severity, description, hint, "samm")


#: Rules of ``omp samm validate`` (loading, structural checks, SHACL).
MODEL_RULES: tuple[Rule, ...] = (
    _r("samm/syntax", "The file is not valid Turtle", E,
       "The Turtle parser stopped at the reported line; nothing else in the file can be "
       "checked until it parses.", "Fix the Turtle syntax at the reported line."),
    _r("samm/encoding", "The file is not UTF-8", E,
       "Turtle files are UTF-8 (RDF 1.1 Turtle, section 6.5). The file was read as Latin-1 "
       "to go on checking.", "Re-save the file as UTF-8."),
    _r("samm/unreadable", "The file cannot be read", E,
       "The file could not be opened or read.", "Check that the path exists and is readable."),
    _r("samm/no-elements", "The file defines no SAMM elements", E,
       "A model file defines at least one element (an Aspect, or shared Properties, "
       "Characteristics, Entities...).", "Check that this is the intended file."),
    _r("samm/unsupported-version", "The meta-model version is not supported", E,
       "SAMM 2.0.0, 2.1.0 and 2.2.0 and the legacy BAMM 1.0.0 and 2.0.0 are read (every "
       "model is read as SAMM 2.2.0, as samm-cli migrates models).",
       "Use a supported SAMM version."),
    _r("samm/mixed-versions", "The file uses several meta-model versions", E,
       "All meta-model prefixes (samm, samm-c, samm-e, unit) of one file use one version.",
       "Use one version for every meta-model prefix."),
    _r("samm/bamm-legacy", "The model uses the legacy BAMM meta model", W,
       "BAMM (`urn:bamm:io.openmanufacturing:...`) is the predecessor of SAMM. The model is "
       "read as SAMM 2.2.0 (the namespaces are rewritten and BAMM 1.0.0's `bamm:name` is "
       "dropped, as samm-cli's migration does), but tools that only know SAMM will not read "
       "it.", "Migrate the file to SAMM (`samm aspect <file> migrate`)."),
    _r("samm/multiple-aspects", "The file defines more than one Aspect", E,
       "One aspect model file has at most one Aspect.", "Split the file."),
    _r("samm/unresolved-import", "An element of another namespace is not found", E,
       "Elements of other namespaces are looked up as `<root>/<namespace>/<version>/<Name>.ttl` "
       "(or another `.ttl` file of that folder) under the models directories.",
       "Add the models directory with `--models-dir`, or fix the namespace or version."),
    _r("samm/unresolved-reference", "A referenced element is not defined", E,
       "A characteristic, data type, constraint, value or property refers to an element "
       "that is defined nowhere.", "Define the element, or fix the reference."),
    _r("samm/unknown-type", "An element has the wrong or no type", E,
       "An element used as a Characteristic or Constraint is not typed as one.",
       "Give the element a SAMM type (`a samm-c:Trait`...)."),
    _r("samm/unknown-datatype", "A data type is not one SAMM allows", E,
       "`samm:dataType` is an XSD type SAMM supports, `rdf:langString`, `samm:curie` or an "
       "Entity.", "Use a supported data type."),
    _r("samm/missing-characteristic", "A property has no characteristic", E,
       "Every (non-abstract) Property has exactly one `samm:characteristic`.",
       "Add `samm:characteristic`."),
    _r("samm/missing-datatype", "A characteristic has no data type", E,
       "Characteristics (except Traits and Either) have a `samm:dataType`.",
       "Add `samm:dataType`."),
    _r("samm/missing-attribute", "A required attribute is missing", E,
       "A Trait needs `samm-c:baseCharacteristic` and a constraint, an Either `samm-c:left` "
       "and `samm-c:right`, a State `samm-c:defaultValue`.", "Add the attribute."),
    _r("samm/missing-unit", "A Measurement or Duration has no unit", E,
       "Measurement and Duration characteristics name their unit with `samm-c:unit`.",
       "Add `samm-c:unit unit:...`."),
    _r("samm/unknown-unit", "A unit is not in the SAMM unit catalog", E,
       "Units of the `unit:` namespace come from the SAMM unit catalog; custom units are "
       "defined in the model.", "Use a catalog unit or define the unit."),
    _r("samm/empty-enumeration", "An enumeration has no values", E,
       "`samm-c:values` lists at least one value.", "Add the values."),
    _r("samm/malformed-list", "A list attribute is not an RDF list", E,
       "`samm:properties`, `samm-c:values` and similar attributes are RDF lists `( ... )`.",
       "Write the attribute as a list."),
    _r("samm/invalid-value", "An attribute value is not of the expected kind", E,
       "For example a properties list holding a literal, or a length bound that is not an "
       "integer.", "Fix the value."),
    _r("samm/language-tag", "A name or description has no or a duplicate language tag", E,
       "`samm:preferredName` and `samm:description` are language-tagged strings, at most "
       "one per language (SAMM shapes: `sh:datatype rdf:langString`, `sh:uniqueLang`).",
       "Add a language tag (`\"...\"@en`) and keep one text per language."),
    _r("samm/example-datatype", "An example value has the wrong data type", E,
       "The datatype of `samm:exampleValue` is the characteristic's data type or one that "
       "can be cast to it (SAMM PropertyShape).",
       "Type the literal (`\"2024-01-31T12:00:00Z\"^^xsd:dateTime`)."),
    _r("samm/example-value", "An example value breaks its own constraints", E,
       "An error when the example value does not match the property's "
       "RegularExpressionConstraint (a violation of the SAMM shapes); a warning when it "
       "only breaks the generated payload schema (the data type's lexical pattern, a range, "
       "a length, an enumeration), so that example payloads built from it are invalid. Most "
       "of the Catena-X example payloads that fail their own schema fail for this reason.",
       "Change the example value, or the constraint."),
    _r("samm/invalid-regex", "A regular expression does not compile", E,
       "`samm-c:RegularExpressionConstraint` values and `samm-c:deconstructionRule` are "
       "regular expressions (ECMAScript dialect in the payload schema).",
       "Fix the regular expression."),
    _r("samm/constraint", "A constraint is inconsistent or does not apply", E,
       "A length or range constraint with its minimum above its maximum, a negative length, "
       "a bound of another data type than the characteristic's, a length constraint on a "
       "number, a regular expression on a non-string.", "Fix the constraint."),
    _r("samm/enumeration-value", "An enumeration value does not fit the data type", E,
       "Every value of an Enumeration (and a State's default value) has the enumeration's "
       "data type; a State's default is one of its values.", "Fix the value."),
    _r("samm/duplicate-property", "A property is listed twice", W,
       "A properties list names the same property more than once; payloads have one key "
       "per property.", "Remove the duplicate."),
    _r("samm/payload-name-clash", "Two properties share one payload name", E,
       "Within one Aspect or Entity (including inherited properties) payload names "
       "(`samm:payloadName`, else the property name) are unique.",
       "Rename one property or give it a `samm:payloadName`."),
    _r("samm/recursive-property", "A mandatory property leads back to itself", E,
       "A chain of mandatory properties that reaches its own entity again describes an "
       "infinite payload.", "Make one property in the cycle optional."),
    _r("samm/either", "An Either is inconsistent", E,
       "`samm-c:left` and `samm-c:right` are different characteristics.",
       "Use two different characteristics."),
    _r("samm/entity-datatype", "An entity data type is used where it is not allowed", E,
       "A SingleEntity's data type is an Entity; a TimeSeries' data type extends "
       "`samm-e:TimeSeriesEntity`; an AbstractEntity is never a characteristic's data type.",
       "Fix the data type."),
    _r("samm/duration-unit", "A Duration's unit is not a unit of time", E,
       "The unit of a `samm-c:Duration` has the quantity kind time.", "Use a time unit."),
    _r("samm/shacl", "The SAMM SHACL shapes report a violation", E,
       "Result of the official SAMM 2.2.0 SHACL shapes (pyshacl; the JavaScript constraints "
       "are not run). Only with `--shacl`.", "See the message; it quotes the shape."),
)

#: Rules of payload validation against an aspect (``omp validate --aspect``).
PAYLOAD_RULES: tuple[Rule, ...] = (
    _r("samm/payload-required", "A required property is missing", E,
       "The aspect model marks the property as mandatory (not `samm:optional`).",
       "Add the property."),
    _r("samm/payload-type", "A value has the wrong JSON type", E,
       "For example a string where the characteristic's data type is numeric, or a single "
       "value where a collection is expected.", "Give the value the type the model defines."),
    _r("samm/payload-enum", "A value is not one of the enumeration's values", E,
       "The characteristic is an Enumeration (or State); the value is not in its list.",
       "Use one of the listed values."),
    _r("samm/payload-pattern", "A string does not match the pattern", E,
       "A RegularExpressionConstraint, or the lexical pattern of the data type (xsd:dateTime, "
       "samm:curie, ...).", "Change the value to match the pattern."),
    _r("samm/payload-range", "A number is out of range", E,
       "A RangeConstraint or the range of the XSD data type (xsd:int, xsd:positiveInteger...).",
       "Use a value inside the range."),
    _r("samm/payload-length", "A string or collection has the wrong length", E,
       "A LengthConstraint on a string (characters) or a collection (elements).",
       "Shorten or lengthen the value."),
    _r("samm/payload-unique", "A set contains a duplicate", E,
       "Set and SortedSet characteristics allow each element once.", "Remove the duplicate."),
    _r("samm/payload-either", "An Either value is not exactly one of left and right", E,
       "An Either payload is an object with exactly one of `left` and `right`.",
       "Give exactly one of `left` and `right`."),
    _r("samm/payload-invalid", "The payload does not match the aspect", E,
       "A schema rule not covered by a more specific rule.", "See the message."),
    _r("samm/aspect-unavailable", "The aspect model cannot be used", E,
       "The aspect model given with `--aspect` could not be loaded, or has errors that "
       "prevent generating its payload schema.", "Run `omp samm validate` on the model."),
)
