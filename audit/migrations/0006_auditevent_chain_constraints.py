from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_chain_existing_events'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=models.PositiveBigIntegerField(verbose_name='nomor urut'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(fields=('institution', 'seq'), name='audit_unique_seq'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(condition=models.Q(('institution__isnull', True)), fields=('seq',), name='audit_unique_seq_without_institution'),
        ),
    ]
