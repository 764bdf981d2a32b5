"""`make load`: grid workers logging visits from their phones and leaders reading the dashboard,
each simulated person on a demo account of their own, logged in through the real login form.

Run by scripts/load.sh, which passes LOAD_ACCOUNTS (bench/load_accounts.py's JSON) and
LOAD_STATUS_FILE (where the status codes and error messages seen are written at the end).
Needs requirements-load.txt (locust); the app itself never imports this file.
"""

import json
import os
import random
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from django_otp.oath import TOTP
from locust import HttpUser, between, events, task
from locust.exception import StopUser

from bench.load_pages import drill_links, form_fields, overdue_links, veteran_ids

WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "0.5"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "2"))
SEARCHES = ["王", "李", "张", "刘", "chen", "138"]


def _accounts() -> dict:
    path = os.environ.get("LOAD_ACCOUNTS")
    return json.loads(Path(path).read_text()) if path else {"workers": [], "leaders": [], "password": ""}


ACCOUNTS = _accounts()
# One account per simulated person, handed out in order: a second login would end the first.
_unused = {kind: iter(ACCOUNTS.get(kind, [])) for kind in ("workers", "leaders")}
statuses: dict[str, Counter] = defaultdict(Counter)
errors: Counter = Counter()


@events.request.add_listener
def _count(request_type, name, response, exception, **_kwargs):
    status = getattr(response, "status_code", None) or "none"
    statuses[f"{request_type} {name}"][str(status)] += 1
    if exception is not None:
        errors[f"{request_type} {name}: {str(exception)[:200]}"] += 1


@events.user_error.add_listener
def _user_error(user_instance, exception, tb, **_kwargs):
    errors[f"{type(user_instance).__name__}: {type(exception).__name__}: {str(exception)[:200]}"] += 1


@events.quitting.add_listener
def _write_statuses(environment, **_kwargs):
    path = os.environ.get("LOAD_STATUS_FILE")
    if path:
        payload = {"statuses": {name: dict(counts) for name, counts in statuses.items()}, "errors": dict(errors)}
        Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=2))


