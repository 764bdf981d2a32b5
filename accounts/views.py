from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from accounts.policy import password_renewed


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which also restarts the expiry clock of this session."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_renewed(self.request, form.user)
        messages.success(self.request, _("密码已修改。"))
        return response
