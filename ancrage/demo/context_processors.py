"""The demo's accounts for the login page, given by the demo app so that `accounts` does not import the top layer."""

from django.conf import settings

from ancrage.demo.accounts import DEMO_ACCOUNTS


def demo_accounts(request):
    """The list the login page shows in demo mode (the page shows it only next to the demo password)."""
    if not settings.DEMO:
        return {}
    return {"demo_accounts": DEMO_ACCOUNTS}
