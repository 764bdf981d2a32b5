"""The world of the scope sweep: one of everything a user could reach by id, placed where a
given user has no scope. Built through the real services, as the users would build it."""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from appeals.models import AppealCategory
from appeals.services import appeal_open
from assistance.models import CaseType, FundLevel
from assistance.services import case_attach, case_open, case_step, fund_create, fund_receive
from confirmations.services import confirmation_confirm, confirmation_round_open, spot_check_record, spot_check_start
from dashboard.models import StatisticsExport
from employment.models import EmploymentBase, JobFair
from employment.services import (
    employment_base_save,
    employment_profile_register,
    fair_attendance_record,
    job_fair_save,
    job_referral_create,
)
from employment.tests.factories import make_employer
from exports.services import export_build, export_start
from grids.models import Role
from grids.scoping import SYSTEM
from grids.tests.factories import GridFactory, make_staff
from honours.services import merit_notice_receive, nomination_add, selection_open
from maps.boundaries import boundaries_save
from maps.homes import home_set
from maps.models import AreaBoundary
from maps.tiling import rectangle
from merging.finder import pairs_find
from merging.models import DuplicatePair
from offline.selectors import file_version
from offline.services import veteran_phone_update
from pairing.models import CoveragePerson
from pairing.services import pair_contact_record, pair_gift_record, pair_start
from party.tests.sweep import build_party_outside
from printing.models import PrintBatch
from projects.models import ServedPerson
from projects.services import evaluation_record, need_record, project_deliver, project_propose, project_review
from referrals.tests.factories import make_provider, make_referral, make_team, make_volunteer
from training.services import attendance_record, course_create, enrolment_create, provider_save
from transfers.services import transfer_start
from veterans.models import VeteranImport
from veterans.services import veteran_update
from veterans.tests.factories import make_veteran
from visits.models import Campaign, EventKind, GridActivity, Visit, WebhookChannel
from visits.services import (
    campaign_create,
    grid_activity_record,
    must_visit_event_report,
    visit_record,
    webhook_channel_save,
)
from wishes.services import wish_claim, wish_collect, wish_fulfil, wish_publish

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def first_choice(model, field: str) -> str:
    return model._meta.get_field(field).choices[0][0]


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 10)).save(buffer, format="JPEG")
    return SimpleUploadedFile("done.jpg", buffer.getvalue(), content_type="image/jpeg")


