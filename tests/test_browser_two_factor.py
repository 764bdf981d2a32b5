"""The second factor in a real headless Chromium: a station staffer logs in, scans (here: reads)
the secret, confirms with a code and reaches the admin; the next login asks for the code."""

import base64
import os
import time

import pytest
from django_otp.oath import TOTP

from grids.tests.factories import PASSWORD, GridFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.two_factor]


def code_from_secret(secret: str, *, steps_ahead: int = 0) -> str:
    generator = TOTP(base64.b32decode(secret.replace(" ", "")))
    generator.time = time.time() + 30 * steps_ahead
    return f"{generator.token():06d}"


def test_enrol_then_log_in_with_the_code(chromium_page, live_server, output_path):
    grid = GridFactory()
    user = make_staff(grid.community)
    page = chromium_page

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#otp-setup")
    assert page.locator("#otp-setup svg").count() == 1  # the QR code, drawn on the server
    secret = page.inner_text("#otp-secret")
    os.makedirs(output_path, exist_ok=True)
    page.screenshot(path=os.path.join(output_path, "otp-setup.png"), full_page=True)
    page.fill("#id_token", code_from_secret(secret))
    page.click("form button.primary")
    page.wait_for_selector("#site-name")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#otp-verify")
    page.screenshot(path=os.path.join(output_path, "otp-verify.png"), full_page=True)
    page.fill("#id_token", code_from_secret(secret, steps_ahead=1))
    page.click("form button.primary")
    page.wait_for_selector("#site-name")
    assert "/admin/" in page.url
