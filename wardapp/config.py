"""Configuration: defaults here, then ``instance/config.py``, then ``WARDAPP_*`` variables."""

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path


class Defaults:
    # The database; None means SQLite in the instance folder (set in load_config).
    SQLALCHEMY_DATABASE_URI = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    MEDIA_DIR = None  # None: <instance>/media
    # Where files live: "local" (MEDIA_DIR) or "s3" (a bucket of any S3 implementation;
    # credentials the standard boto3 way: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the
    # shared files in ~/.aws, or the instance's role).
    STORAGE = "local"
    S3_BUCKET = None
    S3_ENDPOINT_URL = None  # None or empty: AWS itself
    S3_REGION = None
    S3_PREFIX = ""  # keys under this folder of the bucket, for a bucket shared by several
    # Photos from the bucket: sent by the app (False), or a redirect to a presigned link
    # that lives this many seconds (True), after the same access check either way.
    S3_PRESIGN = False
    S3_PRESIGN_SECONDS = 60
    # Tries of each request to the bucket (the first and the retries, with backoff) before
    # the app answers 503 and the client sends again later.
    S3_MAX_ATTEMPTS = 3
    # Behind nginx with the local folder: the internal location that serves MEDIA_DIR
    # ("/_media/", see deploy/nginx.conf); the app checks access and nginx sends the bytes.
    ACCEL_REDIRECT = None
    # fsck spares files younger than this: they may belong to an upload still in flight.
    FSCK_GRACE_SECONDS = 3600
    TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    # CSRF tokens live as long as the session: an officer who recorded evidence offline in
    # the morning can still send it in the evening.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_HEADERS = ["X-CSRFToken", "X-CSRF-Token"]
    WTF_CSRF_SSL_STRICT = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Remember me" is ticked by choice, and lasts 14 days from sign-in, not renewed by use.
    # Fourteen days carry an officer who reports weekly across a missed week (leave, a
    # holiday) without signing in again, while a phone that is lost, sold or passed to a
    # colleague stays signed in for two weeks at most, not a year. Nothing recorded in the
    # meantime is lost: the outbox keeps it until the officer signs in again.
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    # REMEMBER_COOKIE_SECURE follows SESSION_COOKIE_SECURE (load_config).
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    # Uploads: per request, per file, per image.
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024
    MAX_FILE_BYTES = 25 * 1024 * 1024
    MAX_FILES = 10
    MAX_IMAGE_PIXELS = 50_000_000
    # PNG, WebP and HEIC/HEIF are decoded in full (a JPEG at a reduced scale), about 30 ms a
    # megapixel on 2 cores: 25 MP keeps an iPhone's 24 MP HEIC (0.85 s) and refuses a 160 kB
    # PNG of 49 MP (1.1 s and 150 MB decoded) from its header. The app downscales on the phone.
    MAX_DECODE_PIXELS = 25_000_000
    # Pixels decoded for all the photos of one submission (a JPEG counts at its reduced
    # scale: a 12 MP one as 3 MP): ten 12 MP HEICs pass (120 MP, 3.5 s), ten 24 MP do not.
    MAX_REQUEST_DECODE_PIXELS = 150_000_000
    # Submissions one process checks and decodes at once; how many more wait for a turn and
    # for how long, before a 503 (the outbox sends again later). The other threads keep
    # answering pages and /healthz meanwhile.
    MEDIA_WORK_SLOTS = 1
    MEDIA_WORK_QUEUE = 4
    MEDIA_WORK_WAIT_SECONDS = 30
    # The city's area, for the "outside the city" warning: centre and radius in km.
    CITY_CENTRE = (21.2731, 106.1946)
    CITY_RADIUS_KM = 25.0
    # A photo or fix farther than this from the place the item names gets a warning.
    PLACE_RADIUS_M = 200.0
    # The map's tiles (Leaflet's URL template) and the attribution their server asks for.
    MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    MAP_TILE_ATTRIBUTION = "© OpenStreetMap contributors"
    # How far an EXIF time may lie from the reported time before a warning, in hours.
    EXIF_TIME_TOLERANCE_HOURS = 72
    # A report sent this many days after the work happened is marked "sent late".
    LATE_AFTER_DAYS = 14
    # A reviewer may take back their own decision for this long (the queue offers it for 10 s).
    REVIEW_UNDO_SECONDS = 30
    # How far in the future a reported time may lie (a phone's clock a little ahead), minutes.
    FUTURE_TOLERANCE_MINUTES = 15
    # Sign-in throttling (auth/throttle.py): an account waits after 3 failures and is locked
    # after 8, for 15 minutes; an address waits after 10, never longer than 30 seconds, and
    # is never locked. Failures count within 15 minutes of the first.
    LOGIN_FAILURES_BEFORE_DELAY = 3
    LOGIN_FAILURES_BEFORE_LOCK = 8
    LOGIN_ADDRESS_FAILURES_BEFORE_DELAY = 10
    LOGIN_ADDRESS_MAX_WAIT_SECONDS = 30
    LOGIN_LOCK_SECONDS = 15 * 60
    PASSWORD_HASH_METHOD = "scrypt"
    # Sign-in attempts per address, whatever the outcome: a flood guard above the per-account
    # throttle, generous because a mobile operator's NAT puts many officers on one address.
    LOGIN_RATE_LIMIT = "60 per minute; 600 per hour"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (0: trust none).
    # With it, cookies are Secure when the proxy says the request came over HTTPS.
    PROXY_FIX = 0
    # How long a request waits for another writer's lock (SQLite busy timeout, PostgreSQL
    # lock_timeout) before it gives up with 503 and the client retries.
    LOCK_TIMEOUT_MS = 10_000
    # PostgreSQL's memory for the compliance count's grouping, for its transaction only: at
    # the default 4 MB a national quarter (500,000 rows, 76,000 groups) sorts on disk and
    # takes twice as long. Empty: the server's own work_mem.
    COUNT_WORK_MEM = "64MB"
    REDIS_URL = None
    # The outbox's sender retries after a failure 1 s later, doubling up to 5 min.
    OUTBOX_BACKOFF_START_MS = 1000
    OUTBOX_BACKOFF_MAX_MS = 5 * 60 * 1000
    # Web Push: the VAPID key (None: made once into <instance>/vapid_private.pem), the
    # contact the push services see (None: BASE_URL when https), and the push endpoints that
    # may be plain http (prefixes such as "http://127.0.0.1", for tests only).
    VAPID_PRIVATE_KEY = None
    VAPID_SUBJECT = None
    PUSH_INSECURE_ENDPOINTS: list[str] = []
    # E-mail (optional): with MAIL_HOST set, a daily digest of unread notices to each user who
    # gave an address, from this local hour on.
    MAIL_HOST = None
    MAIL_PORT = 25
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_STARTTLS = False
    MAIL_SSL = False
    MAIL_FROM = "Minh chứng CCHC <wardapp@localhost>"
    MAIL_DIGEST_HOUR = 17
    MAIL_TIMEOUT_SECONDS = 20
    # Reminders (flask wardapp remind, and the hourly job): weekly tasks on this weekday
    # (Monday 0 … Sunday 6) from this local hour; deadline tasks these many days before; the
    # reviewers' digest on Mondays from the same hour.
    REMIND_WEEKDAY = 3
    REMIND_HOUR = 8
    REMIND_DEADLINE_DAYS = (7, 2)
    # The quarterly DOCX report's heading and signature block (Decree 30 layout).
    REPORT_OFFICE = "Phòng Văn hóa và Thông tin"
    REPORT_SYMBOL = "BC-VHTT"
    REPORT_SIGNER_TITLE = "TRƯỞNG PHÒNG"
    REPORT_SIGNER_NAME = ""
    REPORT_RECIPIENTS = [
        "UBND thành phố (b/c)",
        "Phòng Nội vụ thành phố",
        "UBND các phường, xã; các cơ quan, đơn vị thành phố",
    ]
    # Where the app is reached (scheme, host and port), for links in exported files, e-mail
    # and push messages; never taken from a request's Host header.
    BASE_URL = "http://127.0.0.1:8000"
    # Background jobs (wardapp/jobs): Huey's queue in a SQLite file (None: <instance>/jobs.sqlite3),
    # or in Redis when REDIS_URL is set. JOBS_IMMEDIATE runs each task at once where it is
    # queued, with no worker (None: under TESTING). A worker runs JOBS_WORKER_THREADS tasks at once.
    JOBS_SQLITE_PATH = None
    JOBS_QUEUE_NAME = "wardapp"
    JOBS_IMMEDIATE = None
    JOBS_WORKER_THREADS = 2
    # A job that must finish once (an export) is held by one worker at a time by a lease it
    # renews; a lease not renewed for JOBS_LEASE_SECONDS (its worker was killed) lets another
    # worker take the job, which every worker looks for each JOBS_REAP_SECONDS. A job whose
    # worker stopped JOBS_MAX_ATTEMPTS times fails. Finished jobs and their files are kept
    # JOBS_KEEP_SECONDS. JOBS_HOLD_SECONDS makes each job wait that long first (tests only).
    JOBS_LEASE_SECONDS = 60
    JOBS_REAP_SECONDS = 15
    JOBS_MAX_ATTEMPTS = 3
    JOBS_KEEP_SECONDS = 24 * 3600
    JOBS_HOLD_SECONDS = 0
    DEMO = False
    # How long a new account's one-time sign-in link works (accounts imported from a file).
    SIGN_IN_LINK_HOURS = 72
    # Roles that must sign in with a second factor (a TOTP app's code); others may choose to.
    # In demo mode no role must (the demo accounts sign in with the password alone).
    MFA_REQUIRED_ROLES = ["admin"]
    # What the authenticator app shows the account as.
    MFA_ISSUER = "wardapp"
    # How long the second step of a sign-in stays open after the right password.
    MFA_PENDING_SECONDS = 300


