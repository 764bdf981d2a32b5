"""Small rules of the registry, in memory: the credit code check and the status the person's file
shows for each registry status."""

from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as NumberError

from core.errors import ApplicationError
from employment.models import EmploymentStatus
from veterans.models import Employment

# The registry tells 求职 from 未求职; the file's 就业状况 has one word for each.
FILE_EMPLOYMENT = {
    EmploymentStatus.EMPLOYED: Employment.EMPLOYED,
    EmploymentStatus.SELF_EMPLOYED: Employment.SELF_EMPLOYED,
    EmploymentStatus.SEEKING: Employment.JOB_SEEKING,
    EmploymentStatus.NOT_SEEKING: Employment.UNEMPLOYED,
    EmploymentStatus.RETIRED: Employment.RETIRED,
}


def file_employment(status: str) -> str:
    return FILE_EMPLOYMENT[EmploymentStatus(status)]


def check_credit_code(value: str) -> str:
    """A unified social credit code (统一社会信用代码, GB 32100-2015), upper-cased, with its check
    character verified; refused with a message saying what is wrong."""
    code = (value or "").strip().upper().replace(" ", "")
    if len(code) != 18:
        raise ApplicationError(
            _("统一社会信用代码应为18位，现为%(count)s位。") % {"count": len(code)}, field="credit_code"
        )
    try:
        return uscc.validate(code)
    except NumberError as error:
        raise ApplicationError(
            _("统一社会信用代码“%(code)s”无效（校验位或字符不正确）。") % {"code": code}, field="credit_code"
        ) from error


def make_credit_code(region: str, serial: int) -> str:
    """A well-formed credit code of an enterprise (登记管理部门 9, 类别 1) of `region`, for demo and
    test employers: the serial as its organisation code, and the check character computed."""
    body = f"91{region}{serial:08d}X"
    return body + uscc.calc_check_digit(body)
