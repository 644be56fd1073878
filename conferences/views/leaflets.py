"""Information leaflets (§8.4): the Senior IRO's page of the leaflets in use and their upload;
a leaflet's PDF for staff who read conferences. Files are served through here only, from
PRIVATE_MEDIA_ROOT, never from a public media address."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from iro_service.forms import add_service_errors
from people.access import can_manage_leaflets, can_read_conferences

from ..forms_leaflets import LeafletUploadForm
from ..models import Leaflet
from ..services import leaflets


@require_http_methods(["GET", "POST"])
def leaflet_list(request):
    if not can_manage_leaflets(request.user):
        raise PermissionDenied("Only the Senior IRO uploads information leaflets.")
    form = LeafletUploadForm()
    if request.method == "POST":
        form = LeafletUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                leaflet = leaflets.leaflet_upload(
                    audience=form.cleaned_data["audience"],
                    upload=form.cleaned_data["file"],
                    by=request.user,
                    now=timezone.now(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"The leaflet for {leaflet.get_audience_display().lower()} is uploaded. "
                    "Invitations sent from now on carry it.",
                )
                return redirect("conferences:leaflets")
    in_use = leaflets.leaflets_in_use()
    rows = [(value, label, in_use.get(value)) for value, label in Leaflet.Audience.choices]
    earlier = Leaflet.objects.filter(replaced_at__isnull=False).select_related("uploaded_by")
    return render(
        request,
        "conferences/leaflets.html",
        {
            "form": form,
            "rows": rows,
            "earlier": earlier.order_by("audience", "-uploaded_at"),
            "max_mb": settings.IRO_UPLOAD_MAX_MB,
        },
        status=400 if form.errors else 200,
    )


@require_GET
def leaflet_file(request, pk: int):
    if not can_read_conferences(request.user):
        raise PermissionDenied("Your role does not use conference invitations.")
    leaflet = Leaflet.objects.filter(pk=pk).first()
    if leaflet is None or not leaflet.file.storage.exists(leaflet.file.name):
        raise Http404("No such leaflet.")
    return FileResponse(
        leaflet.file.open("rb"),
        as_attachment=True,
        filename=leaflet.attachment_name,
        content_type=leaflets.PDF_MIME,
    )
