import datetime
import itertools

from grids.tests.factories import GridFactory
from veterans.identity import make_id_number
from veterans.models import VeteranType
from veterans.services import veteran_create

_sequence = itertools.count(1)


def next_id_number(birth_date: datetime.date = datetime.date(1950, 3, 4), gender: str = "M") -> str:
    """A fresh valid number: the day and order code vary so numbers never repeat in a test run."""
    n = next(_sequence)
    day = birth_date + datetime.timedelta(days=n // 400)
    return make_id_number("120101", day, n % 400, gender)


def make_veteran(grid=None, *, acting_user=None, categories=(), **fields):
    """A valid veteran, created through the real service."""
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
