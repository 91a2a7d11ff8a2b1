from django.contrib import admin

from .models import Revision
from .review_admin import RevisionAdmin

admin.site.register(Revision, RevisionAdmin)
