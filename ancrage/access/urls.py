"""URLs of coordinated access."""

from django.urls import path

from ancrage.access import views, views_history, views_matching, views_policy

app_name = "access"

urlpatterns = [
    # The section's front page, so the navigation stays lit on every coordinated-access page.
    path("", views.by_name_list, name="by_name_list"),
    path("by-name-list/export.csv", views.by_name_export, name="by_name_export"),
    path("by-name-list/<int:pk>/status/", views.status_change, name="status_change"),
    path("by-name-list/<int:pk>/contact/", views.contact_record, name="contact_record"),
    path("flow/", views.flow, name="flow"),
    path("flow/<int:year>/<int:month>/", views.flow_people, name="flow_people"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/<int:referral_pk>/intake/", views.intake_start, name="intake_start"),
    path("referrals/<int:referral_pk>/withdraw/", views.referral_withdraw, name="referral_withdraw"),
    path("intakes/<int:intake_pk>/", views.intake_detail, name="intake_detail"),
    # Prioritisation (A5) and what matching reads of a person (A2).
    path("policies/", views_policy.policy_list, name="policy_list"),
    path("policies/new/", views_policy.policy_create, name="policy_create"),
    path("policies/<int:pk>/", views_policy.policy_detail, name="policy_detail"),
    path("policies/<int:pk>/activate/", views_policy.policy_activate, name="policy_activate"),
    path("by-name-list/<int:pk>/profile/", views_policy.profile_edit, name="profile_edit"),
    path("by-name-list/<int:pk>/rank/", views_policy.rank_explanation, name="rank_explanation"),
    # The homelessness history chronic status and days homeless come from (A4, A5); also before the list.
    path(
        "people/<int:pk>/homelessness-history/",
        views_history.homelessness_history,
        name="homelessness_history",
    ),
    # Openings, matching and matches (A6), and eligibility for one person (A2).
    path("openings/", views_matching.opening_list, name="opening_list"),
    path("openings/new/", views_matching.opening_create, name="opening_create"),
    path("openings/run/", views_matching.matching_run, name="matching_run"),
    path("openings/<int:pk>/", views_matching.opening_detail, name="opening_detail"),
    path("openings/<int:pk>/cancel/", views_matching.opening_cancel, name="opening_cancel"),
    path("matches/", views_matching.match_list, name="match_list"),
    path("matches/<int:pk>/", views_matching.match_detail, name="match_detail"),
    path("matches/<int:pk>/step/", views_matching.match_step, name="match_step"),
    path("eligibility/<int:pk>/", views_matching.eligibility_for_person, name="eligibility"),
]
