from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "courseplatform.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from .backends import forget_saved_user  # needs the app registry (django.contrib.auth.models)

        user_model = self.get_model("User")
        post_save.connect(forget_saved_user, sender=user_model, dispatch_uid="accounts.forget_saved_user")
        post_delete.connect(forget_saved_user, sender=user_model, dispatch_uid="accounts.forget_deleted_user")
