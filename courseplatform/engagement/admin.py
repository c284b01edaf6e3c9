"""Admin: polls and challenges are made in the studio; the ledger, votes, badges earned and redemptions are
records of what happened, read-only here."""

from django.contrib import admin

from .models import (
    Badge,
    Challenge,
    ChallengeParticipant,
    LearnerBadge,
    NudgeExposure,
    PointsAccount,
    PointsEntry,
    Poll,
    PollOption,
    PollVote,
    Redemption,
    RewardOffer,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PollOptionInline(admin.TabularInline):
    model = PollOption
    extra = 0
    fields = ("text", "position")


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ("question", "storefront", "course", "closed", "created_at")
    list_filter = ("closed",)
    search_fields = ("question", "storefront__name")
    raw_id_fields = ("storefront", "course", "created_by")
    inlines = [PollOptionInline]

    def has_add_permission(self, request) -> bool:
        return False  # made in the studio (the service checks the options)


@admin.register(PollVote)
class PollVoteAdmin(ReadOnlyAdmin):
    list_display = ("poll", "option", "learner", "created_at")
    raw_id_fields = ("poll", "option", "learner")


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ("title", "storefront", "goal", "target", "ends_at", "participant_count")
    search_fields = ("title", "storefront__name")
    raw_id_fields = ("storefront", "course", "badge", "created_by")
    readonly_fields = ("participant_count", "badge")

    def has_add_permission(self, request) -> bool:
        return False  # made in the studio (the service makes its badge)


@admin.register(ChallengeParticipant)
class ChallengeParticipantAdmin(ReadOnlyAdmin):
    list_display = ("challenge", "learner", "progress", "completed_at", "on_leaderboard")
    list_filter = ("on_leaderboard",)


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "storefront")
    search_fields = ("name", "code")
    raw_id_fields = ("storefront",)


@admin.register(LearnerBadge)
class LearnerBadgeAdmin(ReadOnlyAdmin):
    list_display = ("learner", "badge", "awarded_at")


@admin.register(PointsAccount)
class PointsAccountAdmin(ReadOnlyAdmin):
    list_display = ("learner", "balance")
    search_fields = ("learner__username",)


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdmin):
    list_display = ("learner", "amount", "reason", "source", "day", "created_at")
    list_filter = ("reason",)
    search_fields = ("learner__username", "source")


@admin.register(RewardOffer)
class RewardOfferAdmin(admin.ModelAdmin):
    list_display = ("title", "storefront", "points_cost", "percent_off", "active")
    list_filter = ("active",)
    raw_id_fields = ("storefront", "course")

    def has_add_permission(self, request) -> bool:
        return False  # made in the studio


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin):
    list_display = ("learner", "offer", "coupon", "created_at")


@admin.register(NudgeExposure)
class NudgeExposureAdmin(ReadOnlyAdmin):
    list_display = ("learner", "course", "experiment", "arm", "notified", "stalled_since", "exposed_at")
    list_filter = ("arm", "notified")
    raw_id_fields = ("experiment", "learner", "course")
