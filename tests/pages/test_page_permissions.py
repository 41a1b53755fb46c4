"""Who may open each page of 公示, payments and budgets (DESIGN §11), and where the finance officer
and anonymous visitors land on the pages that were there before: one table, every page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import Application, Objection
from review import services as review_services
from tests.personas import city_admin, finance_officer, other_enterprise, reviewer, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def world(alice, park, settings):
    granted = submitted(alice)
    review_services.application_approve(application_id=granted.pk, reviewer=park)
    settings.PUBLIC_NOTICE_WORKING_DAYS = 5
    noticed = submitted(alice, code="2407-630202-04-01-000001")
    notice = review_services.application_propose(application_id=noticed.pk, reviewer=park)
    objection = Objection.objects.create(notice=notice, reference="YY2025-PERM01", name="x", contact="y", text="z")
    return {"granted": Application.objects.get(pk=granted.pk), "noticed": noticed, "notice": notice,
            "objection": objection}


def pages(w) -> list[tuple[str, str]]:
    return [
        ("GET", reverse("notices")),
        ("GET", reverse("notice-feed")),
        ("GET", reverse("notice-object", args=[w["notice"].pk])),
        ("GET", reverse("payments")),
        ("GET", reverse("payment-detail", args=[w["granted"].pk])),
        ("GET", reverse("budgets")),
        ("GET", reverse("fund-pool-csv")),
        ("GET", reverse("fund-pool-chart")),
        ("GET", reverse("monthly-chart")),
        ("GET", reverse("review-overview")),
        ("GET", reverse("review-queue")),
        ("GET", reverse("review-application", args=[w["noticed"].pk])),
        ("POST", reverse("review-propose", args=[w["noticed"].pk])),
        ("POST", reverse("review-withdraw-proposal", args=[w["noticed"].pk])),
        ("POST", reverse("review-resolve-objection", args=[w["objection"].pk])),
        ("GET", reverse("my-applications")),
        ("GET", reverse("application-detail", args=[w["granted"].pk])),
        ("GET", reverse("application-detail", args=[w["noticed"].pk])),
    ]


# Per persona, the status of each page above, in order: 302 to sign in (anonymous), to its own start
# page (the list), or back to the application with a message (proposing what is already in notice).
EXPECTED = {
    "anonymous": [200, 200, 200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302],
    "finance": [200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 404, 404, 404, 404, 302, 200, 404],
    "other_finance": [200, 200, 200, 200, 404, 403, 403, 403, 403, 403, 403, 404, 404, 404, 404, 302, 404, 404],
    "other_enterprise": [200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 404, 404, 404, 404, 200, 404, 404],
    "other_reviewer": [200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 200, 404, 404, 404, 404, 302, 404, 404],
    "city_admin": [200, 200, 200, 403, 403, 200, 200, 200, 200, 200, 200, 200, 302, 200, 400, 302, 200, 200],
}


def persona(name: str):
    return {"anonymous": None, "finance": lambda: finance_officer("park"),
            "other_finance": lambda: finance_officer("630225"), "other_enterprise": other_enterprise,
            "other_reviewer": lambda: reviewer("630225"), "city_admin": city_admin}[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_gives_each_persona_the_pages_it_may_open_and_nothing_else(client, world, name):
    make = persona(name)
    if make is not None:
        client.force_login(make())
    got = [(client.post(url) if method == "POST" else client.get(url)).status_code for method, url in pages(world)]
    assert got == EXPECTED[name], list(zip([u for _m, u in pages(world)], got, EXPECTED[name], strict=True))
    assert Objection.objects.get().status == "open"
    assert Application.objects.get(pk=world["noticed"].pk).state == "in_notice"
