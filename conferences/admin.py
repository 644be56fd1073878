from django.contrib import admin

from people.admin import ReferenceDataAdmin

from .models import Venue


@admin.register(Venue)
class VenueAdmin(ReferenceDataAdmin):
    list_display = ["name", "kind", "district", "rooms", "has_family_room", "is_available"]
    list_filter = ["kind", "district", "has_family_room", "is_available"]
    search_fields = ["name"]
