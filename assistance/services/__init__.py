"""The writes of the assistance app: relief funds and their ledger (funds), and the
hardship-case workflow (cases). `from assistance.services import X` finds every public one.

cases pays through funds, and funds hands a reversed payment back to cases: each refers to the
other as a module (`fund_ledger.fund_pay`, `case_workflow.case_payment_reversed`), looked up when
called, so either may be imported first."""

from assistance.services.cases import (
    MONEY_RULES,
    STEPS,
    BatchReport,
    Step,
    case_attach,
    case_open,
    case_payment_reversed,
    case_report,
    case_step,
    case_type_change,
    case_type_create,
    cases_step_batch,
    check_caps,
    may_take,
    sets_money_rules,
    steps_available,
)
from assistance.services.funds import (
    INCOME,
    MAX_ENTRY,
    check_fund_covers,
    fund_covers,
    fund_create,
    fund_owner,
    fund_pay,
    fund_receive,
    fund_reverse,
)

__all__ = [
    "INCOME",
    "MAX_ENTRY",
    "MONEY_RULES",
    "STEPS",
    "BatchReport",
    "Step",
    "case_attach",
    "case_open",
    "case_payment_reversed",
    "case_report",
    "case_step",
    "case_type_change",
    "case_type_create",
    "cases_step_batch",
    "check_caps",
    "check_fund_covers",
    "fund_covers",
    "fund_create",
    "fund_owner",
    "fund_pay",
    "fund_receive",
    "fund_reverse",
    "may_take",
    "sets_money_rules",
    "steps_available",
]
