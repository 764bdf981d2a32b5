"""The catalogue's import from .xlsx: new items added, known ones updated, a bad file changes
nothing and names its bad rows."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from projects.models import ServiceItem
from veterans.tests.xlsx_helpers import xlsx_file

pytestmark = pytest.mark.django_db
HEADERS = ["序号", "服务事项", "服务层级", "服务类别", "服务内容"]


def _upload(rows):
    return xlsx_file(rows, headers=HEADERS, name="服务清单.xlsx")


def test_the_station_imports_the_catalogue(client, people, item):
    client.force_login(people["station"])
    changelist = client.get(reverse("admin:projects_serviceitem_changelist")).content.decode()
    url = reverse("admin:projects_serviceitem_import")
    assert url in changelist
    rows = [
        {"序号": 1, "服务事项": "上门健康体检", "服务层级": "镇街级", "服务类别": "医疗健康", "服务内容": "每年两次"},
        {"序号": 2, "服务事项": "高龄老兵上门理发", "服务层级": "村社", "服务类别": "生活照料"},
        {"序号": 3, "服务事项": "优待证办理", "服务层级": "区县级"},
    ]
    response = client.post(url, {"file": _upload(rows)})
    assert response.status_code == 302
    assert ServiceItem.objects.count() == 3
    item.refresh_from_db()
    assert item.description == "每年两次"
    assert ServiceItem.objects.get(name="优待证办理").get_category_display() == "其他"
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_a_bad_row_changes_nothing_and_is_named(client, people):
    client.force_login(people["station"])
    rows = [
        {"序号": 1, "服务事项": "上门理发", "服务层级": "村社级"},
        {"序号": 2, "服务事项": "陪同就医", "服务层级": "省级"},
    ]
    response = client.post(reverse("admin:projects_serviceitem_import"), {"file": _upload(rows)})
    page = response.content.decode()
    assert response.status_code == 200 and "第3行" in page and "省级" in page
    assert not ServiceItem.objects.exists()


def test_a_grid_worker_may_not_import(client, people):
    client.force_login(people["worker"])
    response = client.get(reverse("admin:projects_serviceitem_import"))
    assert response.status_code in (302, 403)
