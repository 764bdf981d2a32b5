"""The OpenAPI schema tells the truth about each operation's answers (tests/test_api_fuzz.py
checks every live answer against it; these pin the fixes it led to)."""

import pytest

from grids.tests.factories import make_staff


@pytest.fixture
def schema(client, tree):
    client.force_login(make_staff(tree["district"]))
    return client.get("/api/schema/", {"format": "json"}).json()["paths"]


def _ref(response) -> str:
    return response["content"]["application/json"]["schema"].get("$ref", "")


def test_error_answers_are_documented_where_they_can_happen(schema):
    assert set(schema["/api/veterans/{id}/"]["get"]["responses"]) == {"200", "401", "403", "404"}
    assert set(schema["/api/veterans/"]["get"]["responses"]) == {"200", "400", "401", "403", "404"}
    assert set(schema["/api/wishes/{id}/publish/"]["post"]["responses"]) == {"200", "400", "401", "403", "404"}
    assert "404" in schema["/api/statistics/"]["get"]["responses"]
    assert _ref(schema["/api/grids/{id}/"]["get"]["responses"]["404"]).endswith("/ErrorDetail")


def test_bodies_are_the_ones_sent(schema):
    veteran = schema["/api/veterans/{id}/"]
    for method in ("put", "patch"):
        assert _ref(veteran[method]["responses"]["200"]).endswith("/VeteranDetail")
    assert _ref(schema["/api/veterans/"]["post"]["responses"]["201"]).endswith("/VeteranDetail")
    remove = schema["/api/veterans/{id}/remove/"]["post"]["responses"]
    assert set(remove) == {"204", "400", "401", "403", "404", "415"}
    completeness = schema["/api/veterans/completeness/"]["get"]
    assert completeness["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert [p["name"] for p in completeness["parameters"]] == ["level"]
    assert _ref(schema["/api/wishes/coverage/"]["get"]["responses"]["200"]).endswith("/Coverage")
    assert {p["name"] for p in schema["/api/visits/due/"]["get"]["parameters"]} == {"page", "page_size", "q"}


def test_an_api_path_no_route_matches_answers_json(client, tree):
    client.force_login(make_staff(tree["district"]))
    response = client.get("/api/veterans/1.5/")
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_an_accept_header_no_renderer_satisfies_gets_json_not_a_406(client, tree):
    from grids.tests.factories import make_staff

    client.force_login(make_staff(tree["district"]))
    response = client.get("/api/veterans/", HTTP_ACCEPT="-9dOU#kIv~[xl@HrL%9yZMv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert client.get("/api/veterans/", {"format": "yaml"}).status_code == 404
