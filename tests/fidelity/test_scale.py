"""The IPS-25 scale is loaded as data, and totals map to levels at every cut-off."""

import pytest

from fidelity.models import FidelityAnchor, FidelityItem, FidelityLevel
from fidelity.selectors import IncompleteReview, consensus_total, missing_consensus_items, section_subtotals

from .. import factories as f
from .support import LEVEL_BOUNDARIES

pytestmark = pytest.mark.django_db


def test_ips25_is_loaded_with_25_items_in_3_sections_and_5_anchors_each():
    scale = f.current_scale()
    assert scale.items.count() == 25
    assert list(scale.sections.values_list("name", flat=True)) == ["Staffing", "Organization", "Services"]
    assert sorted(scale.items.values_list("number", flat=True)) == list(range(1, 26))
    assert FidelityAnchor.objects.filter(item__scale=scale).count() == 125
    assert scale.max_total == 125
    item_15 = FidelityItem.objects.get(scale=scale, number=15)
    assert item_15.data_hint == "rapid_job_search"
    assert "30" in item_15.anchors.get(score=5).text


@pytest.mark.parametrize(
    ("total", "level"),
    LEVEL_BOUNDARIES,
)
def test_total_and_level_at_every_boundary(total, level):
    review = f.score_review(f.FidelityReviewFactory(), f.scores_for_total(total))
    assert consensus_total(review) == total
    assert review.scale.level_for(total).code == level


def test_levels_are_data_an_administrator_can_change():
    scale = f.current_scale()
    FidelityLevel.objects.filter(scale=scale, code="good").update(min_total=98)
    FidelityLevel.objects.filter(scale=scale, code="fair").update(max_total=97)
    assert scale.level_for(98).code == "good"


def test_total_refuses_a_review_with_unscored_items():
    review = f.FidelityReviewFactory()
    items = list(review.scale.items.order_by("number"))
    for item in items[:-2]:
        f.ItemScoreFactory(review=review, item=item, consensus_score=4)
    f.ItemScoreFactory(review=review, item=items[-2], consensus_score=None)
    assert missing_consensus_items(review) == [24, 25]
    with pytest.raises(IncompleteReview) as excinfo:
        consensus_total(review)
    assert excinfo.value.missing_items == [24, 25]


def test_section_subtotals_add_up_to_the_total():
    review = f.score_review(f.FidelityReviewFactory(), f.scores_for_total(100))
    subtotals = section_subtotals(review)
    assert [name for name, _, _ in subtotals] == ["Staffing", "Organization", "Services"]
    assert [count for _, _, count in subtotals] == [3, 8, 14]
    assert sum(subtotal for _, subtotal, _ in subtotals) == 100
