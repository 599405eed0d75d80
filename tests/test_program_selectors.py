"""programs.selectors.specialists_of: the one definition of a program's specialists."""

import pytest

from programs.models import Membership, Role
from programs.selectors import specialists_of

from . import factories as f

pytestmark = pytest.mark.django_db


def test_only_active_specialists_of_the_given_programs(program_a, program_b, specialist_a, specialist_b, supervisor_a):
    former = f.make_user(Role.SPECIALIST, program=program_a, username="former_spec")
    Membership.objects.filter(user=former).update(is_active=False)
    assert list(specialists_of(program_a)) == [specialist_a]
    assert set(specialists_of([program_a.pk, program_b.pk])) == {specialist_a, specialist_b}
    assert supervisor_a not in specialists_of(program_a)
