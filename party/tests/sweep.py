"""The party rows of the scope sweep's outside world (tests/sweep_world.py): a pocket member named
`marker` in `grid`, followed up with a step, under a branch of the grid's community, and marked
at one of its meetings."""

from django.utils import timezone

from grids.scoping import SYSTEM
from party.models import OrganisationLife, PartyMember, PartyOrganisation
from party.services import followup_open, followup_step_add, life_record, membership_add, organisation_save
from veterans.tests.factories import make_veteran


def build_party_outside(*, grid, marker: str) -> dict:
    today = timezone.localdate()
    person = make_veteran(grid, name=marker, phone="13911112224", is_party_member=True, party_relation="pocket")
    branch = organisation_save(
        organisation=PartyOrganisation(name=f"{marker}党支部", kind="branch", community=grid.community),
        acting_user=SYSTEM,
    )
    follow_up = followup_open(person=person, acting_user=SYSTEM, opened_on=today)
    step = followup_step_add(follow_up=follow_up, on=today, kind="contact", note=marker, acting_user=SYSTEM)
    membership = membership_add(person=person, organisation=branch, joined_on=today, acting_user=SYSTEM)
    life: OrganisationLife = life_record(
        organisation=branch, kind="lecture", held_on=today, topic=marker, acting_user=SYSTEM
    )
    return {
        "party_organisation": branch,
        "party_followup": follow_up,
        "party_step": step,
        "party_membership": membership,
        "party_life": life,
        "party_attendance": life.attendance.get(),
        "party_member": PartyMember.objects.get(pk=person.pk),
    }
