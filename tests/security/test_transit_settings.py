"""Data in transit: TLS to PostgreSQL through DATABASE_URL's options and to Redis with `rediss://`,
the server's certificate verified (ips_site/settings.py)."""

import os
import ssl
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def settings_with(env_overrides, expression):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update({"SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "ips_site.settings", **env_overrides})
    code = f"import django; from django.conf import settings; django.setup(); print(repr(({expression})))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_tls_options_reach_libpq():
    url = "postgres://ips@db.internal:5432/ips?sslmode=verify-full&sslrootcert=/etc/ips/pg-ca.pem"
    options = settings_with({"DATABASE_URL": url}, "settings.DATABASES['default']['OPTIONS']")
    assert "'sslmode': 'verify-full'" in options
    assert "'sslrootcert': '/etc/ips/pg-ca.pem'" in options


def test_a_rediss_broker_verifies_the_server_certificate():
    expression = "settings.CELERY_BROKER_USE_SSL, settings.CELERY_REDIS_BACKEND_USE_SSL"
    value = settings_with(
        {
            "CELERY_BROKER_URL": "rediss://cache.internal:6380/0",
            "CELERY_RESULT_BACKEND": "rediss://cache.internal:6380/1",
            "REDIS_CA_CERTS": "/etc/ips/redis-ca.pem",
        },
        expression,
    )
    required = f"'ssl_cert_reqs': <VerifyMode.CERT_REQUIRED: {ssl.CERT_REQUIRED.value}>"
    assert value.count(required) == 2
    assert value.count("'ssl_ca_certs': '/etc/ips/redis-ca.pem'") == 2


def test_a_plain_redis_broker_has_no_tls_options():
    value = settings_with(
        {"CELERY_BROKER_URL": "redis://cache.internal:6379/0"}, "hasattr(settings, 'CELERY_BROKER_USE_SSL')"
    )
    assert value == "False"
