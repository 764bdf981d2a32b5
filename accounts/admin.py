from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

# django-otp's own admin shows and edits the secret keys. Nobody here needs that: people enrol
# their own phone, and an account manager only resets (grids.admin: 重置双因素认证).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
