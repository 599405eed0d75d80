"""The API's serializers, one module per subject; the names are re-exported for `serializers.X`."""

from .clients import BenefitsSessionSerializer, ClientSerializer, ContactSerializer, EnrollmentSerializer
from .common import Versioned
from .fidelity import FidelityReviewSerializer, ItemScoreSerializer, ReviewerScoreSerializer
from .jobs import EmployerContactSerializer, EmployerSerializer, FollowAlongSupportSerializer, JobStartSerializer
from .plans import CareerProfileSerializer, EmploymentPlanSerializer, PlanStepSerializer, WorkHistorySerializer
from .reports import QuarterlyReportSerializer

__all__ = [
    "BenefitsSessionSerializer",
    "CareerProfileSerializer",
    "ClientSerializer",
    "ContactSerializer",
    "EmployerContactSerializer",
    "EmployerSerializer",
    "EmploymentPlanSerializer",
    "EnrollmentSerializer",
    "FidelityReviewSerializer",
    "FollowAlongSupportSerializer",
    "ItemScoreSerializer",
    "JobStartSerializer",
    "PlanStepSerializer",
    "QuarterlyReportSerializer",
    "ReviewerScoreSerializer",
    "Versioned",
    "WorkHistorySerializer",
]
