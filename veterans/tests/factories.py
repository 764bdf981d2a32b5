import datetime
import itertools

from grids.demo import DISTRICTS
from grids.scoping import SYSTEM
from grids.tests.factories import GridFactory
from veterans.identity import make_id_number
from veterans.models import VeteranType
from veterans.services import veteran_create

_sequence = itertools.count(1)


REGIONS = [code for code, _name in DISTRICTS]


def next_id_number(birth_date: datetime.date = datetime.date(1950, 3, 4), gender: str = "M") -> str:
    """A fresh valid number for exactly this birth date: order code and region vary."""
    n = next(_sequence)
    return make_id_number(REGIONS[(n // 500) % len(REGIONS)], birth_date, n % 500, gender)


def make_veteran(grid=None, *, acting_user=SYSTEM, categories=(), **fields):
    """A valid veteran, created through the real service (by a program, unless a user is given)."""
    grid = grid or GridFactory()
    gender = fields.get("gender", "M")
    birth = fields.get("birth_date") or datetime.date(1950, 3, 4)
    number = fields.pop("id_number", None) or next_id_number(birth, gender)
    defaults = {
        "name": "张建国",
        "veteran_type": VeteranType.DISCHARGED_SOLDIER,
        "phone": "13812345678",
    }
    return veteran_create(
        grid=grid, acting_user=acting_user, categories=categories, id_number=number, **(defaults | fields)
    )


MARTYR = {
    "name": "王志刚",
    "unit": "某部三营",
    "relation": "parent",
    "death_date": datetime.date(1984, 7, 12),
    "death_place": "云南老山",
    "certificate_number": "LS-1984-0032",
}


def make_survivor(grid=None, *, acting_user=SYSTEM, person_kind="martyr_survivor", soldier=None, **fields):
    """A survivor's (or family member's) file with the soldier it derives from, by the service."""
    grid = grid or GridFactory()
    gender = fields.get("gender", "F")
    birth = fields.get("birth_date") or datetime.date(1940, 5, 6)
    number = fields.pop("id_number", None) or next_id_number(birth, gender)
    defaults = {"name": "刘桂英", "phone": "13912345678", "person_kind": person_kind}
    return veteran_create(
        grid=grid,
        acting_user=acting_user,
        id_number=number,
        soldier=MARTYR if soldier is None else soldier,
        **(defaults | fields),
    )