def build_outside(*, district, grid, marker: str) -> dict:
    """Everything of one veteran in `grid` (with a fund of `district`), keyed as the sweep maps
    URLs to objects. `marker` is the veteran's name: it must never appear in a refused response."""
    station = make_staff(district, role=Role.STATION_STAFF)
    leader_station = make_staff(district, role=Role.STATION_STAFF)  # a second confirmer (spot check)
    leader = make_staff(district, role=Role.BUREAU_LEADER)
    worker = make_staff(grids=[grid])
    veteran = make_veteran(grid, name=marker, phone="13911112222", receives_regular_subsidy=True)
    today = timezone.localdate()
    visit, _created = visit_record(veteran=veteran, acting_user=worker, method="home", findings=marker)
    event = must_visit_event_report(veteran=veteran, kind=EventKind.values[0], occurred_on=today, acting_user=worker)
    activity = grid_activity_record(
        grid=grid,
        held_on=today,
        kind=first_choice(GridActivity, "kind"),
        title=marker,
        participants=3,
        acting_user=worker,
    )
    case_type = CaseType.objects.order_by("id").first()
    case = case_open(
        veteran=veteran,
        case_type=case_type,
        description=marker,
        reported_on=today,
        amount_requested=case_type.min_amount,
        acting_user=worker,
    )
    attachment = case_attach(
        case=case, upload=SimpleUploadedFile("诊断.pdf", PDF), kind="diagnosis", acting_user=worker
    )
    fund = fund_create(name=f"{marker}基金", level=FundLevel.DISTRICT, district=district, acting_user=leader)
    entry = fund_receive(
        fund=fund, kind="donation", amount="1000", acting_user=station, donor_kind="person", donor_name=marker
    )
    # A second case, paid: what the payment notice (printing:notice) prints.
    paid_case = case_open(
        veteran=veteran,
        case_type=case_type,
        description=marker,
        reported_on=today,
        amount_requested=case_type.min_amount,
        acting_user=worker,
    )
    for action, actor in (("submit", worker), ("review", station), ("approve", leader)):
        paid_case = case_step(case=paid_case, action=action, acting_user=actor)
    paid_case = case_step(case=paid_case, action="pay", acting_user=leader_station, fund=fund)
    category = AppealCategory.objects.order_by("id").first()
    appeal = appeal_open(
        veteran=veteran,
        category=category,
        channel="phone",
        subject=marker,
        content=marker,
        received_on=today,
        acting_user=worker,
    )
    wish = wish_collect(
        veteran=veteran,
        title=marker,
        estimated_value="100",
        acting_user=worker,
        collected_on=today - datetime.timedelta(days=2),
    )
    wish = wish_publish(wish=wish, acting_user=station)
    wish = wish_claim(
        wish=wish,
        donor_kind="person",
        donor_name="某先生",
        donor_phone="13900001111",
        claimed_on=today - datetime.timedelta(days=1),
        acting_user=station,
    )
    wish = wish_fulfil(wish=wish, fulfilled_on=today, note=marker, photo=_photo(), acting_user=worker)
    export = StatisticsExport.objects.create(
        requested_by=leader, level="district", area_id=district.pk, rows_level="grid"
    )
    export_job = export_build(
        export_start(ledger_key="visits", queryset=Visit.objects.filter(grid=grid), acting_user=station).pk
    )
    print_batch = PrintBatch.objects.create(
        requested_by=station, level="grid", area_id=grid.pk, area_name=grid.name, total=1, status="done"
    )
    campaign = campaign_create(
        name=marker,
        kind=first_choice(Campaign, "kind"),
        target=first_choice(Campaign, "target"),
        starts_on=today,
        ends_on=today + datetime.timedelta(days=10),
        area=grid.community,
        acting_user=station,
    )
    channel = webhook_channel_save(
        channel=WebhookChannel(),
        grid=grid,
        kind=first_choice(WebhookChannel, "kind"),
        url="https://example.invalid/hook",
        active=True,
        acting_user=station,
    )
    # Pending, from the veteran's grid to another grid of the same outside community: both ends
    # lie outside, so neither the ledger nor accept/reject may answer.
    transfer = transfer_start(
        veteran=veteran, to_grid=GridFactory(community=grid.community), reason=marker, acting_user=station
    )
    # A second file of the same person (same name and birth date): a near-duplicate pair.
    twin = make_veteran(grid, name=marker, phone="13911112223")
    pairs_find(acting_user=SYSTEM, veteran_ids=[twin.pk])
    pair = DuplicatePair.objects.get(first=veteran, second=twin)
    upload = VeteranImport(created_by=station, original_name=f"{marker}.xlsx")
    upload.file.save("veterans.xlsx", ContentFile(b"PK"), save=False)
    upload.save()
    confirmation_round = confirmation_round_open(
        district=district, year=today.year, deadline=datetime.date(today.year, 12, 31), acting_user=SYSTEM
    )
    confirmation = confirmation_confirm(veteran=veteran, method="in_person", notes=marker, acting_user=station)
    (spot_check,) = spot_check_start(year=today.year, share=1, seed=1, acting_user=leader_station)
    spot_check_record(spot_check=spot_check, passed=False, reason=marker, acting_user=leader_station)
    # A change from a phone that met the station's: an open conflict with both values.
    seen = file_version(veteran.pk)
    veteran_update(veteran=veteran, residence_address=f"{marker}旧址", acting_user=station)
    (conflict,) = veteran_phone_update(
        veteran=veteran, changes={"residence_address": f"{marker}新址"}, base_version=seen, acting_user=worker
    )
    # The district's list (district data: a sibling street shares it) and a referral of the person.
    team = make_team(district, name="红星团", acting_user=station)
    volunteer = make_volunteer(team, name="志愿者甲", acting_user=station)
    provider = make_provider(district, name="助老食堂", acting_user=station)
    referral = make_referral(veteran, provider, by=worker, referred_on=today, need=marker)
    # Honours: a round of the district (named without the marker: a sibling street shares it), the
    # veteran nominated in it, and a merit notice for the family waiting to be delivered.
    selection = selection_open(
        district=district, name=f"{today.year}年度最美退役军人", kind="most_beautiful", level="district",
        year=today.year, nomination_deadline=today + datetime.timedelta(days=30), acting_user=station,
    )  # fmt: skip
    nomination = nomination_add(
        selection=selection, veteran=veteran, nominated_by=marker, reason=marker, acting_user=station
    )
    merit_notice = merit_notice_receive(
        family=veteran, soldier_name=marker, unit=marker, merit_kind="third_class", received_on=today,
        acting_user=station,
    )  # fmt: skip
    # Skills training: the district's provider and course (no marker: the catalogue is public in
    # its district), and the veteran's enrolment with a day of attendance.
    training_provider = provider_save(
        name=f"{district.pk}号职业学校", kind="school", district=district, acting_user=station
    )
    training_course = course_create(
        provider=training_provider,
        title="电工技能培训",
        trade="电工",
        district=district,
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=10),
        enrol_deadline=today + datetime.timedelta(days=5),
        places=10,
        acting_user=station,
    )
    training_enrolment = enrolment_create(
        course=training_course, veteran=veteran, enrolled_on=today, acting_user=worker
    )
    attendance_record(enrolment=training_enrolment, day=today, present=True, acting_user=station)
    projects = _service_project_world(veteran, marker, station=station, leader=leader, worker=worker)
    pairing = pair_start(
        veteran=veteran, partner_kind="cadre", partner_name=marker, started_on=today, acting_user=station
    )
    pair_contact = pair_contact_record(pair=pairing, contacted_on=today, note=marker, acting_user=worker)
    pair_gift = pair_gift_record(pair=pairing, given_on=today, description=marker, acting_user=station)
    # The grid's boundary (a square of its own, apart from any other world's) and the home in it.
    west = 100 + (grid.pk % 2000) * 0.02  # within longitude's range, whatever the database's ids
    report = boundaries_save(
        level="grid", shapes=[(grid, rectangle((west, 39.0, west + 0.01, 39.01)))], acting_user=SYSTEM
    )
    assert not report.errors, report.errors
    boundary = AreaBoundary.objects.get(level="grid", grid=grid)
    home = home_set(veteran=veteran, longitude=f"{west + 0.005:.6f}", latitude="39.005", acting_user=station)
    return {
        **projects,
        "team": team,
        "volunteer": volunteer,
        "provider": provider,
        "referral": referral,
        "selection": selection,
        "nomination": nomination,
        "merit_notice": merit_notice,
        "training_provider": training_provider,
        "training_course": training_course,
        "training_enrolment": training_enrolment,
        **_employment_world(district, veteran, station, marker, today),
        "pairing": pairing,
        "pair_contact": pair_contact,
        "pair_gift": pair_gift,
        "coverage_person": CoveragePerson.objects.get(pk=veteran.pk),
        "boundary": boundary,
        "home": home,
        "print_batch": print_batch,
        "paid_case": paid_case,
        "also": [{"case": paid_case}],
        "conflict": conflict,
        "confirmation_round": confirmation_round,
        "confirmation": confirmation,
        "spot_check": spot_check,
        "suspension": spot_check.confirmation.suspensions.get(),
        "campaign": campaign,
        "channel": channel,
        "import": upload,
        "station": station,
        "worker": worker,
        "veteran": veteran,
        "visit": visit,
        "event": event,
        "activity": activity,
        "case": case,
        "attachment": attachment,
        "fund": fund,
        "entry": entry,
        "appeal": appeal,
        "wish": wish,
        "transfer": transfer,
        "pair": pair,
        "export": export,
        "export_job": export_job,
        "grid": grid,
        "marker": marker,
        **build_party_outside(grid=grid, marker=marker),
    }


