import pytest

from app.core.redirects import safe_next_url


@pytest.mark.parametrize("candidate", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)",
                                       "evil.example", "", None])
def test_off_site_or_odd_targets_fall_back_to_the_default(candidate):
    assert safe_next_url(candidate, default="/") == "/"


# issue 12 item 9: a CR/LF in next= made the redirect raise (a 500); browsers drop tabs and newlines and read
# a backslash as a slash, so these would also lead off-site once the browser cleaned them up.
@pytest.mark.parametrize("candidate", ["/documents\r\nSet-Cookie: x=1", "/a\nb", "/\t/evil.example",
                                       "/\r//evil.example", "/x\x00y", "/x\x7fy", "/x\x85y",
                                       "/\\evil.example", "\\\\evil.example"])
def test_control_characters_and_backslashes_fall_back_to_the_default(candidate):
    assert safe_next_url(candidate, default="/") == "/"


def test_same_site_paths_are_kept():
    assert safe_next_url("/admin/users?unit=3", default="/") == "/admin/users?unit=3"
    assert safe_next_url("/search?q=%E0%B8%9B%E0%B9%88%E0%B8%B2", default="/") == "/search?q=%E0%B8%9B%E0%B9%88%E0%B8%B2"
    assert safe_next_url("/search?q=ป่าไม้", default="/") == "/search?q=ป่าไม้"
