"""Factories of core's records (factory-boy)."""

from __future__ import annotations

import factory

from kontora.core.models import Department, Job, Notification, Position


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Отдел {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Должность {n}")


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = "test-record"
    title = factory.Sequence(lambda n: f"Задание {n}")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    text = factory.Sequence(lambda n: f"Сообщение {n}")
