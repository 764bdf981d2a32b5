from decimal import Decimal

import factory

from assistance.models import CaseType


class CaseTypeFactory(factory.django.DjangoModelFactory):
    """A major-illness type with Pinghu's rules: ¥500–10,000 a case, ¥10,000 a household a year,
    ¥20,000 for special hardship, stations approve up to ¥2,000."""

    class Meta:
        model = CaseType

    name = factory.Sequence(lambda n: f"测试用救助{n}")
    min_amount = Decimal("500")
    max_amount = Decimal("10000")
    yearly_cap = Decimal("10000")
    special_ceiling = Decimal("20000")
    station_limit = Decimal("2000")
