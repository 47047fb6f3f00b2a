"""The API's documentation page shows Swagger UI under the Content Security Policy (issue 10, part 6)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_page_is_not_blank(page, login, case_manager_a):
    # new_page fails the test on any script error or CSP violation: the page must run on its own files.
    login(page, case_manager_a)
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Ancrage API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
