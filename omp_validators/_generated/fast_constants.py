"""aas-core constant sets for the fast metamodel path. GENERATED: do not edit.

Regenerate with ``python scripts/generate_fast_constants.py``.
"""

from __future__ import annotations

#: Per metamodel version: constant name -> its members (strings).
CONSTANTS: dict[str, dict[str, frozenset[str]]] = {
    '3.0': {
        'VALID_CATEGORIES_FOR_DATA_ELEMENT': frozenset(['CONSTANT', 'PARAMETER', 'VARIABLE']),
        'GLOBALLY_IDENTIFIABLES': frozenset(['AssetAdministrationShell', 'ConceptDescription', 'GlobalReference', 'Identifiable', 'Submodel']),
        'GENERIC_GLOBALLY_IDENTIFIABLES': frozenset(['GlobalReference']),
        'AAS_IDENTIFIABLES': frozenset(['AssetAdministrationShell', 'ConceptDescription', 'Identifiable', 'Submodel']),
        'GENERIC_FRAGMENT_KEYS': frozenset(['FragmentReference']),
        'FRAGMENT_KEYS': frozenset(['AnnotatedRelationshipElement', 'BasicEventElement', 'Blob', 'Capability', 'DataElement', 'Entity', 'EventElement', 'File', 'FragmentReference', 'MultiLanguageProperty', 'Operation', 'Property', 'Range', 'ReferenceElement', 'RelationshipElement', 'SubmodelElement', 'SubmodelElementCollection', 'SubmodelElementList']),
        'AAS_REFERABLES': frozenset(['AnnotatedRelationshipElement', 'AssetAdministrationShell', 'BasicEventElement', 'Blob', 'Capability', 'ConceptDescription', 'DataElement', 'Entity', 'EventElement', 'File', 'Identifiable', 'MultiLanguageProperty', 'Operation', 'Property', 'Range', 'Referable', 'ReferenceElement', 'RelationshipElement', 'Submodel', 'SubmodelElement', 'SubmodelElementCollection', 'SubmodelElementList']),
        'IEC_61360_DATA_TYPES_WITH_UNIT': frozenset(['INTEGER_CURRENCY', 'INTEGER_MEASURE', 'RATIONAL_MEASURE', 'REAL_CURRENCY', 'REAL_MEASURE']),
        'DATA_TYPE_IEC_61360_FOR_PROPERTY_OR_VALUE': frozenset(['BOOLEAN', 'DATE', 'INTEGER_COUNT', 'INTEGER_CURRENCY', 'INTEGER_MEASURE', 'RATIONAL', 'RATIONAL_MEASURE', 'REAL_COUNT', 'REAL_CURRENCY', 'REAL_MEASURE', 'STRING', 'STRING_TRANSLATABLE', 'TIME', 'TIMESTAMP']),
        'DATA_TYPE_IEC_61360_FOR_REFERENCE': frozenset(['IRDI', 'IRI', 'STRING']),
        'DATA_TYPE_IEC_61360_FOR_DOCUMENT': frozenset(['BLOB', 'FILE', 'HTML']),
    },
    '3.1': {
        'GLOBALLY_IDENTIFIABLES': frozenset(['AssetAdministrationShell', 'ConceptDescription', 'GlobalReference', 'Identifiable', 'Submodel']),
        'GENERIC_GLOBALLY_IDENTIFIABLES': frozenset(['GlobalReference']),
        'AAS_IDENTIFIABLES': frozenset(['AssetAdministrationShell', 'ConceptDescription', 'Identifiable', 'Submodel']),
        'GENERIC_FRAGMENT_KEYS': frozenset(['FragmentReference']),
        'FRAGMENT_KEYS': frozenset(['AnnotatedRelationshipElement', 'BasicEventElement', 'Blob', 'Capability', 'DataElement', 'Entity', 'EventElement', 'File', 'FragmentReference', 'MultiLanguageProperty', 'Operation', 'Property', 'Range', 'ReferenceElement', 'RelationshipElement', 'SubmodelElement', 'SubmodelElementCollection', 'SubmodelElementList']),
        'AAS_REFERABLES': frozenset(['AnnotatedRelationshipElement', 'AssetAdministrationShell', 'BasicEventElement', 'Blob', 'Capability', 'ConceptDescription', 'DataElement', 'Entity', 'EventElement', 'File', 'Identifiable', 'MultiLanguageProperty', 'Operation', 'Property', 'Range', 'Referable', 'ReferenceElement', 'RelationshipElement', 'Submodel', 'SubmodelElement', 'SubmodelElementCollection', 'SubmodelElementList']),
        'IEC_61360_DATA_TYPES_WITH_UNIT': frozenset(['INTEGER_CURRENCY', 'INTEGER_MEASURE', 'RATIONAL_MEASURE', 'REAL_CURRENCY', 'REAL_MEASURE']),
        'DATA_TYPE_IEC_61360_FOR_PROPERTY_OR_VALUE': frozenset(['BOOLEAN', 'DATE', 'INTEGER_COUNT', 'INTEGER_CURRENCY', 'INTEGER_MEASURE', 'RATIONAL', 'RATIONAL_MEASURE', 'REAL_COUNT', 'REAL_CURRENCY', 'REAL_MEASURE', 'STRING', 'STRING_TRANSLATABLE', 'TIME', 'TIMESTAMP']),
        'DATA_TYPE_IEC_61360_FOR_REFERENCE': frozenset(['IRDI', 'IRI', 'STRING']),
        'DATA_TYPE_IEC_61360_FOR_DOCUMENT': frozenset(['BLOB', 'FILE', 'HTML']),
    },
}

