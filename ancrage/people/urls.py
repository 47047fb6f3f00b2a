"""URLs of the participant registry."""

from django.urls import path

from ancrage.people import views

app_name = "people"

urlpatterns = [
    path("", views.participant_list, name="list"),
    path("new/", views.participant_create, name="create"),
    path("consents/expiring/", views.consents_expiring, name="consents_expiring"),
    path("duplicates/", views.duplicate_worklist, name="duplicate_worklist"),
    path("merges/<int:merge_pk>/undo/", views.merge_undo, name="merge_undo"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/edit/", views.participant_edit, name="edit"),
    path("<int:pk>/transfer/", views.participant_transfer, name="transfer"),
    path("<int:pk>/add/<slug:kind>/", views.participant_add_related, name="add_related"),
    path("<int:pk>/consents/new/", views.consent_create, name="consent_create"),
    path("<int:pk>/consents/<int:consent_pk>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
    path("<int:pk>/photo/", views.participant_photo, name="photo"),
    path("<int:pk>/history/", views.participant_history, name="history"),
    path("<int:pk>/who-saw/", views.who_saw_my_file, name="who_saw"),
    path("<int:pk>/duplicates/", views.participant_duplicates, name="duplicates"),
    path("<int:pk>/merge/<int:other_pk>/", views.participant_merge, name="merge"),
]
