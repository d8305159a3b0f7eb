from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from peerladder.accounts.models import User


@admin.register(User)
class PeerUserAdmin(UserAdmin):
    list_display = ("username", "email", "role", "is_active", "blocked_at", "date_joined")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (*UserAdmin.fieldsets, ("Peer production", {"fields": ("role", "blocked_at")}))
