"""Access histories of records and the accounting of disclosures, for supervisors and privacy officers.

Here (the top layer) because the record is fetched through the access layer and the clients app,
both above `audit`, which renders the trail."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from audit.forms import DisclosureFilterForm
from audit.views import disclosures_response, trail_response
from clients.models import Client
from programs.access import Capability, get_scoped_or_404, programs_for

# Supervisors and administrators (the privacy officer's role); another program's client is a 404.
OVERSEE = Capability.MANAGE_PROGRAM


@login_required
def client_trail(request, pk):
    client = get_scoped_or_404(Client, request.user, OVERSEE, pk=pk)
    return trail_response(
        request,
        client,
        title=client.display_name,
        back_url=reverse("clients:client_detail", args=[client.pk]),
        filename=f"access-history-{client.record_number}",
        disclosures_url=f"{reverse('disclosures')}?{urlencode({'client': client.pk})}",
    )


@login_required
def disclosures(request):
    programs = list(programs_for(request.user, OVERSEE).order_by("name").values_list("pk", "code", "name"))
    if not programs:
        raise Http404("No programs to account for.")
    form = DisclosureFilterForm(request.GET, programs=[(code, name) for _pk, code, name in programs])
    valid = form.is_valid()
    program_ids = [pk for pk, code, _name in programs if not valid or form.cleaned_data["program"] in ("", code)]
    client = None
    if valid and form.cleaned_data["client"]:
        client = get_scoped_or_404(Client, request.user, OVERSEE, pk=form.cleaned_data["client"])
    return disclosures_response(
        request,
        program_ids,
        form=form,
        client=client,
        client_url=reverse("client_trail", args=[client.pk]) if client else "",
        filename=f"disclosures-{client.record_number}" if client else "disclosures",
    )
