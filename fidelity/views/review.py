"""One review's workflow: its overview, each reviewer's scoring, consensus, the report, finalization and
amendments. Rule refusals come back from the services as RuleViolation (EditConflict when someone saved
first) and are shown on the form, or in the message area where the page has none."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.models import Action
from audit.services import record
from core.errors import RuleViolation, add_to_form
from core.locking import EditConflict, version_of
from programs.access import Capability, can, get_scoped_or_404

from .. import selectors, services, suggestions
from ..forms import AmendmentForm, ConsensusForm, ReportForm, ScoringForm
from ..models import ReviewStatus
from .common import REVIEWS, lead_or_404, review_for_reviewers, show_in_messages


@login_required
def review_detail(request, pk):
    review = get_scoped_or_404(REVIEWS, request.user, Capability.VIEW_FIDELITY_REPORT, pk=pk)
    if not can(request.user, Capability.REVIEW_FIDELITY, review.program_id):
        if review.status != ReviewStatus.FINALIZED:
            raise Http404("No such review.")
        return redirect("fidelity:report", pk=review.pk)
    record(request, Action.VIEW, review)
    scored = selectors.scored_counts(review)
    consensus_done = review.item_scores.filter(consensus_score__isnull=False).count()
    both = selectors.both_submitted(review)
    problems = services.finalize_problems(review)[0] if both and review.status != ReviewStatus.FINALIZED else []
    return render(
        request,
        "fidelity/review_detail.html",
        {
            "review": review,
            "slot": selectors.reviewer_slot(review, request.user),
            "can_lead": services.can_lead(review, request.user),
            "both_submitted": both,
            "scored_1": scored.get(review.reviewer_1_id, 0),
            "scored_2": scored.get(review.reviewer_2_id, 0),
            "item_count": review.scale.items.count(),
            "consensus_done": consensus_done,
            "problems": problems,
            "level": review.scale.level_for(review.total_score),
        },
    )


@login_required
def score(request, pk):
    """The signed-in reviewer's own scoring form. The other reviewer's scores appear only after both submit."""
    review = review_for_reviewers(request, pk)
    if not services.can_score(review, request.user):
        raise Http404("No such review.")
    rows = selectors.scoring_rows(review, request.user)
    items = [row["item"] for row in rows]
    existing = {row["item"].pk: row["mine"] for row in rows if row["mine"]}
    submitted = selectors.submitted_by(review, request.user)
    locked = submitted or review.status == ReviewStatus.FINALIZED
    if request.method == "POST" and locked:
        messages.error(request, "Your scores are submitted or the review is finalized: they can no longer change.")
        return redirect("fidelity:score", pk=review.pk)
    form = ScoringForm(
        request.POST or None, items=items, existing=existing, version=services.sheet_version(review, request.user)
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            version = form.cleaned_data["version"]
            services.save_reviewer_scores(review, form.entries(), user=request.user, version=version)
            problem = services.submit_problem(review, request.user) if submit else None
            if problem is not None:
                raise problem
        except EditConflict as error:
            # Saved meanwhile from another device: the saved scores are shown beside this input, which stays
            # in the form (now on the newer version, so saving again deliberately replaces them).
            conflict = True
            rows = selectors.scoring_rows(review, request.user)
            data = request.POST.copy()
            data["version"] = services.sheet_version(review, request.user)
            form = ScoringForm(data, items=items, existing=existing, version=data["version"])
            form.is_valid()
            form.add_error(None, error.message)
        except RuleViolation as error:
            # The sheet is saved item by item as a draft; the reasons go above it after the redirect.
            if submit:
                messages.warning(request, "Your draft is saved, but the scores are not submitted.")
            show_in_messages(request, error)
            return redirect("fidelity:score", pk=review.pk)
        else:
            if submit:
                # Submitting cannot be undone: the draft is saved, the confirmation step submits.
                return redirect("fidelity:submit_scores", pk=review.pk)
            messages.success(request, "Draft saved.")
            return redirect("fidelity:score", pk=review.pk)
    else:
        record(request, Action.VIEW, review, detail={"step": "score"})
    evidence = suggestions.suggestions_for_review(review, items)
    sheet = [
        {
            **row,
            "fields": form.bound(row["item"]),
            "suggestion": evidence.get(row["item"].number),
            "saved": _saved_sheet_row(row, form) if conflict else None,
        }
        for row in rows
    ]
    return render(
        request,
        "fidelity/score.html",
        {
            "review": review,
            "form": form,
            "sections": selectors.group_by_section(sheet),
            "locked": locked,
            "submitted": submitted,
            "both_submitted": selectors.both_submitted(review),
            "scored_count": sum(1 for row in rows if row["mine"] and row["mine"].score),
            "conflict": conflict,
        },
    )


@login_required
def submit_scores(request, pk):
    """The confirmation step of "Submit my scores": the saved draft, then one POST that submits it."""
    review = review_for_reviewers(request, pk)
    if not services.can_score(review, request.user):
        raise Http404("No such review.")
    if selectors.submitted_by(review, request.user) or review.status == ReviewStatus.FINALIZED:
        return redirect("fidelity:score", pk=review.pk)
    if request.method == "POST":
        try:
            services.submit_scores(review, user=request.user)
        except RuleViolation as error:
            show_in_messages(request, error)
            return redirect("fidelity:score", pk=review.pk)
        messages.success(request, "Your scores are submitted.")
        return redirect("fidelity:review", pk=review.pk)
    rows = selectors.scoring_rows(review, request.user)
    return render(
        request,
        "fidelity/submit_confirm.html",
        {"review": review, "rows": rows, "problem": services.submit_problem(review, request.user)},
    )


@login_required
def consensus(request, pk):
    review = lead_or_404(request, pk)
    if not selectors.both_submitted(review):
        messages.info(request, "Consensus starts once both reviewers have submitted their scores.")
        return redirect("fidelity:review", pk=review.pk)
    rows = selectors.consensus_rows(review)
    locked = review.status == ReviewStatus.FINALIZED
    form = ConsensusForm(request.POST or None, rows=rows, version=version_of(review))
    conflict = False
    if request.method == "POST" and not locked and form.is_valid():
        try:
            services.record_consensus(review, form.entries(), user=request.user, version=form.cleaned_data["version"])
        except EditConflict as error:
            # Someone saved first: their saved version is shown beside this reviewer's input, which stays in
            # the form (now on the newer version, so saving again deliberately replaces theirs).
            conflict = True  # the page says so above the form (consensus.html), with both versions per item
            rows = selectors.consensus_rows(review)
            data = request.POST.copy()
            data["version"] = version_of(error.current or review)
            form = ConsensusForm(data, rows=rows, version=data["version"])
            form.is_valid()
        except RuleViolation as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Consensus saved.")
            if request.POST.get("action") == "report":
                return redirect("fidelity:report_edit", pk=review.pk)
            return redirect("fidelity:consensus", pk=review.pk)
    else:
        record(request, Action.VIEW, review, detail={"step": "consensus"})
    agreed = [r["item_score"].consensus_score for r in rows if r["item_score"] and r["item_score"].consensus_score]
    total = sum(agreed) if len(agreed) == len(rows) else None
    evidence = suggestions.suggestions_for_review(review, [row["item"] for row in rows])
    table = [
        {
            **row,
            "score_field": form[f"score_{n}"],
            "rationale_field": form[f"rationale_{n}"],
            "suggestion": evidence.get(n),
            "theirs": _saved_version(row, form, n) if conflict else None,
        }
        for row in rows
        for n in [row["item"].number]
    ]
    return render(
        request,
        "fidelity/consensus.html",
        {
            "review": review,
            "form": form,
            "sections": selectors.group_by_section(table),
            "locked": locked,
            "conflict": conflict,
            "agreed_count": len(agreed),
            "disagreements": sum(1 for r in rows if r["disagree"]),
            "total": total,
            "level": review.scale.level_for(total),
        },
    )


def _saved_sheet_row(row, form):
    """This reviewer's saved score of the row's item (from the other device), and whether the input differs."""
    saved, n = row["mine"], row["item"].number
    score, evidence = (saved.score, saved.evidence) if saved else (None, "")
    yours = (str(form[f"score_{n}"].value() or ""), (form[f"evidence_{n}"].value() or "").strip())
    return {"score": score, "evidence": evidence, "differs": yours != (str(score or ""), evidence.strip())}


def _saved_version(row, form, n):
    """The consensus saved by someone else for item `n`, and whether it differs from what this user typed."""
    saved = row["item_score"]
    score = saved.consensus_score if saved else None
    rationale = saved.rationale if saved else ""
    yours = (str(form[f"score_{n}"].value() or ""), (form[f"rationale_{n}"].value() or "").strip())
    return {"score": score, "rationale": rationale, "differs": yours != (str(score or ""), rationale.strip())}


@login_required
def report_edit(request, pk):
    review = lead_or_404(request, pk)
    if review.status == ReviewStatus.FINALIZED:
        messages.info(request, "This review is finalized; the report can no longer be edited.")
        return redirect("fidelity:report", pk=review.pk)
    rows = selectors.report_rows(review)
    form = ReportForm(request.POST or None, instance=review, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_report(
                review,
                user=request.user,
                strengths=form.cleaned_data["strengths"],
                summary=form.cleaned_data["summary"],
                recommendations=form.recommendations(),
                version=form.cleaned_data["version"],
            )
        except RuleViolation as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Report saved.")
            if request.POST.get("action") == "finalize":
                return _finalize(request, review)
            return redirect("fidelity:review", pk=review.pk)
    return render(
        request,
        "fidelity/report_edit.html",
        {"review": review, "form": form, "visit_ended": selectors.visit_has_ended(review)},
    )


def _finalize(request, review):
    try:
        services.finalize_review(review, user=request.user)
    except RuleViolation as error:
        show_in_messages(request, error)
        return redirect("fidelity:review", pk=review.pk)
    messages.success(request, "The review is finalized. Scores are locked.")
    return redirect("fidelity:report", pk=review.pk)


@login_required
@require_POST
def finalize(request, pk):
    return _finalize(request, lead_or_404(request, pk))


@login_required
def amend(request, pk):
    review = lead_or_404(request, pk)
    if review.status != ReviewStatus.FINALIZED:
        raise Http404("Only finalized reviews are amended.")
    rows = selectors.report_rows(review)
    form = AmendmentForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.amend_score(review, user=request.user, **form.cleaned_data)
        except RuleViolation as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Score amended; the total and level are updated.")
            return redirect("fidelity:report", pk=review.pk)
    return render(request, "fidelity/amend.html", {"review": review, "form": form})
