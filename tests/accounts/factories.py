from __future__ import annotations

import factory

from kontora.accounts.models import User, login_key
from tests.support.http import PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("login",)
        skip_postgeneration_save = True

    login = factory.Sequence(lambda n: f"user{n}")
    login_key = factory.LazyAttribute(lambda user: login_key(user.login))
    full_name = factory.Sequence(lambda n: f"Пользователь {n}")
    role = "manager"

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
