"""Each living file's paired_staff (一对一结对人, a staff account) becomes a Pair, so the pairs made
before this app count too. The field itself is kept (the archive card and the ledgers read it)
and kept in step by pairing.services from now on. The file's creation day stands for the unknown
start of the pair (not before birth)."""

from django.db import migrations
from django.utils import timezone

GRID_ROLES = {"grid_worker", "grid_leader"}


def pairs_from_paired_staff(apps, schema_editor):
    veteran_model = apps.get_model("veterans", "Veteran")
    pair_model = apps.get_model("pairing", "Pair")
    people = veteran_model.objects.filter(
        paired_staff__isnull=False, removed_at__isnull=True, life_status="alive"
    ).select_related("paired_staff__user")
    pairs = []
    for person in people.iterator(chunk_size=2000):
        staff = person.paired_staff
        kind = "grid_worker" if staff.role in GRID_ROLES else "cadre"
        if pair_model.objects.filter(veteran_id=person.pk, partner_kind=kind, active=True).exists():
            continue
        started = max(timezone.localtime(person.created_at).date(), person.birth_date)
        pairs.append(
            pair_model(
                veteran_id=person.pk,
                partner_kind=kind,
                partner_name=(staff.user.first_name or staff.user.username)[:50],
                partner_user_id=staff.user_id,
                started_on=started,
                active=True,
                note="由原“一对一结对人”转入",
                created_by_id=staff.user_id,
                district_id=person.district_id,
                street_id=person.street_id,
                community_id=person.community_id,
                grid_id=person.grid_id,
            )
        )
    pair_model.objects.bulk_create(pairs, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("pairing", "0002_defaults")]

    operations = [migrations.RunPython(pairs_from_paired_staff, migrations.RunPython.noop)]
