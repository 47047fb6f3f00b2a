"""URLs of housing."""

from django.urls import path

from ancrage.housing import views, views_support
from ancrage.housing import views_tenancies as tenancies
from ancrage.housing.book import views as book_views

app_name = "housing"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/hold/", views.unit_hold, name="unit_hold"),
    path("units/<int:pk>/release/", views.unit_release, name="unit_release"),
    path("units/<int:pk>/offer/", views.unit_offer, name="unit_offer"),
    # The landlords' book (housing-book): landlords, buildings, contacts, complaints, the availability list.
    path("", book_views.housing_home, name="home"),
    path("landlords/", book_views.landlord_list, name="landlord_list"),
    path("landlords/new/", book_views.landlord_create, name="landlord_create"),
    path("landlords/<int:landlord_pk>/", book_views.landlord_detail, name="landlord_detail"),
    path("landlords/<int:landlord_pk>/edit/", book_views.landlord_edit, name="landlord_edit"),
    path("landlords/<int:landlord_pk>/retire/", book_views.landlord_retire, name="landlord_retire"),
    path(
        "landlords/<int:landlord_pk>/representatives/new/",
        book_views.representative_add,
        name="representative_add",
    ),
    path("landlords/<int:landlord_pk>/buildings/new/", book_views.building_create, name="building_create"),
    path("buildings/<int:building_pk>/edit/", book_views.building_edit, name="building_edit"),
    path("landlords/<int:landlord_pk>/contacts/new/", book_views.contact_create, name="contact_create"),
    path("landlords/<int:landlord_pk>/complaints/new/", book_views.complaint_create, name="complaint_create"),
    path("complaints/", book_views.complaint_list, name="complaint_list"),
    path("complaints/<int:complaint_pk>/respond/", book_views.complaint_respond, name="complaint_respond"),
    path("complaints/<int:complaint_pk>/resolve/", book_views.complaint_resolve, name="complaint_resolve"),
    path("availability/", book_views.availability, name="availability"),
    # Choice, tenancies, inspections, eviction and rehousing (C3, C4, C8).
    path("tenancies/", tenancies.tenancy_list, name="tenancy_list"),
    path("tenancies/<int:pk>/", tenancies.tenancy_detail, name="tenancy_detail"),
    path("tenancies/<int:pk>/renew/", tenancies.tenancy_renew, name="tenancy_renew"),
    path("tenancies/<int:pk>/end/", tenancies.tenancy_end, name="tenancy_end"),
    path("tenancies/<int:pk>/eviction/", tenancies.eviction_create, name="eviction_create"),
    path("tenancies/<int:pk>/inspections/new/", tenancies.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/photos/new/", tenancies.photo_add, name="photo_add"),
    path("photos/<int:pk>/", tenancies.photo_view, name="photo_view"),
    path("participants/<int:pk>/", tenancies.participant_housing, name="participant_housing"),
    path("participants/<int:pk>/search/", tenancies.search_start, name="search_start"),
    path("participants/<int:pk>/lease/", tenancies.lease_create, name="lease_create"),
    path("participants/<int:pk>/stays/new/", tenancies.stay_create, name="stay_create"),
    path("searches/<int:pk>/offer/", tenancies.option_offer, name="option_offer"),
    path("options/<int:pk>/rank/", tenancies.option_rank, name="option_rank"),
    path("options/<int:pk>/step/", tenancies.option_step, name="option_step"),
    path("stays/<int:pk>/", tenancies.stay_detail, name="stay_detail"),
]

# The rent payment service (C5): the months, a month's roll, its payments, a tenancy's account, statements.
from ancrage.housing.rent import views as rent_views  # noqa: E402

urlpatterns += [
    path("rent/", rent_views.rent_home, name="rent_home"),
    path("rent/generate/", rent_views.roll_generate, name="rent_generate"),
    path("rent/rolls/<int:pk>/", rent_views.roll_detail, name="rent_roll"),
    path("rent/rolls/<int:pk>/approve/", rent_views.roll_approve, name="rent_roll_approve"),
    path("rent/rolls/<int:pk>/regenerate/", rent_views.roll_regenerate, name="rent_roll_regenerate"),
    path("rent/rolls/<int:pk>/close/", rent_views.roll_close, name="rent_roll_close"),
    path("rent/rolls/<int:pk>/export/", rent_views.roll_export, name="rent_roll_export"),
    path("rent/rolls/<int:pk>/landlords/<int:landlord_pk>/pay/", rent_views.payment_create, name="rent_pay"),
    path(
        "rent/rolls/<int:pk>/landlords/<int:landlord_pk>/carry/", rent_views.landlord_carry, name="rent_carry"
    ),
    path("rent/payments/<int:pk>/reconcile/", rent_views.payment_reconcile, name="rent_reconcile"),
    path("rent/tenancies/<int:pk>/", rent_views.tenancy_account, name="rent_account"),
    path("rent/tenancies/<int:pk>/receipts/", rent_views.receipt_create, name="rent_receipt"),
    path("rent/tenancies/<int:pk>/plans/", rent_views.plan_create, name="rent_plan"),
    path("rent/landlords/<int:landlord_pk>/statement/", rent_views.landlord_statement, name="rent_statement"),
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
