"""The sustainability dimensions and the 17 Agenda 2030 goals: fixed vocabularies, not editorial content,
so they are created here rather than by the seed, and exist in every database including the test one."""

from django.db import migrations

DIMENSIONS = ["ekonomisk", "social", "miljomassig"]

# The goals' Swedish names as used by the Swedish government and FN-förbundet (globalamalen.se).
SDG_GOALS = [
    (1, "Ingen fattigdom"),
    (2, "Ingen hunger"),
    (3, "Hälsa och välbefinnande"),
    (4, "God utbildning för alla"),
    (5, "Jämställdhet"),
    (6, "Rent vatten och sanitet för alla"),
    (7, "Hållbar energi för alla"),
    (8, "Anständiga arbetsvillkor och ekonomisk tillväxt"),
    (9, "Hållbar industri, innovationer och infrastruktur"),
    (10, "Minskad ojämlikhet"),
    (11, "Hållbara städer och samhällen"),
    (12, "Hållbar konsumtion och produktion"),
    (13, "Bekämpa klimatförändringarna"),
    (14, "Hav och marina resurser"),
    (15, "Ekosystem och biologisk mångfald"),
    (16, "Fredliga och inkluderande samhällen"),
    (17, "Genomförande och globalt partnerskap"),
]


def create(apps, schema_editor):
    Dimension = apps.get_model("initiatives", "Dimension")
    SdgGoal = apps.get_model("initiatives", "SdgGoal")
    for order, slug in enumerate(DIMENSIONS):
        Dimension.objects.update_or_create(slug=slug, defaults={"order": order})
    for number, title in SDG_GOALS:
        SdgGoal.objects.update_or_create(number=number, defaults={"title": title})


def remove(apps, schema_editor):
    apps.get_model("initiatives", "Dimension").objects.filter(slug__in=DIMENSIONS).delete()
    apps.get_model("initiatives", "SdgGoal").objects.filter(number__in=[n for n, _ in SDG_GOALS]).delete()


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
