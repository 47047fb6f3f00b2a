"""The login page lists the demo accounts in demo mode only: the demo app gives them, so `accounts` does not
import the top layer."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("demo", [True, False])
def test_login_page_lists_the_demo_accounts_in_demo_mode_only(client, settings, demo):
    settings.DEMO = demo
    page = client.get(reverse("login")).content.decode()
    assert ("gc.hochelaga1" in page) is demo
    assert ("ancrage-demo-2026" in page) is demo
