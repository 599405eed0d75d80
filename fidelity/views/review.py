"""Fidelity review pages. Thin: access through programs/access.py, rules in services, reads in selectors.

Anything outside the user's scope is a 404. Trainers and administrators (REVIEW_FIDELITY) run reviews;
supervisors and specialists (VIEW_FIDELITY_REPORT) see finalized reports of their own programs;
supervisors (MANAGE_PROGRAM) own the action plan.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.models import Action
from audit.services import record
from benchmarks.models import BenchmarkSettings
from core.locking import EditConflict
from core.pdf import pdf_response
from programs.access import Capability, can, get_scoped_or_404, programs_for
from programs.models import Program

from . import charts, selectors, services, suggestions
from .forms import ActionItemForm, AmendmentForm, ConsensusForm, ReportForm, ScheduleForm, ScoringForm
from .models import ActionPlanItem, FidelityLevel, FidelityReview, ReviewStatus

REVIEWS = FidelityReview.objects.select_related("program__agency__region", "scale", "reviewer_1", "reviewer_2")


def _review_for_reviewers(request, pk):
    """A review in the user's region, for trainers and administrators; 404 otherwise."""
    return get_scoped_or_404(REVIEWS, request.user, Capability.REVIEW_FIDELITY, pk=pk)


def _review_for_readers(request, pk):
    """A review the user may read: trainers/admins of the region see any state; program staff only
    finalized reviews of their own program."""
    review = get_scoped_or_404(REVIEWS, request.user, Capability.VIEW_FIDELITY_REPORT, pk=pk)
    if review.status != ReviewStatus.FINALIZED and not can(request.user, Capability.REVIEW_FIDELITY, review.program_id):
        raise Http404("No such review.")
    return review


def _lead_or_404(request, pk):
    review = _review_for_reviewers(request, pk)
    if not services.can_lead(review, request.user):
        raise Http404("No such review.")
    return review


def _rule_error(request, error):
    for message in error.messages:
        messages.error(request, message)


def _levels(scale):
    return list(FidelityLevel.objects.filter(scale=scale).order_by("min_total"))


def _level(levels, total):
    return next((lv for lv in levels if total is not None and lv.min_total <= total <= lv.max_total), None)


# -- lists ----------------------------------------------------------------------------------------------------
@login_required
def index(request):
    """Reviews and what is due, for trainers and administrators."""
    programs = programs_for(request.user, Capability.REVIEW_FIDELITY)
    if not programs.exists():
        return redirect("fidelity:reports")
    today = timezone.localdate()
    open_reviews = list(selectors.open_reviews(programs))
    mine = [r for r in open_reviews if request.user.pk in (r.reviewer_1_id, r.reviewer_2_id)]
    return render(
        request,
        "fidelity/index.html",
        {
            "rows": selectors.program_rows(programs, today),
            "open_reviews": open_reviews,
            "mine": mine,
            "recent": selectors.recent_finalized(programs),
            "today": today,
            "benchmarks": BenchmarkSettings.current(),
        },
    )


@login_required
def regional(request):
    """All programs' latest fidelity in the user's region(s): total, level, date, next due."""
    programs = programs_for(request.user, Capability.REVIEW_FIDELITY)
    if not programs.exists():
        raise Http404("No such page.")
    today = timezone.localdate()
    rows = selectors.program_rows(programs, today)
    scored = [r for r in rows if r.latest]
    chart = charts.horizontal_bars_svg(
        [(r.program.name[:24], r.latest.total_score, r.latest.scale.max_total) for r in scored],
        title="Latest fidelity total by program",
        width=380,
        label_width=165,
    )
    counts = {}
    for r in scored:
        key = r.latest.level.name if r.latest.level else "—"
        counts[key] = counts.get(key, 0) + 1
    return render(
        request,
        "fidelity/regional.html",
        {"rows": rows, "chart": chart, "level_counts": sorted(counts.items()), "today": today},
    )


@login_required
def reports(request):
    """Finalized fidelity reports the user may read (supervisors' and specialists' entry point)."""
    programs = programs_for(request.user, Capability.VIEW_FIDELITY_REPORT)
    return render(
        request,
        "fidelity/reports.html",
        {
            "reviews": selectors.finalized_for_viewer(programs),
            "programs": programs.order_by("name"),
            "can_review": programs_for(request.user, Capability.REVIEW_FIDELITY).exists(),
        },
    )


