"""Fidelity scoring rules: totals and levels. Cut-offs come from FidelityLevel rows."""

from django.db.models import Count, Sum

from .models import FidelityLevel


class IncompleteReview(Exception):
    """Raised when a total is asked of a review that is missing consensus scores."""

    def __init__(self, missing_items):
        self.missing_items = missing_items
        super().__init__("Items without a consensus score: " + ", ".join(str(n) for n in missing_items))


def level_for(scale, total):
    """The FidelityLevel whose [min_total, max_total] holds `total`, or None outside the scale."""
    if total is None:
        return None
    return FidelityLevel.objects.filter(scale=scale, min_total__lte=total, max_total__gte=total).first()


def missing_consensus_items(review):
    """Numbers of the scale's items that have no consensus score on this review."""
    scored = review.item_scores.filter(consensus_score__isnull=False).values("item_id")
    return list(review.scale.items.exclude(pk__in=scored).order_by("number").values_list("number", flat=True))


def consensus_total(review):
    """Sum of the consensus scores; raises IncompleteReview unless every item is scored."""
    missing = missing_consensus_items(review)
    if missing:
        raise IncompleteReview(missing)
    return review.item_scores.aggregate(total=Sum("consensus_score"))["total"]


def section_subtotals(review):
    """[(section name, subtotal, item count)] in section order."""
    rows = (
        review.item_scores.values("item__section__number", "item__section__name")
        .annotate(subtotal=Sum("consensus_score"), items=Count("pk"))
        .order_by("item__section__number")
    )
    return [(r["item__section__name"], r["subtotal"], r["items"]) for r in rows]
