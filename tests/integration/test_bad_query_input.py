"""Issue 17 item 5: links people edit by hand or paste broken (huge pages, huge or negative ids, years
with too many digits, a unit they may not search) answer with a page and a message, never a server error."""
import pytest

from tests.factories import make_unit, make_user

HUGE = "9" * 30


@pytest.fixture
def clerk():
    return make_user(unit=make_unit(name_th="กองคลังลิงก์เสีย"), roles=("clerk",))


@pytest.mark.parametrize("path", [
    f"/documents?page={HUGE}", "/documents?page=-5", "/documents?page=abc", f"/documents?year={HUGE}",
    "/documents?year=๒๕๖๙", f"/documents/999999?unit={HUGE}",
    f"/dashboard/open?page={HUGE}&unit={HUGE}&type={HUGE}", "/dashboard/open?unit=-1",
    f"/letters/new?template={HUGE}",
])
def test_a_hand_edited_link_never_gives_a_server_error(client, login, clerk, path):
    login(client, clerk)
    assert client.get(path).status_code in (200, 302, 403, 404)


@pytest.mark.parametrize("path", [f"/admin/units/new?parent={HUGE}", f"/admin/users?unit={HUGE}",
                                  f"/admin/users/new?unit={HUGE}", f"/admin/registers?unit={HUGE}"])
def test_admin_links_with_huge_ids_show_the_page(client, login, path):
    login(client, make_user(roles=("admin",)))
    assert client.get(path).status_code == 200


def test_exporting_a_unit_one_may_not_search_says_so_instead_of_failing(client, login, clerk):
    other = make_unit(name_th="กองช่างที่ค้นไม่ได้")
    login(client, clerk)
    response = client.get(f"/search/export.xlsx?unit={other.id}&q=งบ")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert 'data-testid="search-error"' in response.get_data(as_text=True)



@pytest.mark.parametrize("query", [
    "dated_from=0001-01-01", "dated_to=9999-12-31", "received_from=0001-01-01&received_to=9999-12-31",
    f"year={HUGE}", f"unit={HUGE}", f"page={HUGE}", "dated_from=2569-13-45", "dated_from=๒๕๖๙-๐๑-๐๑",
    "q=" + "ก" * 5000, "q=%00%01%02", "sort=nonsense&dir=sideways",
])
def test_search_with_odd_filters_answers_with_a_page(client, login, clerk, query):
    login(client, clerk)
    assert client.get(f"/search?{query}").status_code == 200
    assert client.get(f"/search/export.xlsx?{query}").status_code == 200
