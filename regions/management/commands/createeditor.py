from editorial.permissions import EDITOR_GROUP
from regions.onboarding import StaffCommand


class Command(StaffCommand):
    help = "Create a Tillväxtverket editor (group Redaktör): may edit every region's content in the admin."
    group_name = EDITOR_GROUP
