"""Cancelling an unused one-time link (sent to the wrong address, a letter lost): who cancelled
it and when. One link per person and purpose now means one link not cancelled, so a new link
can be made beside the cancelled one; a used link cannot be cancelled."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0004_family_members"),
        ("conferences", "0007_holding"),
        ("quality_assurance", "0003_escalation_beat"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="onetimelink",
            name="one_link_per_invitee_and_purpose",
        ),
        migrations.RemoveConstraint(
            model_name="onetimelink",
            name="one_link_per_child_and_purpose",
        ),
        migrations.AddField(
            model_name="onetimelink",
            name="cancelled_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When business support (or the chair, for a views link) cancelled it: it no longer works, and a new link may be made for the same person.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="onetimelink",
            name="cancelled_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="onetimelink",
            constraint=models.UniqueConstraint(
                condition=models.Q(("cancelled_at__isnull", True), ("invitee__isnull", False)),
                fields=("purpose", "conference", "invitee"),
                name="one_link_per_invitee_and_purpose",
            ),
        ),
        migrations.AddConstraint(
            model_name="onetimelink",
            constraint=models.UniqueConstraint(
                condition=models.Q(("cancelled_at__isnull", True), ("child__isnull", False)),
                fields=("purpose", "conference", "child"),
                name="one_link_per_child_and_purpose",
            ),
        ),
        migrations.AddConstraint(
            model_name="onetimelink",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("cancelled_at__isnull", True), ("used_at__isnull", True), _connector="OR"
                ),
                name="cancelled_link_was_not_used",
                violation_error_message="A used link cannot be cancelled.",
            ),
        ),
    ]
