"""Settings for the test suite: the base settings with fast hashing and no real mail."""

import os
import tempfile

# Tests never touch the developer's ./var: each run gets its own data directory.
os.environ.setdefault("PEERLADDER_DATA_DIR", tempfile.mkdtemp(prefix="peerladder-test-"))

from peerladder.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, in tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver", "localhost"]  # noqa: F405
# Each page view written at once, so a test reads it back; the batching has its own tests.
VIEW_COUNT_FLUSH_SECONDS = 0
