"""Fixtures shared by the fidelity tests (the helpers that walk a review through the services are in
support.py)."""

import pytest

# The browser fixtures, re-exported for the browser test of this folder.
from ..browser import browser as browser
from ..browser import phone_page as phone_page
from .support import make_region


@pytest.fixture
def ns(db):
    """A region with three trainers, a program with its supervisor and specialist, a sibling program,
    another region's program with its trainer and specialist, and an administrator."""
    return make_region()
