"""Pages never answer a server error on hostile input (issue 10, part 5): a NUL byte in a search is a form
error that names the box; a page number past the last is the last page; free text is bounded by a setting."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from ancrage.casework.contacts.forms import ContactForm
from ancrage.core.forms import SearchForm

pytestmark = pytest.mark.django_db


def test_a_nul_byte_in_the_participant_search_is_an_error_next_to_the_box(
    client_for, case_manager_a, participant_a
):
    response = client_for(case_manager_a).get("/participants/", {"q": "Gag\x00non"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nom, alias ou identifiant : Les caractères nuls ne sont pas autorisés." in html
    assert 'aria-invalid="true"' in html
    # The search did not run on what the box held: nobody is hidden or found by a NUL.
    assert "\x00" not in html


def test_a_search_longer_than_the_box_is_an_error(client_for, case_manager_a):
    response = client_for(case_manager_a).get("/participants/", {"q": "x" * 5000})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_huge_page_number_says_the_page_is_empty_and_leads_back(client_for, case_manager_a, participant_a):
    # Lists no longer count every visible row (issue 16): a page past the end says so and offers the first.
    response = client_for(case_manager_a).get("/participants/", {"page": "99999999999999999999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aucun résultat sur cette page." in html
    assert "Première page" in html
    assert "Gagnon" in client_for(case_manager_a).get("/participants/", {"page": "1"}).content.decode()


def test_the_search_form_says_why_in_english_too():
    with translation.override("en"):
        form = SearchForm({"q": "a\x00"}, label="Name")
        assert form.query == ""
        assert form.error == "Name: " + gettext("Null characters are not allowed.")


def test_a_note_longer_than_the_setting_is_a_form_error(settings):
    settings.ANCRAGE = {**settings.ANCRAGE, "NOTE_MAX_LENGTH": 20}
    from ancrage.accounts.models import User
    from ancrage.casework.models import Goal

    form = ContactForm({"shared_note": "n" * 21}, goals=Goal.objects.none(), staff=User.objects.none())
    form.is_valid()
    assert "shared_note" in form.errors
    assert form.fields["shared_note"].widget.attrs["maxlength"] == "20"