# -- scheduling -----------------------------------------------------------------------------------------------
@login_required
def schedule(request):
    programs = programs_for(request.user, Capability.REVIEW_FIDELITY).select_related("agency__region")
    if not programs.exists():
        raise Http404("No such page.")
    reviewers = services.eligible_reviewers_for(programs)
    initial = {"reviewer_1": reviewers.filter(pk=request.user.pk).first()}
    if request.GET.get("program"):
        initial["program"] = programs.filter(code=request.GET["program"]).first()
        if request.GET.get("type"):
            initial["review_type"] = request.GET["type"]
    form = ScheduleForm(request.POST or None, programs=programs, reviewers=reviewers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.schedule_review(by=request.user, **data)
        except services.ReviewRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            record(request, Action.CREATE, review, detail={"step": "schedule"})
            messages.success(request, f"Review of {review.program} scheduled for {review.visit_start:%b %d, %Y}.")
            return redirect("fidelity:review", pk=review.pk)
    return render(request, "fidelity/schedule.html", {"form": form})


# -- one review -----------------------------------------------------------------------------------------------
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
    both = services.both_submitted(review)
    problems = services.finalize_problems(review)[0] if both and review.status != ReviewStatus.FINALIZED else []
    level = services.level_for(review.scale, review.total_score)
    return render(
        request,
        "fidelity/review_detail.html",
        {
            "review": review,
            "slot": services.reviewer_slot(review, request.user),
            "can_lead": services.can_lead(review, request.user),
            "both_submitted": both,
            "scored_1": scored.get(review.reviewer_1_id, 0),
            "scored_2": scored.get(review.reviewer_2_id, 0),
            "item_count": review.scale.items.count(),
            "consensus_done": consensus_done,
            "problems": problems,
            "level": level,
        },
    )


@login_required
def score(request, pk):
    """The signed-in reviewer's own scoring form. The other reviewer's scores appear only after both submit."""
    review = _review_for_reviewers(request, pk)
    if not services.can_score(review, request.user):
        raise Http404("No such review.")
    rows = selectors.scoring_rows(review, request.user)
    items = [row["item"] for row in rows]
    existing = {row["item"].pk: row["mine"] for row in rows if row["mine"]}
    submitted = services.submitted_by(review, request.user)
    locked = submitted or review.status == ReviewStatus.FINALIZED
    if request.method == "POST" and locked:
        messages.error(request, "Your scores are submitted or the review is finalized: they can no longer change.")
        return redirect("fidelity:score", pk=review.pk)
    form = ScoringForm(request.POST or None, items=items, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_reviewer_scores(review, request.user, form.entries())
            record(request, Action.UPDATE, review, detail={"step": "score"})
            if request.POST.get("action") == "submit":
                services.submit_scores(review, request.user)
                record(request, Action.UPDATE, review, detail={"step": "submit"})
                messages.success(request, "Your scores are submitted.")
                return redirect("fidelity:review", pk=review.pk)
            messages.success(request, "Draft saved.")
            return redirect("fidelity:score", pk=review.pk)
        except services.ReviewRuleError as error:
            if request.POST.get("action") == "submit":
                messages.warning(request, "Your draft is saved, but the scores are not submitted.")
            _rule_error(request, error)
            return redirect("fidelity:score", pk=review.pk)
    record(request, Action.VIEW, review, detail={"step": "score"})
    evidence = suggestions.suggestions_for_review(review, items)
    sheet = [{**row, "fields": form.bound(row["item"]), "suggestion": evidence.get(row["item"].number)} for row in rows]
    return render(
        request,
        "fidelity/score.html",
        {
            "review": review,
            "form": form,
            "sections": selectors.group_by_section(sheet),
            "locked": locked,
            "submitted": submitted,
            "both_submitted": services.both_submitted(review),
            "scored_count": sum(1 for row in rows if row["mine"] and row["mine"].score),
        },
    )


@login_required
def consensus(request, pk):
    review = _lead_or_404(request, pk)
    if not services.both_submitted(review):
        messages.info(request, "Consensus starts once both reviewers have submitted their scores.")
        return redirect("fidelity:review", pk=review.pk)
    rows = selectors.consensus_rows(review)
    locked = review.status == ReviewStatus.FINALIZED
    version = review.updated_at.isoformat()
    form = ConsensusForm(request.POST or None, rows=rows, version=version)
    conflict = False
    if request.method == "POST" and not locked and form.is_valid():
        try:
            services.record_consensus(review, request.user, form.entries(), version=form.cleaned_data["version"])
        except services.ReviewRuleError as error:
            _rule_error(request, error)
        except EditConflict as error:
            conflict = True
            messages.error(request, str(error))
            rows = selectors.consensus_rows(review)
            form = ConsensusForm(rows=rows, version=FidelityReview.objects.get(pk=review.pk).updated_at.isoformat())
        else:
            record(request, Action.UPDATE, review, detail={"step": "consensus"})
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
            "level": services.level_for(review.scale, total),
        },
    )


