from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """Written by a Celery worker; proves the broker→worker→database path works."""

    worker = models.CharField(_("worker"), max_length=200)
    token = models.CharField(_("token"), max_length=64, blank=True, db_index=True)
    seen_at = models.DateTimeField(_("seen at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
