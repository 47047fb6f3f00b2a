"""A client that talks to the served application as a browser behind the TLS proxy of production does.

Production sets secure cookies and trusts `X-Forwarded-Proto` from its proxy: the bench, on loopback, is that
proxy. It sends the header, keeps the cookies itself (a cookie jar would not send secure cookies over plain
HTTP), and signs in through the real forms: the password page (CSRF token, django-axes counting failures),
then the two-factor page with a code of the user's own TOTP device. There is no other way in."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
_SERVER_TIMING = re.compile(r'(\w+)(?:;dur=([\d.]+))?(?:;desc="?([^",]*)"?)?')


class SignInError(Exception):
    """The user could not be signed in: what the server answered instead."""


@dataclass
class Timed:
    status: int
    text: str
    wall_ms: float
    app_ms: float | None
    sql_ms: float | None
    queries: int | None
    location: str


def parse_server_timing(header: str) -> dict[str, tuple[float | None, str]]:
    """`app;dur=12.1, sql;dur=3.4, queries;desc="7"` → {"app": (12.1, ""), "sql": (3.4, ""), "queries":
    (None, "7")}."""
    out: dict[str, tuple[float | None, str]] = {}
    for part in header.split(","):
        match = _SERVER_TIMING.match(part.strip())
        if match:
            name, duration, desc = match.groups()
            out[name] = (float(duration) if duration else None, desc or "")
    return out


def csrf_token(html: str) -> str:
    match = _CSRF_INPUT.search(html)
    if not match:
        raise SignInError("no CSRF token in the page")
    return match.group(1)


@dataclass
class BenchClient:
    """One signed-in browser: its cookies and the base URL of the server (http://127.0.0.1:PORT)."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 120.0

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        host = urlsplit(self.base_url).netloc
        headers = {
            "X-Forwarded-Proto": "https",
            "Host": host,
            "Referer": f"https://{host}/",
            "User-Agent": "ancrage-bench",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers | (extra or {})

    def _keep_cookies(self, response: requests.Response) -> None:
        for cookie in response.cookies:
            if cookie.value in (None, "") or (cookie.expires is not None and cookie.expires < time.time()):
                self.cookies.pop(cookie.name, None)
            else:
                self.cookies[cookie.name] = cookie.value or ""

    def request(self, method: str, path: str, data: dict | None = None, referer: str = "") -> Timed:
        url = urljoin(self.base_url, path)
        extra = {"Referer": "https://" + urlsplit(self.base_url).netloc + referer} if referer else None
        started = time.perf_counter()
        response = requests.request(
            method, url, data=data, headers=self.headers(extra), allow_redirects=False, timeout=self.timeout
        )
        text = response.text
        wall = (time.perf_counter() - started) * 1000
        self._keep_cookies(response)
        timing = parse_server_timing(response.headers.get("Server-Timing", ""))
        queries = timing.get("queries", (None, ""))[1]
        return Timed(
            status=response.status_code,
            text=text,
            wall_ms=wall,
            app_ms=timing.get("app", (None, ""))[0],
            sql_ms=timing.get("sql", (None, ""))[0],
            queries=int(queries) if queries.isdigit() else None,
            location=response.headers.get("Location", ""),
        )

    def get(self, path: str) -> Timed:
        return self.request("GET", path)

    def post_form(self, path: str, data: dict[str, str]) -> Timed:
        page = self.get(path)
        if page.status != 200:
            raise SignInError(f"GET {path} answered {page.status}")
        return self.request(
            "POST", path, {**data, "csrfmiddlewaretoken": csrf_token(page.text)}, referer=path
        )


def sign_in(base_url: str, username: str, password: str, totp_key: str | None = None) -> BenchClient:
    """Sign in through the login page and, for roles that require it, the two-factor page; returns the
    client holding the session. Raises SignInError when the server does not let the user in."""
    client = BenchClient(base_url)
    try:
        return _sign_in(client, username, password, totp_key)
    except requests.RequestException as error:
        raise SignInError(f"{username}: {error}") from error


def _sign_in(client: BenchClient, username: str, password: str, totp_key: str | None) -> BenchClient:
    from django_otp.oath import TOTP

    answer = client.post_form("/accounts/login/", {"username": username, "password": password})
    if answer.status != 302:
        raise SignInError(f"{username}: the login page answered {answer.status}, not a redirect")
    target = urlsplit(answer.location).path
    if not target.startswith("/accounts/two-factor/"):
        # The login page sends home; a role that needs a second factor is sent on from there.
        landing = client.get(target or "/")
        target = urlsplit(landing.location).path if landing.status == 302 else target
    if target.startswith("/accounts/two-factor/"):
        if not totp_key:
            raise SignInError(f"{username}: two-factor sign-in is required and the user has no device")
        token = f"{TOTP(bytes.fromhex(totp_key)).token():06d}"
        answer = client.post_form("/accounts/two-factor/", {"token": token})
        if answer.status != 302:
            raise SignInError(f"{username}: the two-factor page answered {answer.status}, not a redirect")
    home = client.get("/")
    if home.status != 200:
        raise SignInError(f"{username}: the home page answered {home.status} after sign-in")
    return client


def check(answer: Timed, status: int, marker: str) -> str | None:
    """None when the answer is the page expected; otherwise why not."""
    if answer.status != status:
        return f"status {answer.status}, expected {status}"
    if marker and marker not in answer.text:
        return f"{marker!r} not in the page"
    return None
