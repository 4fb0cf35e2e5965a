from celery import shared_task

from immaculaterr.health import HEARTBEAT_TASK, record_heartbeat, record_worker_heartbeat


@shared_task(name=HEARTBEAT_TASK, ignore_result=True)
def heartbeat() -> None:
    """Sent by beat, run by a worker: proves both are alive."""
    record_worker_heartbeat()
    record_heartbeat("beat", "scheduled heartbeat delivered")
