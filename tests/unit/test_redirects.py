import pytest

from app.core.redirects import safe_next_url


@pytest.mark.parametrize("candidate", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)",
                                       "evil.example", "", None])
def test_off_site_or_odd_targets_fall_back_to_the_default(candidate):
    assert safe_next_url(candidate, default="/") == "/"


def test_same_site_paths_are_kept():
    assert safe_next_url("/admin/users?unit=3", default="/") == "/admin/users?unit=3"
