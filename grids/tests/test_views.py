from django.urls import reverse

from grids.tests.factories import PASSWORD, make_staff


def test_anonymous_home_goes_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse("login")


def test_grid_worker_logs_in_and_sees_own_grid_and_team(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]], username="w1")
    make_staff(grids=[tree["grid_a11"]], username="w2")
    make_staff(grids=[tree["grid_b11"]], username="w_other")
    response = client.post(reverse("login"), {"username": "w1", "password": PASSWORD})
    assert response.status_code == 302
    landing = client.get(response.url, follow=True)
    assert landing.redirect_chain[-1][0] == reverse("mobile:home")
    response = client.get(reverse("my_grid"))
    body = response.content.decode()
    assert response.status_code == 200
    assert tree["grid_a11"].name in body
    assert tree["grid_b11"].name not in body
    assert worker.first_name in body


def test_station_staff_home_is_the_admin(client, tree):
    client.force_login(make_staff(tree["street_a"]))
    assert client.get("/").url == reverse("admin:index")


def test_my_grid_page_query_count_is_bounded(client, tree, django_assert_max_num_queries):
    user = make_staff(grids=[tree["grid_a11"], tree["grid_a12"]])
    for _ in range(5):
        make_staff(grids=[tree["grid_a11"]])
    client.force_login(user)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("my_grid")).status_code == 200