class Person(HttpUser):
    abstract = True
    kind = ""
    landing = "/"
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self):
        username = next(_unused[self.kind], None)
        if username is None:
            errors[f"{type(self).__name__}: no demo account left for another simulated person"] += 1
            raise StopUser
        self.username = username
        self.client.get("/accounts/login/", name="/accounts/login/")
        fields = {
            "username": username,
            "password": ACCOUNTS["password"],
            "next": self.landing,
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
        }
        with self.client.post(
            "/accounts/login/", data=fields, name="/accounts/login/", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302 or "sessionid" not in self.client.cookies:
                response.failure(f"login of {username} refused ({response.status_code})")
                raise StopUser
        # Accounts with a second factor are sent on to the code page before anything else.
        landing = self.client.get(self.landing, name="(after login)")
        if urlsplit(landing.url).path == "/accounts/2fa/verify/":
            self.second_factor()

    def second_factor(self):
        """Leaders and stations enter their authenticator's code, as on the real page (the load's
        accounts carry the demo key: bench/load_accounts.py)."""
        code = TOTP(bytes.fromhex(ACCOUNTS["totp_key"])).token()
        fields = {
            "token": f"{code:06d}",
            "next": self.landing,
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
        }
        with self.client.post(
            "/accounts/2fa/verify/",
            data=fields,
            name="/accounts/2fa/verify/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"second factor of {self.username} refused ({response.status_code})")
                raise StopUser

    def page(self, path: str, name: str, params: dict | None = None):
        """GET a page as the browser would (following redirects). Landing on the login form means
        the session was lost (ended by another login, or by the server): that is a failure."""
        with self.client.get(path, params=params, name=name, catch_response=True) as response:
            if response.history and urlsplit(response.url).path in ("/accounts/login/", "/accounts/2fa/verify/"):
                response.failure(f"{self.username} was sent back to the login page")
            return response

    def csrf_headers(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}


class GridWorker(Person):
    """On the phone: the due list, a veteran's card, a visit through the form or the app's API."""

    weight = 4
    kind = "workers"
    landing = "/m/"

    def on_start(self):
        super().on_start()
        self.veterans: list[int] = []
        self.due_list()

    @task(4)
    def due_list(self):
        with self.client.get("/m/", name="/m/", catch_response=True) as response:
            found = veteran_ids(response.text)
            if response.status_code == 200 and not found:  # also: sent back to the login page
                response.failure(f"{self.username}: no veteran on the due list ({response.url})")
            self.veterans = found or self.veterans

    @task(1)
    def search(self):
        self.page("/m/", "/m/?q=", params={"q": random.choice(SEARCHES)})

    @task(4)
    def card(self):
        if self.veterans:
            self.page(f"/m/v/{random.choice(self.veterans)}/", "/m/v/[id]/")

    @task(2)
    def visit_through_form(self):
        if not self.veterans:
            return
        veteran = random.choice(self.veterans)
        page = self.page(f"/m/v/{veteran}/visit/", "/m/v/[id]/visit/")
        if page.status_code != 200 or page.history:
            return
        fields = form_fields(page.text, "visit-form")
        fields.update(method="home", findings="身体状况良好，生活稳定。", needs="")
        # multipart, as the phone's form sends it (it may carry photos)
        multipart = {name: (None, value) for name, value in fields.items()}
        with self.client.post(
            f"/m/v/{veteran}/visit/",
            files=multipart,
            name="/m/v/[id]/visit/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or response.headers.get("Location") != f"/m/v/{veteran}/":
                response.failure(f"visit form not accepted ({response.status_code})")
                return
        self.page(f"/m/v/{veteran}/", "/m/v/[id]/")

    @task(1)
    def visit_through_api(self):
        if not self.veterans:
            return
        body = {"client_id": str(uuid.uuid4()), "veteran": random.choice(self.veterans), "method": "phone"}
        # One in ten phones retries (a timeout on a weak signal): the same visit, not a second one.
        for attempt in range(2 if random.random() < 0.1 else 1):
            expected = "true" if attempt == 0 else "false"
            with self.client.post(
                "/api/visits/", json=body, headers=self.csrf_headers(), name="/api/visits/", catch_response=True
            ) as response:
                created = response.headers.get("Visit-Created")
                if response.status_code != 200 or created != expected:
                    response.failure(f"visit API: {response.status_code}, Visit-Created {created}")


class Leader(Person):
    """A bureau leader or station staff: the dashboard, a drill-down, the API, the overdue lists
    (veterans not visited in time, appeals past their deadline)."""

    weight = 1
    kind = "leaders"
    landing = "/dashboard/"

    def on_start(self):
        super().on_start()
        self.areas: list[tuple[str, int]] = []
        self.overdue: list[str] = []
        self.board()

    def remember(self, page: str):
        for area in drill_links(page):
            if area not in self.areas and len(self.areas) < 60:
                self.areas.append(area)
        self.overdue = overdue_links(page)[:20] or self.overdue

    @task(3)
    def board(self):
        response = self.page("/dashboard/", "/dashboard/")
        if response.status_code == 200 and not response.history:
            self.remember(response.text)

    @task(3)
    def drill_down(self):
        if self.areas:
            level, pk = random.choice(self.areas)
            params, name = {"level": level, "id": pk}, f"/dashboard/?level={level}"
            response = self.page("/dashboard/", name, params=params)
            if response.status_code == 200 and not response.history:
                self.remember(response.text)

    @task(2)
    def statistics_api(self):
        params = dict(zip(("level", "id"), random.choice(self.areas), strict=True)) if self.areas else {}
        self.client.get("/api/statistics/", params=params, name="/api/statistics/")

    @task(1)
    def overdue_list(self):
        if self.overdue:
            link = random.choice(self.overdue)
            self.page(link, f"{link.split('?')[0]}?…overdue")
