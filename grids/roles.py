"""What each role may do and where: the data behind groups, admin access and scope levels.

Each app's data migration calls `sync_role_permissions` for its own label, so the groups grow
with the apps without a migration needing another app's models.
"""

from grids.models import AreaLevel, Role

ROLE_GROUP_NAMES = {
    Role.BUREAU_LEADER: "局领导",
    Role.STATION_STAFF: "服务站工作人员",
    Role.GRID_LEADER: "网格长",
    Role.GRID_WORKER: "网格员",
    Role.SYSTEM_ADMIN: "系统管理员",
    Role.AUDITOR: "审计员",
}

ROLE_SCOPE_LEVELS = {
    Role.BUREAU_LEADER: {AreaLevel.CITY, AreaLevel.DISTRICT},
    # City-wide station staff: the municipal service center, who keep the city's relief funds.
    Role.STATION_STAFF: {AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY},
    Role.GRID_LEADER: {AreaLevel.GRID},
    Role.GRID_WORKER: {AreaLevel.GRID},
    Role.SYSTEM_ADMIN: {AreaLevel.CITY, AreaLevel.DISTRICT},
    Role.AUDITOR: {AreaLevel.CITY, AreaLevel.DISTRICT},
}

# Grid teams work from the mobile pages; the Django admin is for stations and the bureau.
ROLES_WITH_ADMIN_ACCESS = {Role.BUREAU_LEADER, Role.STATION_STAFF, Role.SYSTEM_ADMIN, Role.AUDITOR}

