"""The person's home program: the program page, the guided session, the handout and reminders, and
the clinician's changes to a program. Its records live in :mod:`sciatrack.care`.
"""