def _coerce(raw: str):
    """Read an environment value: JSON where it parses (numbers, booleans, lists), else text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


# Paths, names and secrets are taken as written, never read as JSON (a bucket named "2024"
# stays a name).
RAW_SETTINGS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "MEDIA_DIR",
    "JOBS_SQLITE_PATH",
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_PREFIX",
    "ACCEL_REDIRECT",
)
ENV_ALIASES = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI"}


def load_config(app, test_config: dict | None = None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for name, raw in os.environ.items():
        if name.startswith("WARDAPP_") and not name.startswith("WARDAPP_TEST_"):
            key = name.removeprefix("WARDAPP_")
            app.config[ENV_ALIASES.get(key, key)] = _coerce(raw) if key not in RAW_SETTINGS else raw
    if test_config:
        app.config.update(test_config)

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'wardapp.sqlite3'}"
    if not app.config.get("MEDIA_DIR"):
        app.config["MEDIA_DIR"] = str(instance / "media")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance)
    if isinstance(app.config["REMEMBER_COOKIE_DURATION"], int | float):  # seconds, from the env
        app.config["REMEMBER_COOKIE_DURATION"] = timedelta(
            seconds=app.config["REMEMBER_COOKIE_DURATION"]
        )
    # A remember-me cookie outlives the session: it never travels where the session cookie
    # may not (it can be made Secure alone, never less secure than the session).
    app.config["REMEMBER_COOKIE_SECURE"] = bool(
        app.config.get("REMEMBER_COOKIE_SECURE") or app.config["SESSION_COOKIE_SECURE"]
    )
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        from wardapp.db import postgres_engine_options

        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = postgres_engine_options(
            app.config["SQLALCHEMY_ENGINE_OPTIONS"], app.config["LOCK_TIMEOUT_MS"]
        )


def _instance_secret(instance: Path) -> str:
    """A secret made once per installation and kept in the instance folder."""
    path = instance / "secret_key"
    if not path.exists():
        # Written aside and linked into place, so two processes starting at once agree.
        tmp = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        tmp.write_text(secrets.token_hex(32))
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