@login_required
def report_edit(request, pk):
    review = _lead_or_404(request, pk)
    if review.status == ReviewStatus.FINALIZED:
        messages.info(request, "This review is finalized; the report can no longer be edited.")
        return redirect("fidelity:report", pk=review.pk)
    rows = selectors.report_rows(review)
    form = ReportForm(request.POST or None, instance=review, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_report(
                review,
                request.user,
                strengths=form.cleaned_data["strengths"],
                summary=form.cleaned_data["summary"],
                recommendations=form.recommendations(),
                version=form.cleaned_data["version"],
            )
        except services.ReviewRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        except EditConflict as error:
            form.add_error(None, str(error))
        else:
            record(request, Action.UPDATE, review, detail={"step": "report"})
            messages.success(request, "Report saved.")
            if request.POST.get("action") == "finalize":
                return _finalize(request, review)
            return redirect("fidelity:review", pk=review.pk)
    return render(request, "fidelity/report_edit.html", {"review": review, "form": form})


def _finalize(request, review):
    try:
        services.finalize_review(review, request.user)
    except services.ReviewRuleError as error:
        _rule_error(request, error)
        return redirect("fidelity:review", pk=review.pk)
    record(request, Action.UPDATE, review, detail={"step": "finalize"})
    messages.success(request, "The review is finalized. Scores are locked.")
    return redirect("fidelity:report", pk=review.pk)


@login_required
@require_POST
def finalize(request, pk):
    return _finalize(request, _lead_or_404(request, pk))


@login_required
def amend(request, pk):
    review = _lead_or_404(request, pk)
    if review.status != ReviewStatus.FINALIZED:
        raise Http404("Only finalized reviews are amended.")
    rows = selectors.report_rows(review)
    form = AmendmentForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.amend_score(review, request.user, **form.cleaned_data)
        except services.ReviewRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            record(request, Action.CREATE, amendment, detail={"step": "amend"})
            record(request, Action.UPDATE, review, detail={"step": "amend", "amendment": amendment.pk})
            messages.success(request, "Score amended; the total and level are updated.")
            return redirect("fidelity:report", pk=review.pk)
    return render(request, "fidelity/amend.html", {"review": review, "form": form})


# -- report ---------------------------------------------------------------------------------------------------
def _report_context(review, request=None):
    rows = selectors.report_rows(review)
    subtotals = selectors.subtotals_by_review([review])[review.pk]
    history, _ = selectors.program_history(review.program)
    if review.status != ReviewStatus.FINALIZED:
        history = history + [review]
    levels = _levels(review.scale)
    total = review.total_score
    if total is None:
        scores = [r["item_score"].consensus_score for r in rows if r["item_score"]]
        total = sum(scores) if scores and all(s is not None for s in scores) else None
    points = [(h.visit_start.strftime("%b %Y"), h.total_score) for h in history if h.total_score is not None]
    if review.status != ReviewStatus.FINALIZED and total is not None:
        points.append((review.visit_start.strftime("%b %Y") + " (draft)", total))
    return {
        "review": review,
        "rows": rows,
        "sections": selectors.group_by_section(rows),
        "subtotals": subtotals,
        "total": total,
        "level": _level(levels, total),
        "amendments": [a for r in rows for a in r["amendments"]],
        "actions": list(review.action_items.select_related("recommendation__item")),
        "sections_svg": charts.horizontal_bars_svg(
            [(name, subtotal, maximum) for _, name, subtotal, maximum in subtotals],
            title="Section subtotals",
            width=400,
            label_width=110,
        ),
        "history_svg": charts.totals_history_svg(points, levels=levels) if points else "",
        "generated": timezone.now(),
    }


@login_required
def report(request, pk):
    review = _review_for_readers(request, pk)
    record(request, Action.VIEW, review, detail={"step": "report"})
    context = _report_context(review, request)
    context["can_lead"] = services.can_lead(review, request.user)
    context["can_manage_plan"] = services.can_manage_plan(review, request.user)
    return render(request, "fidelity/report.html", context)


@login_required
def report_pdf(request, pk):
    review = _review_for_readers(request, pk)
    record(request, Action.EXPORT, review, detail={"format": "pdf"})
    filename = f"fidelity-{review.program.code}-{review.visit_start:%Y-%m-%d}.pdf"
    return pdf_response("fidelity/report_pdf.html", _report_context(review, request), request, filename)


# -- action plan ---------------------------------------------------------------------------------------------
@login_required
def action_plan(request, pk):
    review = _review_for_readers(request, pk)
    if review.status != ReviewStatus.FINALIZED:
        raise Http404("The action plan follows the finalized report.")
    manage = services.can_manage_plan(review, request.user)
    form = ActionItemForm(request.POST or None, review=review) if manage else None
    if request.method == "POST":
        if not manage:
            raise Http404("No such page.")
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ActionItemForm.Meta.fields}
            action = services.add_action_item(review, request.user, **data)
            record(request, Action.CREATE, action)
            messages.success(request, "Action added to the plan.")
            return redirect("fidelity:action_plan", pk=review.pk)
    else:
        record(request, Action.VIEW, review, detail={"step": "action_plan"})
    actions = list(review.action_items.select_related("recommendation__item"))
    return render(
        request,
        "fidelity/action_plan.html",
        {"review": review, "actions": actions, "form": form, "manage": manage, "today": timezone.localdate()},
    )


