from django.db import migrations


def create_defaults(apps, schema_editor):
    # The model's field defaults are the published benchmarks (ips.md section 3).
    apps.get_model("reports", "BenchmarkSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
