import pytest

from audit.models import Action
from audit.services import record
from tests import factories as f


@pytest.fixture
def trail(db):
    """Five chained audit entries, oldest first."""
    user = f.UserFactory(username="auditor")
    return [record(None, Action.VIEW, user, user=user, detail={"n": n}) for n in range(5)]
