"""Lists: what is due, the regional picture, the reports a user may read, scheduling, a program's history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from audit.models import Action
from audit.services import record
from benchmarks.models import BenchmarkSettings
from core.errors import RuleViolation, add_to_form
from programs.access import Capability, can, get_scoped_or_404, programs_for
from programs.models import Program

from .. import charts, selectors, services
from ..forms import ScheduleForm


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
            "good_total": selectors.good_fidelity_total(),
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


@login_required
def schedule(request):
    programs = programs_for(request.user, Capability.REVIEW_FIDELITY).select_related("agency__region")
    if not programs.exists():
        raise Http404("No such page.")
    reviewers = selectors.eligible_reviewers_for(programs)
    initial = {"reviewer_1": reviewers.filter(pk=request.user.pk).first()}
    if request.GET.get("program"):
        initial["program"] = programs.filter(code=request.GET["program"]).first()
        if request.GET.get("type"):
            initial["review_type"] = request.GET["type"]
    form = ScheduleForm(request.POST or None, programs=programs, reviewers=reviewers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.schedule_review(user=request.user, **form.cleaned_data)
        except RuleViolation as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Review of {review.program} scheduled for {review.visit_start:%b %d, %Y}.")
            return redirect("fidelity:review", pk=review.pk)
    return render(request, "fidelity/schedule.html", {"form": form})


@login_required
def history(request, code):
    program = get_scoped_or_404(
        Program.objects.select_related("agency__region"), request.user, Capability.VIEW_FIDELITY_REPORT, code=code
    )
    record(request, Action.VIEW, program, detail={"page": "fidelity_history"})
    reviews, comparison = selectors.program_history(program)
    levels = sorted(reviews[-1].scale.levels.all(), key=lambda lv: lv.min_total) if reviews else []
    chart_data = {
        "labels": [r.visit_start.strftime("%b %Y") for r in reviews],
        "totals": [r.total_score for r in reviews],
        "cutoffs": [{"name": lv.name, "min": lv.min_total} for lv in levels],
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
