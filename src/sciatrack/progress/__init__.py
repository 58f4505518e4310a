"""How the person is doing: the pain diary, the progress page with its follow-ups and measures, and the
progress report and data download. Its records live in :mod:`sciatrack.care`.
"""
