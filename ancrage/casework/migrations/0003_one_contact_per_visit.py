"""A field visit is one contact (issue 12, part 2): the database refuses a second contact for a visit.

Visits logged more than once before this constraint are resolved first, losing nothing written: the first
contact (earliest recorded) is kept; each later one's shared and private notes are appended to the kept
contact's notes (under a line saying when and by whom it had been logged), its staff present and goals
discussed are added to the kept contact's, and it is then deleted, so the visit's minutes count once
toward the weekly standard. The audit trail still holds each logging. Going back removes the constraint
only: merged contacts stay merged.
"""

from django.db import migrations, models


def merge_duplicates(apps, schema_editor):
    Contact = apps.get_model("casework", "Contact")
    User = apps.get_model("accounts", "User")
    repeated = (
        Contact.objects.filter(visit__isnull=False)
        .values("visit_id")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
        .values_list("visit_id", flat=True)
    )
    for visit_id in list(repeated):
        contacts = list(Contact.objects.filter(visit_id=visit_id).order_by("recorded_at", "id"))
        kept, others = contacts[0], contacts[1:]
        for other in others:
            author = User.objects.filter(pk=other.recorded_by_id).first()
            who = (f"{author.first_name} {author.last_name}".strip() or author.username) if author else "?"
            heading = f"— {other.recorded_at:%Y-%m-%d %H:%M} UTC, {who}, {other.duration_minutes} min —"
            for name in ("shared_note", "private_note"):
                text = (getattr(other, name) or "").strip()
                if text and text not in (getattr(kept, name) or ""):
                    setattr(kept, name, "\n\n".join(filter(None, [getattr(kept, name), heading, text])))
            kept.staff.add(*other.staff.all())
            kept.goals_discussed.add(*other.goals_discussed.all())
        kept.save(update_fields=["shared_note", "private_note"])
        Contact.objects.filter(pk__in=[o.pk for o in others]).delete()
    if schema_editor.connection.vendor == "postgresql":
        # The deletions leave deferred foreign-key checks pending in this transaction, and PostgreSQL
        # refuses to build the constraint's index until they have run: run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0002_stamped_by_the_clock"),
        ("accounts", "0002_stamped_by_the_clock"),
    ]

    operations = [
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.UniqueConstraint(
                condition=models.Q(("visit__isnull", False)),
                fields=("visit",),
                name="casework_one_contact_per_visit",
            ),
        ),
    ]
