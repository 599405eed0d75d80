"""The report of a review (page and PDF), its action plan, and the evidence behind a data suggestion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.models import Action
from audit.services import record
from core.errors import RuleViolation, add_to_form
from core.pdf import pdf_response
from programs.access import Capability, get_scoped_or_404

from .. import charts, selectors, services, suggestions
from ..forms import ActionItemForm
from ..models import ActionPlanItem, FidelityReview, ReviewStatus, level_of
from .common import review_for_readers, review_for_reviewers


def report_context(review: FidelityReview) -> dict:
    rows = selectors.report_rows(review)
    subtotals = selectors.subtotals_by_review([review])[review.pk]
    history, _ = selectors.program_history(review.program)
    if review.status != ReviewStatus.FINALIZED:
        history = history + [review]
    levels = sorted(review.scale.levels.all(), key=lambda lv: lv.min_total)
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
        "level": level_of(levels, total),
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
    review = review_for_readers(request, pk)
    record(request, Action.VIEW, review, detail={"step": "report"})
    context = report_context(review)
    context["can_lead"] = services.can_lead(review, request.user)
    context["can_manage_plan"] = services.can_manage_plan(review, request.user)
    return render(request, "fidelity/report.html", context)


@login_required
def report_pdf(request, pk):
    review = review_for_readers(request, pk)
    record(request, Action.EXPORT, review, detail={"format": "pdf"})
    filename = f"fidelity-{review.program.code}-{review.visit_start:%Y-%m-%d}.pdf"
    return pdf_response("fidelity/report_pdf.html", report_context(review), request, filename)


@login_required
def action_plan(request, pk):
    review = review_for_readers(request, pk)
    if review.status != ReviewStatus.FINALIZED:
        raise Http404("The action plan follows the finalized report.")
    manage = services.can_manage_plan(review, request.user)
    form = ActionItemForm(request.POST or None, review=review) if manage else None
    if request.method == "POST":
        if form is None:
            raise Http404("No such page.")
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ActionItemForm.Meta.fields}
            try:
                services.add_action_item(review, user=request.user, **data)
            except RuleViolation as error:
                add_to_form(form, error)
            else:
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
            services.update_action_item(action, user=request.user, version=form.cleaned_data["version"], **changes)
        except RuleViolation as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Action updated.")
            return redirect("fidelity:action_plan", pk=review.pk)
    return render(request, "fidelity/action_edit.html", {"review": review, "action": action, "form": form})


@login_required
def evidence(request, pk, hint):
    """The aggregate records behind one program-data suggestion (no client names)."""
    review = review_for_reviewers(request, pk)
    if hint not in suggestions.FIGURES:
        raise Http404("No such evidence.")
    item = review.scale.items.prefetch_related("anchors").filter(data_hint=hint).first()
    if item is None:
        raise Http404("No such evidence.")
    record(request, Action.VIEW, review, detail={"step": "evidence", "hint": hint})
    return render(
        request,
        "fidelity/evidence.html",
        {
            "review": review,
            "item": item,
            "suggestion": suggestions.suggestions_for_review(review, [item]).get(item.number),
            "breakdown": suggestions.breakdown(review, hint),
            "bands": suggestions.band_table(item),
            "back": reverse("fidelity:score", args=[review.pk]) if services.can_score(review, request.user) else "",
        },
    )
