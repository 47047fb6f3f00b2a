"""Steps recorded before steps had a date get the day they were recorded (in the application's time zone)."""

from django.db import migrations
from django.utils import timezone


def date_steps(apps, schema_editor):
    MatchStep = apps.get_model("access", "MatchStep")
    for step in MatchStep.objects.filter(on__isnull=True).only("pk", "at").iterator(chunk_size=2000):
        MatchStep.objects.filter(pk=step.pk).update(on=timezone.localdate(step.at))


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0008_match_step_date_and_note"),
    ]

    operations = [
        # Backwards, the dates stay: the field itself goes with the previous migration's reversal.
        migrations.RunPython(date_steps, migrations.RunPython.noop),
    ]
