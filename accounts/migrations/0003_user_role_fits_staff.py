# The role constraint now also covers is_staff / is_superuser (after 0002 cleared them), in its own
# migration: PostgreSQL alters the table after the data has changed, in a separate transaction.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_system_admin_and_skeleton'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('is_superuser', False), models.Q(models.Q(('enterprise__isnull', False), ('is_staff', False), ('jurisdiction', ''), ('role', 'enterprise')), models.Q(('enterprise__isnull', True), ('is_staff', False), ('jurisdiction__in', ('park', '630202', '630203', '630222', '630223', '630224', '630225')), ('role', 'reviewer')), models.Q(('enterprise__isnull', True), ('is_staff', False), ('jurisdiction', ''), ('role', 'city_admin')), models.Q(('enterprise__isnull', True), ('is_staff', True), ('jurisdiction', ''), ('role', 'system_admin')), _connector='OR')), name='user_role_fits'),
        ),
    ]