_AREA_VIEW = ["view_district", "view_street", "view_community", "view_grid"]
_VETERAN_VIEW = [
    "view_veteran",
    "view_prioritycare",
    "view_honour",
    "view_familymember",
    "view_veteranchange",
]
_VISITS_VIEW = [
    "view_visit",
    "view_visitphoto",
    "view_mustvisitevent",
    "view_visitpolicy",
    "view_campaign",
    "view_gridactivity",
    "view_webhookchannel",
]
_CASE_VIEW = ["view_hardshipcase", "view_casestep", "view_casetype", "view_relieffund", "view_fundentry"]
_EMPLOYMENT_PERSON_VIEW = [
    "view_employmentprofile",
    "view_statuschange",
    "view_certificate",
    "view_jobreferral",
    "view_fairattendance",
]
_EMPLOYMENT_VIEW = [*_EMPLOYMENT_PERSON_VIEW, "view_employer", "view_employmentbase", "view_jobfair"]
_EMPLOYMENT_RECORD = ["add_employmentprofile", "change_employmentprofile", "add_statuschange", "add_certificate"]
_VETERAN_EDIT = [
    "add_veteran",
    "change_veteran",
    "add_prioritycare",
    "change_prioritycare",
    "delete_prioritycare",
    "add_honour",
    "change_honour",
    "delete_honour",
    "add_familymember",
    "change_familymember",
    "delete_familymember",
]
_PROJECTS_VIEW = [
    "view_serviceitem",
    "view_serviceneed",
    "view_serviceproject",
    "view_servicedelivery",
    "view_serviceevaluation",
    "view_servedperson",
]

ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    "grids": {
        Role.SYSTEM_ADMIN: [
            *_AREA_VIEW,
            "add_district",
            "change_district",
            "add_street",
            "change_street",
            "add_community",
            "change_community",
            "add_grid",
            "change_grid",
            "import_area_tree",
            "view_staffprofile",
            "add_staffprofile",
            "change_staffprofile",
        ],
        Role.BUREAU_LEADER: [*_AREA_VIEW, "view_staffprofile"],
        Role.STATION_STAFF: [*_AREA_VIEW, "add_grid", "change_grid", "view_staffprofile"],
        Role.GRID_LEADER: ["view_grid"],
        Role.GRID_WORKER: ["view_grid"],
    },
    # Separation of the three duties (三员分立): the auditor reads the audit; the system admin, who
    # manages accounts, does not.
    "audit": {
        Role.AUDITOR: ["view_auditevent"],
    },
    "visits": {
        Role.SYSTEM_ADMIN: ["view_webhookchannel", "add_webhookchannel", "change_webhookchannel", "view_visitpolicy"],
        Role.BUREAU_LEADER: [*_VISITS_VIEW],
        Role.STATION_STAFF: [
            *_VISITS_VIEW,
            "add_visit",
            "add_mustvisitevent",
            "change_mustvisitevent",
            "change_visitpolicy",
            "add_campaign",
            "change_campaign",
            "add_gridactivity",
            "change_gridactivity",
            "add_webhookchannel",
            "change_webhookchannel",
        ],
        Role.GRID_LEADER: [*_VISITS_VIEW, "add_visit", "add_mustvisitevent", "add_gridactivity"],
        Role.GRID_WORKER: [*_VISITS_VIEW, "add_visit", "add_mustvisitevent", "add_gridactivity"],
    },
    # Separation of duties: grid workers open cases, stations review (and approve small ones),
    # the bureau approves, and payments are recorded by station staff who did not approve.
    "assistance": {
        # Case types are shared by every district, and their amounts decide what a station may
        # approve alone: the bureau keeps them (stations may add a type; see case_type_create).
        Role.BUREAU_LEADER: [*_CASE_VIEW, "approve_hardshipcase", "add_casetype", "change_casetype"],
        Role.STATION_STAFF: [
            *_CASE_VIEW,
            "add_hardshipcase",
            "review_hardshipcase",
            "pay_hardshipcase",
            "add_casetype",
            "change_casetype",
            "add_relieffund",
            "add_fundentry",
        ],
        Role.GRID_LEADER: ["view_hardshipcase", "add_hardshipcase", "view_casetype"],
        Role.GRID_WORKER: ["view_hardshipcase", "add_hardshipcase", "view_casetype"],
    },
    # Appeals (诉求): anyone on the grid team takes one in and adds progress notes; stations assign,
    # tick documents, resolve and keep the categories; leaders read.
    "appeals": {
        Role.BUREAU_LEADER: ["view_appeal", "view_appealnote", "view_appealcategory", "view_appealdocument"],
        Role.STATION_STAFF: [
            "view_appeal",
            "add_appeal",
            "change_appeal",
            "view_appealnote",
            "add_appealnote",
            "view_appealdocument",
            "change_appealdocument",
            "view_appealcategory",
            "add_appealcategory",
            "change_appealcategory",
        ],
        Role.GRID_LEADER: ["view_appeal", "add_appeal", "view_appealnote", "add_appealnote", "view_appealcategory"],
        Role.GRID_WORKER: ["view_appeal", "add_appeal", "view_appealnote", "add_appealnote", "view_appealcategory"],
    },
    # Referrals (转介): grid teams refer a need to a provider of the district's list and follow it
    # up; stations record the provider's answer, close with the outcome and keep the district's
    # teams, volunteers and providers (the district's center: services check the district scope).
    "referrals": {
        Role.BUREAU_LEADER: [
            "view_referral",
            "view_referralnote",
            "view_provider",
            "view_volunteerteam",
            "view_volunteer",
        ],
        Role.STATION_STAFF: [
            *(
                f"{verb}_{model}"
                for verb in ("view", "add", "change")
                for model in ("referral", "provider", "volunteerteam", "volunteer")
            ),
            "view_referralnote",
            "add_referralnote",
        ],
        Role.GRID_LEADER: ["view_referral", "add_referral", "view_referralnote", "add_referralnote", "view_provider"],
        Role.GRID_WORKER: ["view_referral", "add_referral", "view_referralnote", "add_referralnote", "view_provider"],
    },
    # Micro-wishes (微心愿): grid teams collect wishes and record fulfilment; stations publish,
    # record the donor's claim and tick wishes off; leaders read.
    "wishes": {
        Role.BUREAU_LEADER: ["view_microwish"],
        Role.STATION_STAFF: [
            "view_microwish",
            "add_microwish",
            "change_microwish",
            "publish_microwish",
            "fulfil_microwish",
            "confirm_microwish",
        ],
        Role.GRID_LEADER: ["view_microwish", "add_microwish", "fulfil_microwish"],
        Role.GRID_WORKER: ["view_microwish", "add_microwish", "fulfil_microwish"],
    },
    # Honours (评选表彰, 立功喜报): the bureau and district stations open selections; stations and the
    # bureau nominate and decide; stations log the merit notices received; whoever reaches the
    # family records the delivery; leaders read.
    "honours": {
        Role.BUREAU_LEADER: [
            "view_selection",
            "add_selection",
            "change_selection",
            "view_nomination",
            "add_nomination",
            "decide_nomination",
            "view_meritnotice",
        ],
        Role.STATION_STAFF: [
            "view_selection",
            "add_selection",
            "change_selection",
            "view_nomination",
            "add_nomination",
            "decide_nomination",
            "view_meritnotice",
            "add_meritnotice",
            "deliver_meritnotice",
        ],
        Role.GRID_LEADER: ["view_nomination", "view_meritnotice", "deliver_meritnotice"],
        Role.GRID_WORKER: ["view_nomination", "view_meritnotice", "deliver_meritnotice"],
    },
    # Employment registry (就业创业): grid teams register people and record status and wishes on
    # visits; stations keep employers, bases, referrals and fairs; leaders read and run fairs.
    "employment": {
        Role.BUREAU_LEADER: [
            *_EMPLOYMENT_VIEW,
            "add_employer",
            "change_employer",
            "add_employmentbase",
            "change_employmentbase",
            "add_jobfair",
            "change_jobfair",
        ],
        Role.STATION_STAFF: [
            *_EMPLOYMENT_VIEW,
            *_EMPLOYMENT_RECORD,
            "add_employer",
            "change_employer",
            "add_employmentbase",
            "change_employmentbase",
            "add_jobreferral",
            "change_jobreferral",
            "add_jobfair",
            "change_jobfair",
            "add_fairattendance",
            "delete_certificate",
        ],
        Role.GRID_LEADER: [*_EMPLOYMENT_PERSON_VIEW, *_EMPLOYMENT_RECORD],
        Role.GRID_WORKER: [*_EMPLOYMENT_PERSON_VIEW, *_EMPLOYMENT_RECORD],
    },
    # Service projects (1555): grid teams record needs and the served people's ratings; stations
    # keep the catalogue, propose, review (not their own proposal) and record delivery; the bureau
    # reviews and keeps the catalogue.
    "projects": {
        Role.BUREAU_LEADER: [
            *_PROJECTS_VIEW,
            "add_serviceitem",
            "change_serviceitem",
            "review_serviceproject",
        ],
        Role.STATION_STAFF: [
            *_PROJECTS_VIEW,
            "add_serviceitem",
            "change_serviceitem",
            "add_serviceneed",
            "add_serviceproject",
            "review_serviceproject",
            "deliver_serviceproject",
            "add_serviceevaluation",
        ],
        Role.GRID_LEADER: [*_PROJECTS_VIEW, "add_serviceneed", "add_serviceevaluation"],
        Role.GRID_WORKER: [*_PROJECTS_VIEW, "add_serviceneed", "add_serviceevaluation"],
    },
    # Files that move (迁入迁出): stations start, accept and reject; leaders read.
    "transfers": {
        Role.BUREAU_LEADER: ["view_transfer"],
        Role.STATION_STAFF: ["view_transfer", "add_transfer", "change_transfer"],
    },
    # Annual confirmation (年度确认): stations open rounds, confirm in person and spot-check; grid
    # teams confirm by their visits; leaders read.
    "confirmations": {
        Role.BUREAU_LEADER: ["view_confirmation", "view_confirmationround", "view_subsidysuspension", "view_spotcheck"],
        Role.STATION_STAFF: [
            "view_confirmation",
            "confirm_confirmation",
            "view_confirmationround",
            "open_confirmationround",
            "view_subsidysuspension",
            "view_spotcheck",
        ],
        Role.GRID_LEADER: ["view_confirmation", "confirm_confirmation"],
        Role.GRID_WORKER: ["view_confirmation", "confirm_confirmation"],
    },
    # Conflicts of offline changes: seen and settled where the file is edited.
    "offline": {
        Role.BUREAU_LEADER: ["view_fieldconflict"],
        Role.STATION_STAFF: ["view_fieldconflict", "change_fieldconflict"],
        Role.GRID_LEADER: ["view_fieldconflict", "change_fieldconflict"],
        Role.GRID_WORKER: ["view_fieldconflict", "change_fieldconflict"],
    },
    # Skills training (技能培训): stations keep providers and courses, enrol people, record
    # attendance and certificates; grid teams enrol their people from the phone; leaders read.
    "training": {
        Role.BUREAU_LEADER: ["view_trainingprovider", "view_course", "view_enrolment", "view_attendance"],
        Role.STATION_STAFF: [
            f"{verb}_{model}"
            for model in ("trainingprovider", "course", "enrolment", "attendance")
            for verb in ("view", "add", "change")
        ],
        Role.GRID_LEADER: ["view_course", "view_enrolment", "add_enrolment", "view_attendance"],
        Role.GRID_WORKER: ["view_course", "view_enrolment", "add_enrolment", "view_attendance"],
    },
    # Party members (党员): stations keep the organisations, memberships, follow-ups and 三会一课;
    # grid teams record follow-up steps of their grid's members; leaders read.
    "party": {
        Role.BUREAU_LEADER: [
            f"view_{model}"
            for model in (
                "partyorganisation",
                "membership",
                "followup",
                "followupstep",
                "organisationlife",
                "attendance",
                "partymember",
            )
        ],
        Role.STATION_STAFF: [
            *(
                f"{verb}_{model}"
                for verb in ("view", "add", "change")
                for model in (
                    "partyorganisation",
                    "membership",
                    "followup",
                    "organisationlife",
                )
            ),
            "view_followupstep",
            "add_followupstep",
            "view_attendance",
            "change_attendance",
            "view_partymember",
        ],
        Role.GRID_LEADER: ["view_followup", "view_followupstep", "add_followupstep", "view_partymember"],
        Role.GRID_WORKER: ["view_followup", "view_followupstep", "add_followupstep", "view_partymember"],
    },
    # One-to-one pairing (一对一结对): stations pair people and end pairs; grid teams (and paired
    # cadres with an account) record the pair's contacts; leaders read.
    "pairing": {
        Role.BUREAU_LEADER: ["view_pair", "view_paircontact", "view_pairgift", "view_coverageperson"],
        Role.STATION_STAFF: [
            "view_pair",
            "add_pair",
            "change_pair",
            "view_paircontact",
            "add_paircontact",
            "view_pairgift",
            "add_pairgift",
            "view_coverageperson",
        ],
        Role.GRID_LEADER: ["view_pair", "view_paircontact", "add_paircontact", "view_pairgift"],
        Role.GRID_WORKER: ["view_pair", "view_paircontact", "add_paircontact", "view_pairgift"],
    },
    # Maps: stations (and the system admin, who keeps the area tree) upload boundaries; stations
    # set and confirm homes; everyone with an area reads the map of it.
    "maps": {
        Role.SYSTEM_ADMIN: ["view_areaboundary", "add_areaboundary", "change_areaboundary"],
        Role.BUREAU_LEADER: ["view_areaboundary", "view_homeposition"],
        Role.STATION_STAFF: [
            "view_areaboundary",
            "add_areaboundary",
            "change_areaboundary",
            "view_homeposition",
            "add_homeposition",
            "change_homeposition",
        ],
        Role.GRID_LEADER: ["view_areaboundary", "view_homeposition"],
        Role.GRID_WORKER: ["view_areaboundary", "view_homeposition"],
    },
    # Leaders and stations read the statistics of their area.
    "dashboard": {
        Role.BUREAU_LEADER: ["view_dashboard", "view_gridsnapshot"],
        Role.STATION_STAFF: ["view_dashboard", "view_gridsnapshot"],
    },
    # Near-duplicate files: stations decide (merge or "not the same person"); leaders look.
    "merging": {
        Role.BUREAU_LEADER: ["view_duplicatepair"],
        Role.STATION_STAFF: ["view_duplicatepair", "change_duplicatepair"],
    },
    # Schedules of the reminder jobs, edited in the admin.
    "django_celery_beat": {
        Role.SYSTEM_ADMIN: [
            f"{verb}_{model}"
            for verb in ("view", "add", "change")
            for model in ("periodictask", "crontabschedule", "intervalschedule", "solarschedule", "clockedschedule")
        ],
    },
    # System admins manage accounts, not people's files: no veteran permissions at all.
    "veterans": {
        Role.BUREAU_LEADER: [*_VETERAN_VIEW, "reveal_identity"],
        Role.STATION_STAFF: [
            *_VETERAN_VIEW,
            *_VETERAN_EDIT,
            "reveal_identity",
            "export_unmasked",
            "import_veterans",
        ],
        Role.GRID_LEADER: [*_VETERAN_VIEW, *_VETERAN_EDIT, "reveal_identity"],
        Role.GRID_WORKER: [*_VETERAN_VIEW, *_VETERAN_EDIT, "reveal_identity"],
    },
}


