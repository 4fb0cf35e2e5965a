from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("recommendations", "0006_dial_ranges"),
    ]

    operations = [
        migrations.AddField(
            model_name="rowcollection",
            name="order",
            field=models.TextField(blank=True, default="", editable=False),
        ),
    ]
