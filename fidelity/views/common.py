"""What every fidelity page shares: reaching a review through the access layer, and showing a rule's
refusal on a page without a form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

from programs.access import Capability, can, get_scoped_or_404

from .. import services
from ..models import FidelityReview, ReviewStatus

REVIEWS = FidelityReview.objects.select_related("program__agency__region", "scale", "reviewer_1", "reviewer_2")


def review_for_reviewers(request, pk):
    """A review in the user's region, for trainers and administrators; 404 otherwise."""
    return get_scoped_or_404(REVIEWS, request.user, Capability.REVIEW_FIDELITY, pk=pk)


def review_for_readers(request, pk):
    """A review the user may read: trainers/admins of the region see any state; program staff only
    finalized reviews of their own program."""
    review = get_scoped_or_404(REVIEWS, request.user, Capability.VIEW_FIDELITY_REPORT, pk=pk)
    if review.status != ReviewStatus.FINALIZED and not can(request.user, Capability.REVIEW_FIDELITY, review.program_id):
        raise Http404("No such review.")
    return review


def lead_or_404(request, pk):
    review = review_for_reviewers(request, pk)
    if not services.can_lead(review, request.user):
        raise Http404("No such review.")
    return review


def show_in_messages(request, error: ValidationError):
    """A rule's refusal of an action that has no form on the page it returns to (the message area)."""
    for message in error.messages:
        messages.error(request, message)
