from transfers.services import transfer_start
from veterans.tests.factories import make_veteran


def make_transfer(areas, *, to="away", veteran=None, reason="随子女居住"):
    veteran = veteran or make_veteran(areas["home"], name="王迁移")
    return transfer_start(veteran=veteran, to_grid=areas[to], reason=reason, acting_user=areas["sender"])
