"""Checks behind /healthz: can we reach the database and the broker right now?"""

from django.db import connection

from config.celery import app


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return f"error: {exc.__class__.__name__}"
    return "ok"


def broker_status(timeout: float = 2.0) -> str:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # kombu raises many kinds; all mean "down"
        return f"error: {exc.__class__.__name__}"
    return "ok"
