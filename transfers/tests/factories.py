from transfers.services import transfer_accept, transfer_reject, transfer_start
from veterans.tests.factories import make_veteran


def make_transfer(areas, *, to="away", veteran=None, reason="随子女居住"):
    veteran = veteran or make_veteran(areas["home"], name="王迁移")
    return transfer_start(veteran=veteran, to_grid=areas[to], reason=reason, acting_user=areas["sender"])


def make_move(tree, cast, source: str, target: str, *, name: str = "王迁移", decide: str | None = "accept"):
    """A person filed in the root tree's grid `source` (e.g. "a11") sent to grid `target` by the
    sending street's station, then accepted or rejected by the receiving one (None: left pending)."""
    sender = cast["station_a" if source.startswith("a") else "station_b"]
    receiver = cast["station_a" if target.startswith("a") else "station_b"]
    veteran = make_veteran(tree[f"grid_{source}"], name=name)
    transfer = transfer_start(veteran=veteran, to_grid=tree[f"grid_{target}"], reason="随子女", acting_user=sender)
    if decide == "accept":
        transfer = transfer_accept(transfer=transfer, acting_user=receiver)
    elif decide == "reject":
        transfer = transfer_reject(transfer=transfer, reason="查无此人", acting_user=receiver)
    return transfer
