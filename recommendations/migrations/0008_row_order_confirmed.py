from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("recommendations", "0007_row_order_ledger"),
    ]

    operations = [
        migrations.AddField(
            model_name="rowcollection",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
