"""URLs of recovery plans, goals, steps and reviews (B4, B5)."""

from django.urls import URLPattern, path

from ancrage.casework.plans import views

urlpatterns: list[URLPattern] = [
    path("participants/<int:pk>/plan/", views.plan_detail, name="plan"),
    path("participants/<int:pk>/plan/start/", views.plan_start, name="plan_start"),
    path("participants/<int:pk>/plan/edit/", views.plan_edit, name="plan_edit"),
    path("participants/<int:pk>/plan/goals/new/", views.goal_add, name="goal_add"),
    path("participants/<int:pk>/plan/goals/<int:goal_pk>/", views.goal_edit, name="goal_edit"),
    path("participants/<int:pk>/plan/goals/<int:goal_pk>/steps/new/", views.step_add, name="step_add"),
    path("participants/<int:pk>/plan/steps/<int:step_pk>/", views.step_edit, name="step_edit"),
    path("participants/<int:pk>/plan/review/", views.plan_review, name="plan_review"),
    path("participants/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
]
