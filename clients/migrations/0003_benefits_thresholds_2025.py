from decimal import Decimal

from django.db import migrations


def add_2025(apps, schema_editor):
    # SSA Red Book 2025 figures (ips.md section 2); later years are added by administrators.
    BenefitsThresholds = apps.get_model("clients", "BenefitsThresholds")
    BenefitsThresholds.objects.update_or_create(
        year=2025,
        defaults={
            "sga_monthly_non_blind": Decimal("1620.00"),
            "sga_monthly_blind": Decimal("2700.00"),
            "trial_work_month": Decimal("1160.00"),
            "ssi_federal_benefit_rate": Decimal("967.00"),
        },
    )


def remove_2025(apps, schema_editor):
    apps.get_model("clients", "BenefitsThresholds").objects.filter(year=2025).delete()


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_initial")]
    operations = [migrations.RunPython(add_2025, remove_2025)]
