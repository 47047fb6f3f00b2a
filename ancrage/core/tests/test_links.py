"""A row's link made once a page is the link `reverse` makes for that row."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from ancrage.access.views import ROW_LINKS
from ancrage.core.links import row_link


@pytest.mark.parametrize(
    "name", sorted({*ROW_LINKS.values(), "casework:contact_create", "casework:visit_plan"})
)
@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_row_link_is_what_reverse_gives(name, language):
    with translation.override(language):
        link = row_link(name)
        for pk in (1, 7, 42, 100000, 2_147_483_647):
            assert link(pk) == reverse(name, args=[pk])


def test_row_link_takes_only_a_number():
    with pytest.raises(ValueError):
        row_link("people:detail")("1/../../admin")
