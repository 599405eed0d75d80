from django.urls import path

from . import views

app_name = "fidelity"

urlpatterns = [
    path("", views.index, name="index"),
    path("reports/", views.reports, name="reports"),
    path("regional/", views.regional, name="regional"),
    path("schedule/", views.schedule, name="schedule"),
    path("programs/<slug:code>/history/", views.history, name="history"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/score/", views.score, name="score"),
    path("reviews/<int:pk>/consensus/", views.consensus, name="consensus"),
    path("reviews/<int:pk>/report/edit/", views.report_edit, name="report_edit"),
    path("reviews/<int:pk>/finalize/", views.finalize, name="finalize"),
    path("reviews/<int:pk>/report/", views.report, name="report"),
    path("reviews/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("reviews/<int:pk>/amend/", views.amend, name="amend"),
    path("reviews/<int:pk>/actions/", views.action_plan, name="action_plan"),
    path("reviews/<int:pk>/actions/<int:action_pk>/", views.action_edit, name="action_edit"),
    path("reviews/<int:pk>/evidence/<slug:hint>/", views.evidence, name="evidence"),
]