def sync_role_permissions(apps, app_label: str) -> None:
    """Create the role groups and give them `app_label`'s permissions (idempotent).

    Takes the migration's `apps` so it runs against historical models.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; a data migration needs them now.
    create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, group_name in ROLE_GROUP_NAMES.items():
        group, _ = group_model.objects.get_or_create(name=group_name)
        codenames = ROLE_PERMISSIONS.get(app_label, {}).get(role, [])
        permissions = list(permission_model.objects.filter(content_type__app_label=app_label, codename__in=codenames))
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise LookupError(f"Unknown permissions for {app_label}: {sorted(missing)}")
        group.permissions.add(*permissions)


def sync_all_role_permissions(sender, **kwargs) -> None:
    """post_migrate receiver: keep role groups whole after `migrate` and after test flushes.

    A flush (transactional tests) empties the groups the data migrations made; permissions
    come back on post_migrate, and so must the groups.
    """
    from django.apps import apps

    using = kwargs.get("using", "default")
    if using != "default":
        return
    for app_label in ROLE_PERMISSIONS:
        sync_role_permissions(apps, app_label)


# Whoever may read veterans' records holds a data role; system admins and auditors do not (三员分立).
PERSONAL_DATA_PERMISSION = "veterans.view_veteran"
PERSONAL_DATA_ROLES = frozenset(
    role for role, codenames in ROLE_PERMISSIONS["veterans"].items() if "view_veteran" in codenames
)
