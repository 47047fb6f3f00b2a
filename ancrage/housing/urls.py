"""URLs of housing."""

from django.urls import path

from ancrage.housing import views, views_support

app_name = "housing"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/hold/", views.unit_hold, name="unit_hold"),
    path("units/<int:pk>/release/", views.unit_release, name="unit_release"),
    path("units/<int:pk>/offer/", views.unit_offer, name="unit_offer"),
    # Move-in support, budgets and outcomes (C6, C7, C9)
    path("furniture/", views_support.furniture_bank, name="furniture_bank"),
    path("furniture/items/new/", views_support.furniture_item_create, name="furniture_item_create"),
    path("furniture/stock/", views_support.furniture_stock, name="furniture_stock"),
    path("furniture/reserve/", views_support.furniture_reserve, name="furniture_reserve"),
    path("furniture/delivery/", views_support.furniture_delivery_book, name="furniture_delivery_book"),
    path(
        "furniture/deliveries/<int:delivery_pk>/status/",
        views_support.furniture_delivery_status,
        name="furniture_delivery_status",
    ),
    path("budgets/", views_support.budget_overview, name="budgets"),
    path("budgets/lines/", views_support.budget_line_set, name="budget_line_set"),
    path("budgets/expenses/new/", views_support.expense_create, name="expense_create"),
    path("outcomes/", views_support.outcomes_page, name="outcomes"),
    path("outcomes/people/", views_support.outcomes_people, name="outcomes_people"),
    path("outcomes/export/", views_support.outcomes_export, name="outcomes_export"),
]