def _employment_world(district, veteran, station, marker: str, today) -> dict:
    """The registry line of the outside veteran, a referral, a fair attended, and the district's
    employer, base and fair."""
    profile = employment_profile_register(
        person=veteran, status="retired", status_since=today, skills=marker, acting_user=station
    )
    # District-wide rows are seen by every station of the district: no marker in them.
    employer = make_employer(district, name=f"{district.name}合作企业", acting_user=station)
    base = employment_base_save(
        base=EmploymentBase(
            name=f"{district.name}基地", employer=employer, district=district, address="县城", capacity=20
        ),
        acting_user=station,
    )
    referral = job_referral_create(
        person=veteran, employer=employer, position=marker, referred_on=today, acting_user=station
    )
    fair = job_fair_save(
        fair=JobFair(name=f"{district.name}招聘会", held_on=today, place="县城", district=district), acting_user=station
    )
    attendance = fair_attendance_record(fair=fair, person=veteran, offers=1, acting_user=station)
    return {
        "employment_profile": profile,
        "employer": employer,
        "employment_base": base,
        "job_referral": referral,
        "job_fair": fair,
        "fair_attendance": attendance,
    }


def _service_project_world(veteran, marker: str, *, station, leader, worker) -> dict:
    """A need, and a project for it proposed, approved, delivered and rated (1555)."""
    today = timezone.localdate()
    need = need_record(person=veteran, description=marker, source="visit", recorded_on=today, acting_user=worker)
    project = project_propose(title=marker, needs=[need], proposed_on=today, acting_user=station)
    project_review(project=project, approve=True, reviewed_on=today, acting_user=leader)
    project_deliver(project=project, delivered_on=today, delivered_by=marker, cost="10", acting_user=station)
    delivery = project.deliveries.get()
    evaluation = evaluation_record(
        delivery=delivery, satisfaction=5, comment=marker, evaluated_on=today, acting_user=worker
    )
    return {
        "service_need": need,
        "service_project": project,
        "service_delivery": delivery,
        "service_evaluation": evaluation,
        "served_person": ServedPerson.objects.get(pk=veteran.pk),
    }
