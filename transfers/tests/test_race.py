"""Two stations accepting the same transfer at once give one move (PostgreSQL row locks)."""

import contextlib
import threading

import pytest
from django.db import connection

from core.errors import ApplicationError
from grids.models import Role
from grids.tests.factories import make_staff
from transfers import services as transfers_services
from transfers.models import Transfer, TransferStatus
from transfers.services import transfer_accept
from transfers.tests.factories import make_transfer
from veterans.models import ChangeKind, Veteran, VeteranChange


@pytest.mark.postgres
def test_two_receivers_accepting_at_once_move_the_file_once_on_postgresql(
    postgres, transactional_db, areas, monkeypatch
):
    transfer = make_transfer(areas)
    receivers = [areas["receiver"], make_staff(areas["district"], role=Role.STATION_STAFF)]
    start = threading.Barrier(2)
    # Widen the race: after its checks each acceptance waits (a moment at most) for the other to
    # have checked too. Without the lock on the transfer row both see it pending and move twice.
    checked = threading.Barrier(2, timeout=2)
    real_check = transfers_services._require_no_payment_under_way

    def check_then_wait(veteran):
        real_check(veteran)
        with contextlib.suppress(threading.BrokenBarrierError):  # the other one waits on the lock
            checked.wait()

    monkeypatch.setattr(transfers_services, "_require_no_payment_under_way", check_then_wait)
    outcomes: list[str] = []

    def accept(user):
        try:
            start.wait()
            transfer_accept(transfer=transfer, acting_user=user)
            outcomes.append("accepted")
        except ApplicationError as error:
            outcomes.append(error.field or error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=[user]) for user in receivers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "status"]
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.ACCEPTED
    assert VeteranChange.objects.filter(veteran_id=transfer.veteran_id, kind=ChangeKind.MOVE).count() == 1
    assert Veteran.objects.get(pk=transfer.veteran_id).grid == areas["away"]
