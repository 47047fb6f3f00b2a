"""The audit action codes of accounts and how each reads in the trail (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

# Codes are stable (stored on every entry); sentences are translated when shown.
ACTIONS = {
    "accounts.language.changed": _("changed their language"),
    "accounts.token.created": _("created an API token"),
    "accounts.token.revoked": _("revoked an API token"),
    "accounts.two_factor.enabled": _("set up two-factor sign-in"),
    "accounts.two_factor.reset": _("reset someone's two-factor sign-in"),
    "accounts.membership.granted": _("gave someone a role in an organisation"),
    "accounts.membership.changed": _("changed someone's role in an organisation"),
    "accounts.membership.removed": _("removed someone's role in an organisation"),
}


# The kind of information each entry's values carry (G1, G2): the audit screen shows them only to a
# reader who may read that kind for the participant now; None: the entry concerns no participant.
# Accounts name no participant.
CATEGORIES: dict[str, str | None] = {
    "accounts.language.changed": None,
    "accounts.token.created": None,
    "accounts.token.revoked": None,
    "accounts.two_factor.enabled": None,
    "accounts.two_factor.reset": None,
    "accounts.membership.granted": None,
    "accounts.membership.changed": None,
    "accounts.membership.removed": None,
}
