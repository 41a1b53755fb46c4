import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen_now():
    """2025-03-01 10:00 in Asia/Shanghai, for every clock the code reads."""
    import time_machine

    from tests.personas import NOW

    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller  # .shift(seconds) moves the clock on


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploads of a test go to its own folder, never into the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing strength is Django's business; the suite only needs passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- the fixed personas (tests/personas.py), shared by every test module --------------------------

@pytest.fixture
def alice():
    """The applicant enterprise's user (乐都区)."""
    from tests.personas import applicant

    return applicant()


@pytest.fixture
def park():
    """The reviewer of the industrial park."""
    from tests.personas import reviewer

    return reviewer("park")


@pytest.fixture
def park_reviewer(park):
    return park

