"""gunicorn settings for production; each can be overridden by GUNICORN_CMD_ARGS or the environment."""

import multiprocessing
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a determination PDF takes well under a second
graceful_timeout = 30
max_requests = 20000  # recycle workers now and then (each restart reloads Django: not too often)
max_requests_jitter = 2000
preload_app = True  # import the app once, before forking the workers
accesslog = None  # requests are logged by RequestLogMiddleware, as JSON with their request id
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's sync worker, closing without lingering when the whole request was read and nothing more
# came (haidong_policy/workers.py; measured in bench/README.md, issue 15).
worker_class = "haidong_policy.workers.SyncWorker"
