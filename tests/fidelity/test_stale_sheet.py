"""A trainer's scoring sheet saved from an out-of-date second device (issue 18): refused with the saved
scores shown beside the kept input, instead of wiping the newer scores and evidence."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.urls import reverse

from core.locking import EditConflict
from fidelity import services
from fidelity.models import ReviewerScore

from .. import factories as f
from .support import entries, schedule

pytestmark = pytest.mark.django_db


def sheet_post(scores, evidence, version):
    data = {"action": "save", "version": version}
    for n, s in enumerate(scores, start=1):
        if s is not None:
            data[f"score_{n}"] = str(s)
        data[f"evidence_{n}"] = f"{evidence} {n}"
    return data


def saved(review, user):
    rows = ReviewerScore.objects.filter(item_score__review=review, reviewer=user).select_related("item_score__item")
    return {r.item_score.item.number: (r.score, r.evidence) for r in rows}


def test_a_stale_second_device_is_refused_and_shows_both_versions(client, ns):
    review = schedule(ns)
    services.save_reviewer_scores(review, entries([3] * 25, "Laptop"), user=ns.trainer1)
    client.force_login(ns.trainer1)
    url = reverse("fidelity:score", args=[review.pk])
    phone_version = client.get(url).context["form"]["version"].value()  # the phone opens the sheet
    # The laptop then scores all 25 items with their evidence.
    laptop = services.sheet_version(review, ns.trainer1)
    services.save_reviewer_scores(review, entries([4] * 25, "Laptop notes"), user=ns.trainer1, version=laptop)
    # The phone, still showing the old sheet, saves one change (item 1) over the 24 others as they were.
    response = client.post(url, sheet_post([5] + [3] * 24, "Phone", phone_version))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="scoring-conflict"' in body and "another window or device" in body
    assert body.count('data-version="saved"') == 25 and "· Laptop notes<" in body  # the saved version per item
    assert "Phone 7" in body  # the phone's input is kept in the form
    assert saved(review, ns.trainer1) == dict.fromkeys(range(1, 26), (4, "Laptop notes"))  # nothing wiped
    # The form now carries the saved version: saving again deliberately replaces it.
    form = response.context["form"]
    assert form["version"].value() == services.sheet_version(review, ns.trainer1)
    assert client.post(url, sheet_post([5] + [3] * 24, "Phone", form["version"].value())).status_code == 302
    assert saved(review, ns.trainer1)[1] == (5, "Phone 1")


def test_the_service_refuses_a_stale_sheet_version(ns):
    review = schedule(ns)
    assert services.sheet_version(review, ns.trainer1) == ""
    services.save_reviewer_scores(review, entries([3] * 25), user=ns.trainer1, version="")
    stale = services.sheet_version(review, ns.trainer1)
    services.save_reviewer_scores(review, entries([4] * 25, "Newer"), user=ns.trainer1, version=stale)
    with pytest.raises(EditConflict):
        services.save_reviewer_scores(review, entries([2] * 25, "Older"), user=ns.trainer1, version=stale)
    assert set(saved(review, ns.trainer1).values()) == {(4, "Newer")}
    # The other reviewer's sheet has its own version: trainer 1's saves do not make it stale.
    services.save_reviewer_scores(review, entries([2] * 25), user=ns.trainer2, version="")


def test_two_devices_saving_at_once_one_wins_the_other_is_told(transactional_db, ns):
    f.current_scale()  # an earlier transactional test may have flushed the scale's data migration
    review = schedule(ns)
    services.save_reviewer_scores(review, entries([3] * 25), user=ns.trainer1)
    version = services.sheet_version(review, ns.trainer1)
    start = threading.Barrier(2)

    def save(device):
        try:
            start.wait(timeout=10)
            services.save_reviewer_scores(
                review, entries([4 if device else 2] * 25, f"device {device}"), user=ns.trainer1, version=version
            )
            return device
        except EditConflict:
            return None
        finally:
            connection.close()  # each device on its own connection

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(save, range(2)))

    winners = [d for d in outcomes if d is not None]
    assert len(winners) == 1, outcomes
    score = 4 if winners[0] else 2
    assert set(saved(review, ns.trainer1).values()) == {(score, f"device {winners[0]}")}
