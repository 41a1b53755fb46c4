"""Settings come from the environment and fail loudly on bad values (a subprocess each, since
settings load once per process)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def check(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_it_starts_with_no_environment_at_all():
    r = check()
    assert r.returncode == 0, r.stderr
    assert "no issues" in r.stdout


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"THROTTLE_ELIGIBILITY_ANON": "lots"}, "THROTTLE_ELIGIBILITY_ANON"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS"),
    ],
)
def test_it_refuses_a_bad_setting_naming_the_variable(env, named):
    r = check(**env)
    assert r.returncode != 0
    assert named in r.stderr
    assert "ImproperlyConfigured" in r.stderr


def test_it_runs_without_debug_given_a_secret_key():
    r = check(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="policy.haidong.example")
    assert r.returncode == 0, r.stderr
