"""Demo transfers (迁入迁出) for `make run`, between the streets of the first district, through the
real services: about half still waiting for the receiving station, a third accepted (the file
has moved), a couple rejected with the reason.

Every other transfer comes into the first street (the demo street station's, 劝业场街道) and the
others leave it, so that station has transfers to decide and transfers of its own waiting."""

import random

from django.db import transaction
from django.db.models import Exists, OuterRef

from assistance.models import CaseStatus, HardshipCase
from grids.models import District, Grid, Street
from grids.scoping import SYSTEM
from transfers.models import Transfer, TransferStatus
from transfers.services import transfer_accept, transfer_reject, transfer_start
from veterans.models import LifeStatus, Veteran

# How each transfer ends, in turn: for 12 transfers 6 pending, 4 accepted, 2 rejected.
ENDINGS = [
    TransferStatus.PENDING,
    TransferStatus.PENDING,
    TransferStatus.ACCEPTED,
    TransferStatus.PENDING,
    TransferStatus.ACCEPTED,
    TransferStatus.REJECTED,
]
REASONS = ["随子女迁居", "购房迁居", "投靠亲属", "房屋征收安置", "入住养老机构", "婚后随配偶居住"]
REJECT_REASONS = [
    "经入户核实，本人仍居住在原址，请核对后重新发起",
    "迁入地址不在本街道辖区，请核对目标网格",
    "缺少户籍迁移证明，请补齐材料后重新发起",
]


def _movable(district: District):
    """People a transfer may move: alive, on file, nothing pending or approved but unpaid (the
    service refuses those), and no regular subsidy, whose year's confirmation stays where it is."""
    waiting = Transfer.objects.filter(veteran_id=OuterRef("pk"), status=TransferStatus.PENDING)
    unpaid = HardshipCase.objects.filter(veteran_id=OuterRef("pk"), status=CaseStatus.APPROVED)
    return (
        Veteran.objects.filter(
            district=district, life_status=LifeStatus.ALIVE, removed_at__isnull=True, receives_regular_subsidy=False
        )
        .exclude(Exists(waiting))
        .exclude(Exists(unpaid))
    )


def build_demo_transfers(*, transfers: int, seed: int) -> dict[str, int]:
    """Up to `transfers` transfers between the first district's streets; returns the count per
    status."""
    made = {status: 0 for status in TransferStatus.values}
    district = District.objects.order_by("id").first()
    streets = list(Street.objects.filter(district=district).order_by("id")) if district else []
    if len(streets) < 2 or transfers <= 0:
        return made
    rng = random.Random(seed * 17 + 3)
    home, others = streets[0], streets[1:]
    grids = {street.pk: list(Grid.objects.filter(street=street).order_by("id")) for street in streets}
    people = {
        street.pk: list(_movable(district).filter(street=street).order_by("id")[: transfers * 4]) for street in streets
    }
    with transaction.atomic():
        for index in range(transfers):
            away = rng.choice(others)
            source, target = (away, home) if index % 2 == 0 else (home, away)
            if not people[source.pk] or not grids[target.pk]:
                continue
            person = people[source.pk].pop(rng.randrange(len(people[source.pk])))
            transfer = transfer_start(
                veteran=person, to_grid=rng.choice(grids[target.pk]), reason=rng.choice(REASONS), acting_user=SYSTEM
            )
            ending = ENDINGS[index % len(ENDINGS)]
            if ending == TransferStatus.ACCEPTED:
                transfer_accept(transfer=transfer, acting_user=SYSTEM)
            elif ending == TransferStatus.REJECTED:
                transfer_reject(transfer=transfer, reason=rng.choice(REJECT_REASONS), acting_user=SYSTEM)
            made[ending] += 1
    return made
