"""Shared by the benchmarks: a scratch PostgreSQL database of their own, and JSON output."""

from __future__ import annotations

import json

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def emit(**fields) -> None:
    """One figure as one JSON line."""
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def admin_connect():
    import psycopg

    return psycopg.connect(dbname="postgres", connect_timeout=3, autocommit=True, **PG)


def recreate_database(name: str) -> bool:
    """Drop and create `name`; False when PostgreSQL cannot be reached."""
    import psycopg

    try:
        with admin_connect() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError:
        return False
    return True


def drop_database(name: str) -> None:
    with admin_connect() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
