"""The one pager include: its links keep the list's search and filters and change only the page."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_pager_links_keep_search_and_filters_and_change_only_the_page():
    request = RequestFactory().get("/m/", {"q": "张", "stage": "review", "page": "2"})
    page = Paginator(range(45), 20).page(2)
    html = render_to_string("includes/pager.html", {"page": page}, request=request)
    assert 'href="?q=%E5%BC%A0&amp;stage=review&amp;page=1"' in html
    assert 'href="?q=%E5%BC%A0&amp;stage=review&amp;page=3"' in html
    assert "2 / 3" in html


def test_pager_is_absent_when_everything_fits_on_one_page():
    request = RequestFactory().get("/m/")
    page = Paginator(range(5), 20).page(1)
    assert "pager" not in render_to_string("includes/pager.html", {"page": page}, request=request)
