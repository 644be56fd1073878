import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings")

app = Celery("iro_service")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="iro_service.ping")
def ping(payload: str) -> dict:
    """Answer with the payload and the worker's name: proves broker, worker and results work."""
    return {"echo": payload, "worker": ping.request.hostname}
