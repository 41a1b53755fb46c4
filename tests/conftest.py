import pytest
from django.core.cache import cache


@pytest.fixture(scope="session", autouse=True)
def _signing_certificates():
    # What `make test` prepares (make pdf-setup), also for a bare pytest: the test signing
    # certificates, made once and kept under var/signing/.
    from determinations import test_certificates

    test_certificates.ensure()


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



@pytest.fixture(autouse=True)
def _notices_off(settings):
    # The flows written before 公示 approve grants directly (PUBLIC_NOTICE_WORKING_DAYS=0, DESIGN §11);
    # the notice tests ask for `notices_on`, the default of the settings (5 working days).
    settings.PUBLIC_NOTICE_WORKING_DAYS = 0


@pytest.fixture
def notices_on(settings):
    from haidong_policy import env

    settings.PUBLIC_NOTICE_WORKING_DAYS = env.get_int("PUBLIC_NOTICE_WORKING_DAYS", 5, minimum=0)
    assert settings.PUBLIC_NOTICE_WORKING_DAYS == 5, "the notice tests assume the default of 5 working days"
    return settings


@pytest.fixture
def finance():
    """The finance officer of the industrial park."""
    from tests.personas import finance_officer

    return finance_officer("park")
