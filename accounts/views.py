from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts import demo
from accounts.forms import TokenForm
from accounts.landing import landing_url_name
from accounts.policy import password_renewed
from accounts.services import password_change_record
from accounts.two_factor import (
    PASSED,
    VERIFY,
    authenticator_of,
    enrolment_device,
    locked_message,
    locked_until,
    otp_enrol,
    otp_verify,
    qr_code_svg,
    second_factor_required,
    second_factor_state,
    secret_for_display,
)
from core.errors import ApplicationError


def home(request):
    """`/` and the target after logging in: each role's own start page (accounts.landing)."""
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect(landing_url_name(request.user))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which also restarts the expiry clock of this session."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            password_change_record(user=form.user, acting_user=form.user)
        password_renewed(self.request, form.user)
        messages.success(self.request, _("密码已修改。"))
        return response


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse_lazy("home")


@never_cache
@sensitive_post_parameters("token")
@login_required
def otp_setup(request):
    """Enrol an authenticator: scan the QR code (or type the secret), then confirm with a code."""
    state = second_factor_state(request.user)
    if state == VERIFY:
        return redirect("otp_verify")
    try:
        device = enrolment_device(request.user)
    except ApplicationError as error:
        messages.info(request, error.message)
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp_enrol(request=request, token=form.cleaned_data["token"])
        except ApplicationError as error:
            form.add_error("token", error.message)
        else:
            messages.success(request, _("双因素认证已启用。以后登录时，输入密码后还须输入手机上的动态验证码。"))
            return redirect(_next_url(request))
    context = {
        "form": form,
        "qr_svg": qr_code_svg(device),
        "secret": secret_for_display(device),
        "required": second_factor_required(request.user),
        "optional_and_skippable": state == PASSED,
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_setup.html", context)


@never_cache
@sensitive_post_parameters("token")
@login_required
def otp_verify_view(request):
    """The second step of a login: the code of the enrolled authenticator."""
    state = second_factor_state(request.user)
    if state != VERIFY:
        return redirect("otp_setup" if state != PASSED else _next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp_verify(request=request, token=form.cleaned_data["token"])
        except ApplicationError as error:
            form.add_error("token", error.message)
        else:
            return redirect(_next_url(request))
    device = authenticator_of(request.user)
    now = timezone.now()
    until = locked_until(device, now) if device is not None else None
    context = {
        "form": form,
        "next": _next_url(request),
        "locked": locked_message(until, now) if until is not None else "",
        "demo_code": demo.code_hint(device),
    }
    return render(request, "accounts/otp_verify.html", context)
