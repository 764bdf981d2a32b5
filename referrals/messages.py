"""Words the services and the forms must say alike."""

from django.utils.translation import gettext as _


def provider_off_list_message() -> str:
    """The refusal of a provider outside the person's district: the same words on every page."""
    return _("所选服务机构不在该服务对象所在区/县的服务机构名录中，不能转介。")
