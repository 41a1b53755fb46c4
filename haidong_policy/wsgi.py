import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidong_policy.settings")
django_application = get_wsgi_application()

from haidong_policy.fastpath import EligibilityFastPath  # noqa: E402 - after Django is set up

# Anonymous POST /api/v1/eligibility on a short path; everything else through Django (fastpath.py).
application = EligibilityFastPath(django_application)
