"""One permission check for pages and API endpoints: core.permissions.check_permission."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from ancrage.core.permissions import check_permission, require_permission

SOURCE = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_check_permission_lets_the_holder_through_and_refuses_others(case_manager_a):
    check_permission(case_manager_a, "casework.view")
    with pytest.raises(PermissionDenied):
        check_permission(case_manager_a, "core.configure")


def test_a_misspelt_permission_fails_loudly_on_pages_and_apis():
    with pytest.raises(ValueError, match="Unknown permission"):
        check_permission(object(), "casework.veiw")
    with pytest.raises(ValueError, match="Unknown permission"):
        require_permission("casework.veiw")


def test_no_api_module_keeps_its_own_copy_of_the_check():
    modules = [*sorted(SOURCE.glob("*/api*.py")), *sorted(SOURCE.glob("*/*/api.py")), SOURCE / "api.py"]
    assert len(modules) >= 10
    for path in modules:
        text = path.read_text()
        assert not re.search(r"has_ancrage_perm\([^)]*\):\s*\n\s*raise PermissionDenied", text), path
        assert "def _require(" not in text, path
