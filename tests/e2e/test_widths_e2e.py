"""Issue 12: no page of the site is wider than the window, at 375 px (a phone) and 1280 px (a
desktop), signed in as each role (Debian Chromium via Playwright)."""

import pytest

from applications.models import Attachment
from review import services as review_services
from tests.personas import PASSWORD, applicant, city_admin, reviewer, submitted, system_admin

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("policy_clock"), pytest.mark.django_db(transaction=True)]
WIDTHS = (375, 1280)


def _pages() -> dict[str, list[str]]:
    """The site's pages per role, on an application in each state a role meets."""
    alice, park = applicant(), reviewer("park")
    returned = submitted(alice, code="2406-630202-04-01-100001")
    review_services.application_return(application_id=returned.pk, reviewer=park, note="请补充设备发票")
    approved = submitted(alice, code="2406-630202-04-01-100002")
    review_services.application_approve(application_id=approved.pk, reviewer=park, note="材料齐全")
    waiting = submitted(alice, code="2406-630202-04-01-100003")
    attachment = Attachment.objects.filter(application=waiting).first()
    code = approved.determination.verification_code
    public = ["/", "/measures/", "/measures/4/guide/", "/measures/6/guide/", "/verify/", f"/verify/{code}/",
              "/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ/", "/accounts/login/", "/accounts/register/", "/api/docs"]
    return {
        "visitor": public,
        "applicant": ["/applications/", f"/applications/{returned.pk}/", f"/applications/{approved.pk}/",
                      f"/applications/{returned.pk}/edit/enterprise/", f"/applications/{returned.pk}/edit/project/",
                      f"/applications/{returned.pk}/edit/circumstances/",
                      f"/applications/{returned.pk}/edit/attachments/", f"/applications/{returned.pk}/edit/review/",
                      f"/applications/{returned.pk}/withdraw/", "/accounts/password/change/"],
        "park_reviewer": ["/review/", f"/review/{waiting.pk}/", f"/review/{approved.pk}/",
                          f"/review/{waiting.pk}/attachments/{attachment.pk}/inline/"],
        "city_admin": ["/review/", "/review/overview/", "/audit/", f"/review/{returned.pk}/"],
        "system_admin": ["/admin/", "/admin/accounts/user/", "/admin/accounts/enterprise/"],
    }


def _sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_it_fits_every_page_in_the_window_for_every_role(live_server, new_page, width):
    pages = _pages()
    users = {"applicant": "applicant", "park_reviewer": "reviewer_park", "city_admin": city_admin().username,
             "system_admin": system_admin().username}
    too_wide = []
    for role, urls in pages.items():
        page = new_page(width=width)
        if role != "visitor":
            _sign_in(page, live_server.url, users[role])
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status < 500, (role, url, response.status)
            page.wait_for_load_state("load")
            scroll = page.evaluate("document.scrollingElement.scrollWidth")
            if scroll > width:
                too_wide.append((role, url, scroll))
    assert too_wide == []
