from django.urls import path

from inspections.api import views

app_name = "inspections-api"

urlpatterns = [
    path("inspections/items/", views.ItemListView.as_view(), name="items"),
    path("inspections/plans/", views.PlanListView.as_view(), name="plans"),
    path("inspections/tasks/", views.TaskListView.as_view(), name="tasks"),
    path("inspections/tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task"),
    path("inspections/tasks/<int:pk>/targets/", views.TaskTargetsView.as_view(), name="task-targets"),
    path("inspections/tasks/<int:pk>/draw/", views.TaskDrawView.as_view(), name="task-draw"),
    path(
        "inspections/tasks/<int:pk>/candidates/", views.TaskCandidatesView.as_view(), name="task-candidates"
    ),
    path("inspections/results/", views.ResultListView.as_view(), name="results"),
]
