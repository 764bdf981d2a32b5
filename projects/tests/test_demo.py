from io import StringIO

from django.core.management import call_command

from projects.models import ProjectStatus, ServiceEvaluation, ServiceItem, ServiceNeed, ServiceProject


def test_demo_projects_cover_every_status_and_the_three_levels(db):
    call_command(
        "seed_demo", "--streets", "2", "--communities", "4", "--grids", "8", "--veterans", "120", stdout=StringIO()
    )
    call_command("seed_demo", "--service-projects", "16", stdout=StringIO())
    assert ServiceItem.objects.count() == 30
    assert set(ServiceItem.objects.values_list("level", flat=True)) == {"county", "town", "village"}
    assert ServiceProject.objects.count() == 16
    assert set(ServiceProject.objects.values_list("status", flat=True)) == set(ProjectStatus.values)
    assert ServiceEvaluation.objects.exists()
    assert ServiceNeed.objects.filter(project__isnull=True).exists()
