from django.core.management.base import CommandError

from editorial.permissions import COORDINATOR_GROUP
from regions.models import Region
from regions.onboarding import StaffCommand


class Command(StaffCommand):
    help = "Create a regional coordinator (group Regional samordnare): may edit only the given regions."
    group_name = COORDINATOR_GROUP

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--region", action="append", required=True, metavar="SLUG", help="A region's slug; may repeat."
        )

    def regions(self, options):
        slugs = list(dict.fromkeys(options["region"]))
        regions = list(Region.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {region.slug for region in regions})
        if unknown:
            known = ", ".join(Region.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"No region {', '.join(unknown)}; nothing was created. Regions: {known}.")
        return regions
