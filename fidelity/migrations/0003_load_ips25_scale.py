from django.db import migrations

from fidelity.scale_loader import IPS25_FILE, load_scale


def load(apps, schema_editor):
    load_scale(
        IPS25_FILE,
        Scale=apps.get_model("fidelity", "FidelityScale"),
        Section=apps.get_model("fidelity", "FidelitySection"),
        Item=apps.get_model("fidelity", "FidelityItem"),
        Anchor=apps.get_model("fidelity", "FidelityAnchor"),
        Level=apps.get_model("fidelity", "FidelityLevel"),
    )


def unload(apps, schema_editor):
    apps.get_model("fidelity", "FidelityScale").objects.filter(version="IPS-25 (2008)").delete()


class Migration(migrations.Migration):
    dependencies = [("fidelity", "0002_initial")]
    operations = [migrations.RunPython(load, unload)]
