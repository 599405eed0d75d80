"""Audit and data in one transaction: when the audit entry cannot be written, nothing is saved (the
services write it inside their own atomic block), for contacts, job-development entries and report
requests."""

import datetime

import pytest
from django.db import DatabaseError
from django.utils import timezone

from audit.models import Action, AuditEvent
from clients import services as client_services
from clients.models import Contact
from jobs import services as job_services
from jobs.models import EmployerContact
from outcomes.periods import Period
from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import services as report_services

from .. import factories as f
from ..quarterly_data import YEAR, Q

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return Period.quarter(YEAR, Q)


@pytest.fixture
def audit_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise DatabaseError("audit table unavailable")

    monkeypatch.setattr(AuditEvent, "save", refuse)


@pytest.fixture
def enrolled(program_a, specialist_a):
    client = f.ClientFactory(program=program_a)
    start = timezone.localdate() - datetime.timedelta(days=40)
    f.EnrollmentFactory(client=client, enrollment_date=start, referral_date=start, specialist=specialist_a)
    return client


def test_a_contact_is_not_saved_without_its_audit_entry(enrolled, specialist_a, audit_down):
    with pytest.raises(DatabaseError):
        client_services.log_contact(enrolled, user=specialist_a, note="met at the bakery")
    assert not Contact.objects.exists()


def test_a_contact_and_its_audit_entry_are_saved_together(enrolled, specialist_a):
    contact = client_services.log_contact(enrolled, user=specialist_a)
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(contact.pk), user=specialist_a).exists()


def test_a_job_development_entry_is_not_saved_without_its_audit_entry(program_a, specialist_a, audit_down):
    employer = f.EmployerFactory(program=program_a)
    with pytest.raises(DatabaseError):
        job_services.log_employer_contact(employer, user=specialist_a, contact_date=timezone.localdate())
    assert not EmployerContact.objects.exists()


def test_a_report_request_is_not_saved_without_its_audit_entry(program_a, period, supervisor_a, audit_down):
    with pytest.raises(DatabaseError):
        report_services.request_program_report(program_a, period, user=supervisor_a)
    assert not QuarterlyReport.objects.exists()


def test_a_retry_is_not_saved_without_its_audit_entry(program_a, supervisor_a, audit_down):
    report = QuarterlyReport.objects.create(program=program_a, year=YEAR, quarter=Q, status=ReportStatus.FAILED)
    with pytest.raises(DatabaseError):
        report_services.retry_report(report, user=supervisor_a)
    assert QuarterlyReport.objects.get(pk=report.pk).status == ReportStatus.FAILED


def test_a_report_request_is_audited_with_it(program_a, period, supervisor_a):
    report, created = report_services.request_program_report(program_a, period, user=supervisor_a)
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(report.pk))
    assert created and event.user == supervisor_a and event.detail == {"report": report.pk, "version": 1}
