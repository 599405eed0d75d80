from celery import shared_task

from .idempotency import forget_old


@shared_task(name="core.forget_submission_keys")
def forget_submission_keys() -> int:
    return forget_old()
