"""gunicorn settings for Quali-Kompass: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Every value can be overridden on the command line or through ``GUNICORN_CMD_ARGS``; the number of workers comes
from ``WEB_CONCURRENCY`` (which ``flask check-deploy`` reads as well).
"""

import gc
import os

# Behind the reverse proxy on the same machine; for a proxy on another machine (or in another container), e.g.
# GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000".
bind = "127.0.0.1:8000"

# Pages are short database reads: synchronous workers, about two per core (see README, "Sizing").
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "sync"

# A page takes milliseconds; a request still running after 30 s is stuck, and its worker is replaced.
timeout = 30
graceful_timeout = 30
# Connections from the proxy are reused between requests.
keepalive = 5

# Each worker is replaced after a few thousand requests, so that no slow growth of memory lasts.
max_requests = 5000
max_requests_jitter = 500

# Uploads of videos arrive through the proxy, which buffers them; the app's own limits apply (QK_MAX_VIDEO_MB).
limit_request_line = 8190

# The app logs every request as JSON itself (QK_LOG_FORMAT); gunicorn adds only its own events.
accesslog = None
errorlog = "-"
loglevel = "info"

# The proxy sets X-Forwarded-*; the app trusts them through QK_TRUSTED_PROXIES, so gunicorn need not.
forwarded_allow_ips = "127.0.0.1"

# Temporary files of workers in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm"


def post_worker_init(worker) -> None:
    """Fewer, shorter pauses of Python's garbage collector in each worker.

    The app's modules, templates and settings, loaded by now, are moved out of the collector's view for good
    (``gc.freeze``), and a collection starts after 50,000 new objects instead of 700: a large team page creates
    some hundred thousand short-lived objects, which the default threshold made the collector walk dozens of
    times (a 350-person team page took 1.1 s instead of 0.7 s). The objects themselves are freed as before.
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