#: Per metamodel version: AasSubmodelElements literal -> concrete classes.
ELEMENT_TYPES: dict[str, dict[str, frozenset[str]]] = {
    '3.0': {
        'AnnotatedRelationshipElement': frozenset(['AnnotatedRelationshipElement']),
        'BasicEventElement': frozenset(['BasicEventElement']),
        'Blob': frozenset(['Blob']),
        'Capability': frozenset(['Capability']),
        'DataElement': frozenset(['Blob', 'File', 'MultiLanguageProperty', 'Property', 'Range', 'ReferenceElement']),
        'Entity': frozenset(['Entity']),
        'EventElement': frozenset(['BasicEventElement']),
        'File': frozenset(['File']),
        'MultiLanguageProperty': frozenset(['MultiLanguageProperty']),
        'Operation': frozenset(['Operation']),
        'Property': frozenset(['Property']),
        'Range': frozenset(['Range']),
        'ReferenceElement': frozenset(['ReferenceElement']),
        'RelationshipElement': frozenset(['AnnotatedRelationshipElement', 'RelationshipElement']),
        'SubmodelElement': frozenset(['AnnotatedRelationshipElement', 'BasicEventElement', 'Blob', 'Capability', 'Entity', 'File', 'MultiLanguageProperty', 'Operation', 'Property', 'Range', 'ReferenceElement', 'RelationshipElement', 'SubmodelElementCollection', 'SubmodelElementList']),
        'SubmodelElementList': frozenset(['SubmodelElementList']),
        'SubmodelElementCollection': frozenset(['SubmodelElementCollection']),
    },
    '3.1': {
        'AnnotatedRelationshipElement': frozenset(['AnnotatedRelationshipElement']),
        'BasicEventElement': frozenset(['BasicEventElement']),
        'Blob': frozenset(['Blob']),
        'Capability': frozenset(['Capability']),
        'DataElement': frozenset(['Blob', 'File', 'MultiLanguageProperty', 'Property', 'Range', 'ReferenceElement']),
        'Entity': frozenset(['Entity']),
        'EventElement': frozenset(['BasicEventElement']),
        'File': frozenset(['File']),
        'MultiLanguageProperty': frozenset(['MultiLanguageProperty']),
        'Operation': frozenset(['Operation']),
        'Property': frozenset(['Property']),
        'Range': frozenset(['Range']),
        'ReferenceElement': frozenset(['ReferenceElement']),
        'RelationshipElement': frozenset(['AnnotatedRelationshipElement', 'RelationshipElement']),
        'SubmodelElement': frozenset(['AnnotatedRelationshipElement', 'BasicEventElement', 'Blob', 'Capability', 'Entity', 'File', 'MultiLanguageProperty', 'Operation', 'Property', 'Range', 'ReferenceElement', 'RelationshipElement', 'SubmodelElementCollection', 'SubmodelElementList']),
        'SubmodelElementList': frozenset(['SubmodelElementList']),
        'SubmodelElementCollection': frozenset(['SubmodelElementCollection']),
    },
}
