import datetime

from confirmations.selectors import confirmation_figures, confirmation_totals
from confirmations.services import confirmation_confirm, subsidies_suspend_overdue
from confirmations.tests.conftest import YEAR
from grids.scoping import SYSTEM

JULY_1 = datetime.date(YEAR, 7, 1)


def test_figures_count_each_state_per_street(round_, people, veterans, tree):
    confirmation_confirm(veteran=veterans["mine"], method="in_person", year=YEAR, acting_user=people["station"])
    before_deadline = confirmation_figures(
        user=people["leader"], year=YEAR, area=tree["district"], day=datetime.date(YEAR, 6, 1)
    )
    assert {row["name"]: (row["confirmed"], row["pending"], row["overdue"]) for row in before_deadline} == {
        "甲街道": (1, 1, 0),
        "乙街道": (0, 1, 0),
    }
    subsidies_suspend_overdue(day=JULY_1, acting_user=SYSTEM)
    after = confirmation_figures(user=people["leader"], year=YEAR, area=tree["district"], day=JULY_1)
    assert confirmation_totals(after) == {"confirmed": 1, "pending": 0, "overdue": 2, "suspended": 2}
    assert all(row["level"] == "street" for row in after)


def test_figures_stay_in_the_users_scope(round_, people, tree):
    rows = confirmation_figures(user=people["station"], year=YEAR, area=tree["street_a"], day=JULY_1)
    assert {row["level"] for row in rows} == {"community"}
    assert confirmation_totals(rows)["overdue"] == 2
    outside = confirmation_figures(user=people["station"], year=YEAR, area=tree["street_b"], day=JULY_1)
    assert outside == []
