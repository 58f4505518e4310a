"""What Sciatrack hands a person or clinician to keep: the printable handout, calendar reminders, the
progress charts and the plain-text triage and program the terminal prints.

The web pages and the ``sciatrack`` command both draw on these modules, so they sit apart from either.
"""
