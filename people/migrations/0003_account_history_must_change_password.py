# MFA and accounts (issue 12): an account given a temporary password must change it at next sign-in.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_user_session_generation'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaluser',
            name='must_change_password',
            field=models.BooleanField(default=False, verbose_name='must change password at next sign-in'),
        ),
        migrations.AddField(
            model_name='user',
            name='must_change_password',
            field=models.BooleanField(default=False, verbose_name='must change password at next sign-in'),
        ),
    ]
