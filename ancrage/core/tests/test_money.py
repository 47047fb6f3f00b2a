from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from ancrage.core.money import format_money


@pytest.mark.parametrize(
    ("amount", "language", "expected"),
    [
        (Decimal("850"), "fr", "850,00\xa0$"),
        (Decimal("14000"), "fr", "14\xa0000,00\xa0$"),
        (Decimal("1234567.891"), "fr", "1\xa0234\xa0567,89\xa0$"),
        (Decimal("850"), "en", "$850.00"),
        (Decimal("14000"), "en", "$14,000.00"),
        (Decimal("-42.5"), "en", "-$42.50"),
        (Decimal("-42.5"), "fr-ca", "-42,50\xa0$"),
        ("12.345", "en", "$12.35"),  # half up
        (0, "en", "$0.00"),
        (None, "en", "—"),
        ("", "fr", "—"),
        ("=HYPERLINK(1)", "fr", "—"),
    ],
)
def test_amounts_read_as_each_language_writes_them(amount, language, expected):
    assert format_money(amount, language=language) == expected


def test_the_filter_follows_the_active_language():
    template = Template("{% load ancrage_money %}{{ amount|money }}")
    with translation.override("en"):
        assert template.render(Context({"amount": Decimal("850")})) == "$850.00"
    with translation.override("fr-ca"):
        assert template.render(Context({"amount": Decimal("850")})) == "850,00\xa0$"
