"""Many-to-many relations whose order is the author's.

Django's ``RelatedManager.set`` and ``add`` insert the missing rows from a *set* of ids,
so the order of the through table's rows is not the order they were given in: on
PostgreSQL it differs from one run to the next. Where the order means something (the
first skill a question names is the one its events count), the rows are written here, one
at a time in the given order, and read back ordered by the through row's key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model


def set_in_order(manager: Any, objects: Iterable[Model]) -> None:
    """Make ``manager`` (a many-to-many related manager) hold ``objects`` in this order.

    Nothing is written when the relation already holds them in this order."""
    wanted = list(dict.fromkeys(objects))
    through = manager.through
    source = manager.source_field_name
    target = manager.target_field_name
    current = list(
        through.objects.filter(**{source: manager.instance})
        .order_by("pk")
        .values_list(f"{target}_id", flat=True)
    )
    if current == [obj.pk for obj in wanted]:
        return
    manager.clear()
    for obj in wanted:
        manager.add(obj)
