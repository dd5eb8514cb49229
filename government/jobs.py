"""Government integrity's background work on the job queue (docs/jobs.md).

- job kind ``government.dashboard_figures``: recompute the government-defaulters dashboard's
  stored figures; queued by every write to a dishonesty record once it commits.
- ``government.dashboard_figures.schedule`` (periodic, hourly): queue it when the last computation
  is a day old, or none ever ran and there are records to count.
"""

from __future__ import annotations

import datetime as dt

from government.services.dashboard import (
    DASHBOARD_FIGURES_JOB,
    dashboard_figures_compute,
    dashboard_figures_schedule_due,
)
from registry.models import Job
from registry.services.jobs import job_handler_register, periodic_task_register

SCHEDULE_EVERY = dt.timedelta(hours=1)


def _run_dashboard_figures(job: Job, progress) -> dict:
    return dashboard_figures_compute()


def register() -> None:
    job_handler_register(DASHBOARD_FIGURES_JOB, _run_dashboard_figures)
    periodic_task_register(
        "government.dashboard_figures.schedule", every=SCHEDULE_EVERY, run=dashboard_figures_schedule_due
    )
