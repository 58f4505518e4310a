"""Exit 0 when the PostgreSQL server in argv[1] accepts a connection within 3 seconds, else 1."""

import sys

import dj_database_url
import psycopg

config = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(
        dbname=config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        connect_timeout=3,
    ).close()
except psycopg.Error as error:
    print(f"   ({error.__class__.__name__}: {str(error).strip().splitlines()[0]})")
    sys.exit(1)
