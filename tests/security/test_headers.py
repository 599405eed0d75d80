"""Response headers: no cached copies of client data, a Permissions-Policy, HSTS settings, and
`check --deploy` clean with the production environment the README documents."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .. import factories as f

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
# The README's production environment (section "Production").
PRODUCTION_ENV = {
    "SECRET_KEY": "a-production-like-secret-key-of-enough-length-and-variety-0123456789-XYZ",
    "ALLOWED_HOSTS": "ips.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://ips.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
}


def test_client_pages_and_exports_are_not_cached(client, supervisor_a, program_a):
    person = f.ClientFactory(program=program_a)
    client.force_login(supervisor_a)
    dashboard = f"/reports/dashboard/?program={program_a.code}"
    export = f"/reports/dashboard/export/all.xlsx?program={program_a.code}"
    for url in ["/clients/", f"/clients/{person.pk}/", dashboard, export]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_pages_deny_the_browser_features_no_page_uses(client):
    response = client.get("/login/")
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_check_deploy_is_clean_with_the_production_environment():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="ips_site.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hsts_includes_subdomains_and_preload_in_production():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    env = {**os.environ, **PRODUCTION_ENV}
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.splitlines()[-1].split() == ["31536000", "True", "True"], result.stderr


def test_the_content_security_policy_allows_no_inline_script_or_style(client, supervisor_a):
    client.force_login(supervisor_a)
    policy = client.get("/clients/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_no_template_has_inline_script_handlers_or_style_attributes():
    # What the policy would block: inline handlers, style attributes, script blocks (PDF templates are
    # rendered by WeasyPrint, never served to a browser).
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "pdf" in path.name:
            continue
        text = path.read_text()
        if re.search(r"\son[a-z]+=|\sstyle=|<style|<script(?![^>]*\ssrc=)(?![^>]*application/json)", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
