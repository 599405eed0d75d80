"""Optimistic locking shared by every edit form: no silent overwrite of someone else's save."""

import pytest

from clients.models import Client
from core.forms import VersionedModelForm
from core.locking import EditConflict

from . import factories as f

pytestmark = pytest.mark.django_db


class ClientNameForm(VersionedModelForm):
    class Meta:
        model = Client
        fields = ["first_name", "phone"]


def test_a_save_over_an_unchanged_record_succeeds():
    client = f.ClientFactory(first_name="Orrin")
    opened = ClientNameForm(instance=client)
    data = {"first_name": "Orrin", "phone": "555-0100", "version": opened.initial["version"]}
    form = ClientNameForm(data, instance=Client.objects.get(pk=client.pk))
    assert form.is_valid(), form.errors
    form.save()
    assert Client.objects.get(pk=client.pk).phone == "555-0100"


def test_the_second_save_is_refused_and_shows_the_other_change():
    client = f.ClientFactory(first_name="Orrin", phone="")
    version = ClientNameForm(instance=client).initial["version"]
    # Someone else saves first.
    first = ClientNameForm({"first_name": "Orrin", "phone": "555-0111", "version": version}, instance=client)
    assert first.is_valid()
    first.save()
    # The second editor opened the form before that save.
    second = ClientNameForm(
        {"first_name": "Orrin", "phone": "555-0222", "version": version},
        instance=Client.objects.get(pk=client.pk),
    )
    assert not second.is_valid()
    assert "Someone else saved" in second.non_field_errors()[0]
    assert ("Phone", "555-0111", "555-0222") in second.conflict_changes
    assert Client.objects.get(pk=client.pk).phone == "555-0111"
    # The re-rendered form carries the current version: saving again is a deliberate overwrite.
    again = ClientNameForm(second.data, instance=Client.objects.get(pk=client.pk))
    assert again.is_valid(), again.errors
    again.save()
    assert Client.objects.get(pk=client.pk).phone == "555-0222"


def test_save_rechecks_the_version_under_a_lock():
    client = f.ClientFactory()
    version = ClientNameForm(instance=client).initial["version"]
    form = ClientNameForm({"first_name": "A", "phone": "1", "version": version}, instance=client)
    assert form.is_valid()
    Client.objects.filter(pk=client.pk).update(phone="changed")  # bypasses auto_now: bump it explicitly
    c = Client.objects.get(pk=client.pk)
    c.save()
    with pytest.raises(EditConflict):
        form.save()
