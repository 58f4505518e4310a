"""The safety check a person takes: its screens, the body map, the result, the danger signs asked again,
and a clinician's clearance of a held check. Its records live in :mod:`sciatrack.care`.
"""
