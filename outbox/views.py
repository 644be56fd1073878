"""The outbox pages: only while the outbox backend is the email backend, only for signed-in
staff (any user with a role), and a 404 for anyone else, so the pages are not there at all in
production."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from people.models import Role

from .backends import BACKEND
from .models import OutboxAttachment, OutboxMessage

PAGE_SIZE = 25


def _require_outbox(request) -> None:
    user = request.user
    in_use = settings.EMAIL_BACKEND == BACKEND
    is_staff = user.is_authenticated and user.is_active and user.role in Role.values
    if not (in_use and is_staff):
        raise Http404("No outbox")


# Not found rather than "sign in": the outbox is not part of the service in production.
@login_not_required
@require_GET
def message_list(request):
    _require_outbox(request)
    messages = OutboxMessage.objects.defer("raw", "body", "html_body", "headers")
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outbox/message_list.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
        },
    )


@login_not_required
@require_GET
def message_detail(request, pk: int):
    _require_outbox(request)
    message = get_object_or_404(OutboxMessage.objects.defer("raw"), pk=pk)
    return render(
        request,
        "outbox/message_detail.html",
        {"message": message, "attachments": message.attachments.defer("content")},
    )


@login_not_required
@require_GET
def message_raw(request, pk: int):
    _require_outbox(request)
    message = get_object_or_404(OutboxMessage, pk=pk)
    response = HttpResponse(bytes(message.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{message.pk}.eml"'
    return response


@login_not_required
@require_GET
def attachment(request, pk: int, attachment_pk: int):
    _require_outbox(request)
    found = get_object_or_404(OutboxAttachment, pk=attachment_pk, message_id=pk)
    response = HttpResponse(bytes(found.content), content_type=found.mimetype)
    # The filename came from an email: keep it to safe characters in the header.
    safe = "".join(c for c in found.filename if c.isalnum() or c in "._-") or "attachment"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response
