"""An app for one test on an empty database of its own: SQLite, or a PostgreSQL schema."""

import os
import re
import secrets
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from wardapp import create_app

POSTGRES_URL = os.environ.get("WARDAPP_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"]
REDIS_URL = "redis://127.0.0.1:6379/15"  # the suite's own Redis database


def pg_url(url: str) -> str:
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


@contextmanager
def database_settings(backend: str, tmp_path):
    """Settings for an empty database of one test on the backend asked for."""
    if backend == "sqlite":
        yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}"}
        return
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(pg_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield {
            "SQLALCHEMY_DATABASE_URI": pg_url(POSTGRES_URL),
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
        }
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def make_app(settings: dict, tmp_path, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-" + secrets.token_hex(8),
            "MEDIA_DIR": str(tmp_path / "media"),
            # A fast hash: the suite signs in hundreds of times; production keeps scrypt.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            # The suite's reports happened in the shipped plan's 2024 and are sent today: every
            # one would be "sent late". That warning has tests of its own, which set this back.
            "LATE_AFTER_DAYS": 100_000,
            # The suite signs in as the admin with the password alone; the two-factor tests
            # (auth/test_two_factor.py) ask for the second factor back.
            "MFA_REQUIRED_ROLES": [],
            **settings,
            **config,
        }
    )
