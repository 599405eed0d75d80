"""Access histories of records, for supervisors and privacy officers.

Here (the top layer) because the record is fetched through the access layer and the clients app,
both above `audit`, which renders the trail."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from audit.views import trail_response
from clients.models import Client
from programs.access import Capability, get_scoped_or_404


@login_required
def client_trail(request, pk):
    # Supervisors and administrators (the privacy officer's role); another program's client is a 404.
    client = get_scoped_or_404(Client, request.user, Capability.MANAGE_PROGRAM, pk=pk)
    return trail_response(
        request,
        client,
        title=client.display_name,
        back_url=reverse("clients:client_detail", args=[client.pk]),
        filename=f"access-history-{client.record_number}",
    )
