"""Background jobs (DESIGN §13): Celery with Redis as broker; in-process after commit without one."""
