"""The alerts partners raise, and their sentences (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "partners.agreement.renewal_due": _(
        "The agreement “%(title)s” with %(partner)s is to be renewed by %(date)s."
    ),
    "partners.notice.failed": _("A significant-change notice to %(partner)s could not be emailed."),
}
