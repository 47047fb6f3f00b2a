"""Template context every page needs: the user's permissions and demo mode."""

from django.conf import settings


def ancrage(request):
    user = getattr(request, "user", None)
    perms = user.ancrage_permissions if user is not None and user.is_authenticated else frozenset()
    return {"ancrage_perms": perms, "DEMO": settings.DEMO}


# The sections of the application, in navigation order; each module adds its own when it exists (ux.md).
NAVIGATION: list[tuple[str, str, str | None]] = [
    ("home", "home", None),
    ("participants", "people:list", "people.view_participants"),
    ("access", "access:by_name_list", "access.view_by_name_list"),
    ("casework", "casework:caseload", "casework.view"),
    # Housing opens on the landlords' book (or the units): for whoever reads either.
    ("housing", "housing:home", "housing.view_landlords|housing.view_units"),
    ("conferences", "conferences:tables", "conferences.view"),
    ("partners", "partners:list", "partners.view"),
    # Reports: the community's monthly flow (A7), outcomes, fidelity, funder reports and the HMIS exchange.
    (
        "reports",
        "reports:home",
        "access.view_flow|housing.view_outcomes|reports.view_outcomes|reports.view_fidelity"
        "|reports.view_funder_reports|interop.import_hmis|interop.export_hmis",
    ),
    ("audit", "audit_log", "core.view_audit"),
    ("health", "health", "core.view_health"),
    ("admin", "admin:index", "core.configure"),
]

# Pages that live under another section's address but belong to a section of their own: the reports kept
# with their domain (the monthly flow, housing outcomes) light Reports.
ALSO_UNDER = {"reports": ("access:flow", "housing:outcomes")}


def navigation(request):
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _
    from django.utils.translation import pgettext_lazy

    labels = {
        "home": _("Home"),
        "participants": _("Participants"),
        "access": _("Coordinated access"),
        "casework": _("Case management"),
        "housing": _("Housing"),
        "conferences": _("Case conferences"),
        "partners": pgettext_lazy("partners", "Partners"),
        "reports": _("Reports"),
        "audit": _("Audit"),
        "health": _("System health"),
        "admin": _("Administration"),
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[dict] = []
    match: dict[str, int] = {}
    path = request.path
    for key, url_name, perm in NAVIGATION:
        if perm and not any(user.has_ancrage_perm(p) for p in perm.split("|")):
            continue
        url = reverse(url_name)
        prefixes = [url, *(reverse(name) for name in ALSO_UNDER.get(key, ()))]
        matched = [p for p in prefixes if (path == p if p == "/" else path.startswith(p))]
        items.append(
            {
                "key": key,
                "label": labels[key],
                "url": url,
                "active": bool(matched),
            }
        )
        match[key] = max(map(len, matched), default=0)
    # One section is lit: the one whose address matches most of the path (reports within /access/).
    lit = [item for item in items if item["active"]]
    if len(lit) > 1:
        longest = max(lit, key=lambda item: match[item["key"]])
        for item in lit:
            item["active"] = item is longest
    return {"nav_items": items}
