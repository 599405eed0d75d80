"""Fixtures shared by the fidelity tests (support.py has the helpers that walk a review through the
services)."""

from types import SimpleNamespace

import pytest

from programs.models import Role

from .. import factories as f


@pytest.fixture
def ns(db):
    """A region with three trainers, a program with its supervisor and specialist, a sibling program,
    another region's program with its trainer and specialist, and an administrator."""
    region = f.RegionFactory(name="Fidelity Test Region")
    program = f.ProgramFactory(agency__region=region, name="Harbor Lights IPS", code="harbor-lights")
    other_region_program = f.ProgramFactory(name="Faraway IPS", code="faraway")
    return SimpleNamespace(
        region=region,
        program=program,
        sibling=f.ProgramFactory(agency__region=region, name="Sibling IPS", code="sibling"),
        other_program=other_region_program,
        trainer1=f.make_user(Role.TRAINER, region=region, username="fid_trainer1", first_name="Tara"),
        trainer2=f.make_user(Role.TRAINER, region=region, username="fid_trainer2", first_name="Tomas"),
        trainer3=f.make_user(Role.TRAINER, region=region, username="fid_trainer3", first_name="Teo"),
        outsider=f.make_user(Role.TRAINER, region=other_region_program.agency.region, username="fid_outsider"),
        supervisor=f.make_user(Role.SUPERVISOR, program=program, username="fid_supervisor"),
        specialist=f.make_user(Role.SPECIALIST, program=program, username="fid_specialist"),
        other_specialist=f.make_user(Role.SPECIALIST, program=other_region_program, username="fid_other_spec"),
        admin=f.make_user(Role.ADMIN, username="fid_admin", is_staff=True),
    )
