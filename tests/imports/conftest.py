"""Fixtures of the import tests: files built in the test (CSV or XLSX) and program A's known clients."""

import csv
import io

import pytest
from openpyxl import Workbook

from .. import factories as f


def as_csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def csv_file():
    return as_csv


@pytest.fixture
def xlsx_file():
    return as_xlsx


@pytest.fixture
def known_client(program_a, specialist_a):
    client = f.ClientFactory(program=program_a, record_number="K-1")
    f.EnrollmentFactory(client=client, specialist=specialist_a)
    return client


@pytest.fixture
def client_b_record(program_b):
    return f.ClientFactory(program=program_b, record_number="B-9")


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()
