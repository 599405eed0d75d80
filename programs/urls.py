from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("<slug:code>/", views.program_detail, name="detail"),
]
