"""The only home of hand-tuned SQL and of our own database backends; the apps' managers call it.

- :mod:`.plain_sql`: whole rows of one model read or inserted with one plain statement, as the ORM would.
- :mod:`.hot_reads`: the few joined statements of the pages and API calls people use most.
- :mod:`.transactions`: what Django's transaction layer does not say out loud (callbacks still waiting).
- :mod:`.sqlite`: the SQLite backend that queues writers.
"""
