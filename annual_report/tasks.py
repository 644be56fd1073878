"""Celery task: a thin door onto services.version_build (style.md rule 4). Safe to run twice:
the version is claimed with a guarded update, so a second delivery does nothing."""

from celery import shared_task

from . import services


@shared_task(name="annual_report.build_report_version")
def build_report_version(version_id: int) -> str:
    """Make one requested version's PDF; answers its status."""
    return services.version_build(version_id=version_id)
