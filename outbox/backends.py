"""`outbox.backends.OutboxBackend`: keeps each message in the database instead of sending it.

For `make run` and demos (settings.py makes it the default when tasks run eagerly, as they do
without a broker). The console gets one line per message, with where to read it, and never its
body, subject or addresses: they hold personal data.
"""

import sys
import threading
from email import message_from_bytes, policy

from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from .models import OutboxAttachment, OutboxMessage

BACKEND = "outbox.backends.OutboxBackend"


class OutboxBackend(BaseEmailBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages or []:
            if not message.recipients():
                continue
            try:
                stored = store(message)
            except Exception:
                if not self.fail_silently:
                    raise
                continue
            with self._lock:
                self.stream.write(
                    f"Email kept in the outbox for {len(message.recipients())} recipient(s): "
                    f"{reverse('outbox:detail', args=[stored.pk])}\n"
                )
                self.stream.flush()
            sent += 1
        return sent


def store(message) -> OutboxMessage:
    """Keep the message as it would be received: its headers and parts are read back from the
    bytes Django would put on the wire, so what the page shows is what SMTP would carry."""
    mime = message.message()
    raw = mime.as_bytes(linesep="\r\n")  # as SMTP carries it
    parsed = message_from_bytes(mime.as_bytes(), policy=policy.default)
    text = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    stored = OutboxMessage.objects.create(
        from_email=str(parsed["From"] or ""),
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        subject=str(parsed["Subject"] or ""),
        body=text.get_content() if text is not None else "",
        html_body=html.get_content() if html is not None else "",
        headers={key: str(value) for key, value in parsed.items()},
        raw=raw,
    )
    OutboxAttachment.objects.bulk_create(
        OutboxAttachment(
            message=stored,
            filename=part.get_filename() or "attachment",
            mimetype=part.get_content_type(),
            content=(payload := part.get_payload(decode=True) or b""),
            size=len(payload),
        )
        for part in parsed.iter_attachments()
    )
    return stored
