"""The writes of the assistance app: relief funds and their ledger (funds), and the
hardship-case workflow (cases). `from assistance.services import X` finds every public one;
the rules they enforce (the step table, who may take a step, which cases a fund pays) are in
assistance.rules.

cases pays through funds, and funds hands a reversed payment back to cases: each refers to the
other as a module (`fund_ledger.fund_pay`, `case_workflow.case_payment_reversed`), looked up when
called, so either may be imported first."""

from assistance.services.cases import (
    BatchReport,
    case_attach,
    case_open,
    case_payment_reversed,
    case_report,
    case_step,
    case_type_change,
    case_type_create,
    cases_step_batch,
    check_caps,
)
from assistance.services.funds import (
    INCOME,
    MAX_ENTRY,
    fund_create,
    fund_pay,
    fund_receive,
    fund_reverse,
)

__all__ = [
    "INCOME",
    "MAX_ENTRY",
    "BatchReport",
    "case_attach",
    "case_open",
    "case_payment_reversed",
    "case_report",
    "case_step",
    "case_type_change",
    "case_type_create",
    "cases_step_batch",
    "check_caps",
    "fund_create",
    "fund_pay",
    "fund_receive",
    "fund_reverse",
]
