# The hash chain's fields, filled for the existing events by 0005 and required from 0006.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_auditevent_cycle'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='waktu'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='seq',
            field=models.PositiveBigIntegerField(null=True, verbose_name='nomor urut'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(default='', max_length=64, verbose_name='hash sebelumnya'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(default='', max_length=64, verbose_name='hash'),
            preserve_default=False,
        ),
    ]
