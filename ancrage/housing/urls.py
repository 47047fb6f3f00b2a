"""URLs of housing."""

from django.urls import path

from ancrage.housing import views

app_name = "housing"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/hold/", views.unit_hold, name="unit_hold"),
    path("units/<int:pk>/release/", views.unit_release, name="unit_release"),
    path("units/<int:pk>/offer/", views.unit_offer, name="unit_offer"),
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
]
