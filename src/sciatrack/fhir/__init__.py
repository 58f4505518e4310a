"""FHIR R4 export of a person's Sciatrack record (issue 24).

The mapping (plain JSON-ready dicts, never library objects) lives in :mod:`.record` (the public
interface) and :mod:`.rows` (one mapper per stored row, for the bulk export); codes in :mod:`.codes`.
See docs/fhir.md for the mapping table.
"""