@login_required
def action_edit(request, pk, action_pk):
    action = get_scoped_or_404(
        ActionPlanItem.objects.select_related("review__program", "review__scale"),
        request.user,
        Capability.MANAGE_PROGRAM,
        pk=action_pk,
        review_id=pk,
    )
    review = action.review
    if not services.can_manage_plan(review, request.user):
        raise Http404("No such action.")
    form = ActionItemForm(request.POST or None, instance=action, review=review)
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in ActionItemForm.Meta.fields}
        try:
            services.update_action_item(action, request.user, version=form.cleaned_data["version"], **changes)
        except EditConflict as error:
            form.add_error(None, str(error))
        else:
            record(request, Action.UPDATE, action)
            messages.success(request, "Action updated.")
            return redirect("fidelity:action_plan", pk=review.pk)
    return render(request, "fidelity/action_edit.html", {"review": review, "action": action, "form": form})


# -- history and evidence ------------------------------------------------------------------------------------
@login_required
def history(request, code):
    program = get_scoped_or_404(
        Program.objects.select_related("agency__region"), request.user, Capability.VIEW_FIDELITY_REPORT, code=code
    )
    record(request, Action.VIEW, program, detail={"page": "fidelity_history"})
    reviews, comparison = selectors.program_history(program)
    chart_data = {
        "labels": [r.visit_start.strftime("%b %Y") for r in reviews],
        "totals": [r.total_score for r in reviews],
        "cutoffs": [{"name": lv.name, "min": lv.min_total} for lv in _levels(reviews[-1].scale)] if reviews else [],
    }
    section_names = [name for _, name, _, _ in reviews[-1].subtotals] if reviews else []
    can_review = can(request.user, Capability.REVIEW_FIDELITY, program)
    row = selectors.program_rows(Program.objects.filter(pk=program.pk), timezone.localdate())[0] if can_review else None
    return render(
        request,
        "fidelity/history.html",
        {
            "program": program,
            "reviews": list(reversed(reviews)),
            "comparison": comparison,
            "previous": reviews[-2] if len(reviews) >= 2 else None,
            "latest": reviews[-1] if reviews else None,
            "chart_data": chart_data,
            "section_names": section_names,
            "due": row,
            "can_review": can_review,
        },
    )


@login_required
def evidence(request, pk, hint):
    """The aggregate records behind one program-data suggestion (no client names)."""
    review = _review_for_reviewers(request, pk)
    if hint not in suggestions.FIGURES:
        raise Http404("No such evidence.")
    item = review.scale.items.prefetch_related("anchors").filter(data_hint=hint).first()
    if item is None:
        raise Http404("No such evidence.")
    record(request, Action.VIEW, review, detail={"step": "evidence", "hint": hint})
    suggestion = suggestions.suggestions_for_review(review, [item]).get(item.number)
    breakdown = suggestions.breakdown(review, hint)
    return render(
        request,
        "fidelity/evidence.html",
        {
            "review": review,
            "item": item,
            "suggestion": suggestion,
            "breakdown": breakdown,
            "bands": suggestions.band_table(item),
            "back": reverse("fidelity:score", args=[review.pk]) if services.can_score(review, request.user) else "",
        },
    )
