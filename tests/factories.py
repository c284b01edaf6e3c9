"""factory_boy factories for the marketplace core."""

from decimal import Decimal

import factory
from django.utils import timezone

from courseplatform.accounts.models import User
from courseplatform.catalog.models import Category, Course, Enrollment, Storefront


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = User.Role.LEARNER
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CreatorFactory(UserFactory):
    role = User.Role.CREATOR


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")


class StorefrontFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Storefront

    owner = factory.SubFactory(CreatorFactory)
    name = factory.Sequence(lambda n: f"Storefront {n}")
    slug = factory.Sequence(lambda n: f"storefront-{n}")
    brand_colors = factory.LazyFunction(lambda: ["#1e88e5"])
    brand_keywords = factory.LazyFunction(lambda: ["tech", "trust"])


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    storefront = factory.SubFactory(StorefrontFactory)
    title = factory.Sequence(lambda n: f"Course {n}")
    subtitle = "Learn by doing"
    category = factory.SubFactory(CategoryFactory)
    price = Decimal("19.00")
    published = True


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    learner = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    price_paid = Decimal("19.00")
    created_at = factory.LazyFunction(timezone.now)
