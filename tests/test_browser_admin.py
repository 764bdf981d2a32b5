"""The Chinese admin in a real headless Chromium: log in, see only one's own grids."""

import os

import pytest

from grids.tests.factories import PASSWORD, GridFactory, make_staff


@pytest.mark.browser
def test_station_staff_log_in_and_see_their_grids_in_chinese(chromium_page, live_server, output_path):
    mine = GridFactory(name="朝阳里第一网格")
    GridFactory(community=mine.community, name="朝阳里第二网格")
    GridFactory(name="别处的网格")
    user = make_staff(mine.community)
    page = chromium_page

    page.goto(f"{live_server.url}/admin/")
    assert "登录" in page.content()
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    assert "退役军人网格化服务管理" in page.inner_text("#site-name")

    page.goto(f"{live_server.url}/admin/grids/grid/")
    table = page.inner_text("#result_list")
    assert "朝阳里第一网格" in table and "朝阳里第二网格" in table
    assert "别处的网格" not in table
    os.makedirs(output_path, exist_ok=True)
    page.screenshot(path=os.path.join(output_path, "grid-list.png"), full_page=True)


@pytest.mark.browser
def test_wrong_password_shows_a_chinese_error(chromium_page, live_server):
    page = chromium_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong")
    page.click("input[type=submit]")
    assert "请输入" in page.inner_text(".errornote")
