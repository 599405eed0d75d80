from django.urls import path

from .views import lists, report, review

app_name = "fidelity"

urlpatterns = [
    path("", lists.index, name="index"),
    path("reports/", lists.reports, name="reports"),
    path("regional/", lists.regional, name="regional"),
    path("schedule/", lists.schedule, name="schedule"),
    path("programs/<slug:code>/history/", lists.history, name="history"),
    path("reviews/<int:pk>/", review.review_detail, name="review"),
    path("reviews/<int:pk>/score/", review.score, name="score"),
    path("reviews/<int:pk>/score/submit/", review.submit_scores, name="submit_scores"),
    path("reviews/<int:pk>/consensus/", review.consensus, name="consensus"),
    path("reviews/<int:pk>/report/edit/", review.report_edit, name="report_edit"),
    path("reviews/<int:pk>/finalize/", review.finalize, name="finalize"),
    path("reviews/<int:pk>/report/", report.report, name="report"),
    path("reviews/<int:pk>/report.pdf", report.report_pdf, name="report_pdf"),
    path("reviews/<int:pk>/amend/", review.amend, name="amend"),
    path("reviews/<int:pk>/actions/", report.action_plan, name="action_plan"),
    path("reviews/<int:pk>/actions/<int:action_pk>/", report.action_edit, name="action_edit"),
    path("reviews/<int:pk>/evidence/<slug:hint>/", report.evidence, name="evidence"),
]
