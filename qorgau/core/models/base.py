"""Shared base classes: scoped querysets, audited models and optimistic locking.

Every model that holds personal or case data derives from :class:`AuditedModel`; its manager is a
:class:`ScopedQuerySet` with ``restrict(user, action)``. The audit gate sits here, at the ORM, so that
every path (web, API, import, job, shell) is covered and none can forget it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from contextvars import ContextVar
from decimal import Decimal
from typing import Any, ClassVar, Self

from django.db import connections, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core import audit


class ConflictError(Exception):
    """Someone saved the record after the editor loaded it (optimistic locking)."""

    def __init__(self, obj: models.Model) -> None:
        self.obj = obj
        super().__init__(
            str(
                _(
                    "Someone else saved this record while you were editing it. Your changes were not "
                    "saved; they are shown below next to the current version."
                )
            )
        )


_IN_BULK_UPDATE: ContextVar[bool] = ContextVar("qorgau_in_bulk_update", default=False)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows the caller's scope and refuses unaudited bulk writes."""

    def restrict(self, user: Any, action: str = "view") -> Self:
        """Only the rows ``user`` may ``action``: the single scope mechanism of Qorgau."""
        from core.scope import restrict_queryset

        return restrict_queryset(self, user, action)  # type: ignore[return-value]

    # Bulk writes bypass Model.save(); each is still gated and leaves one summary entry.
    def update(self, **kwargs: Any) -> int:
        audit.require()
        if issubclass(self.model, VersionedModel) and "version" not in kwargs:
            kwargs["version"] = F("version") + 1
        with transaction.atomic(using=self.db):
            count = super().update(**kwargs)
            if _is_audited(self.model) and not _IN_BULK_UPDATE.get():
                audit.record("bulk_update", model=self.model, count=count, changes={"fields": sorted(kwargs)})
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        audit.require()
        with transaction.atomic(using=self.db):
            result = super().delete()
            if _is_audited(self.model):
                audit.record("bulk_delete", model=self.model, count=result[0])
        return result

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        audit.require()
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            if _is_audited(self.model):
                audit.record("bulk_create", model=self.model, count=len(created))
        return created

    def bulk_insert(self, objs: Any) -> int:
        """Insert many new rows whose primary keys the caller does not need; one audit entry.

        PostgreSQL: one ``COPY`` (Django 5.2's bulk insert binds every column as an array, which psycopg's
        client-side binding quotes element by element in Python: minutes for a million task rows).
        Elsewhere: ``bulk_create``. Field defaults and ``auto_now(_add)`` apply as in ``save``.
        """
        objs = list(objs)
        if not objs:
            return 0
        connection = connections[self.db]
        if connection.vendor != "postgresql":
            return len(self.bulk_create(objs, batch_size=2000))
        audit.require()
        fields = [f for f in self.model._meta.concrete_fields if not f.db_returning]  # not the serial key
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(self.model._meta.db_table)
        with transaction.atomic(using=self.db), connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for obj in objs:
                    copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
            if _is_audited(self.model):
                audit.record("bulk_create", model=self.model, count=len(objs))
        return len(objs)

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        audit.require()
        with transaction.atomic(using=self.db):
            token = _IN_BULK_UPDATE.set(True)  # Django's bulk_update calls update() per batch: one entry in all
            try:
                count = super().bulk_update(objs, fields, *args, **kwargs)
            finally:
                _IN_BULK_UPDATE.reset(token)
            if _is_audited(self.model):
                audit.record("bulk_update", model=self.model, count=count, changes={"fields": sorted(fields)})
        return count


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def _is_audited(model: type[models.Model]) -> bool:
    return issubclass(model, AuditedModel)


def _plain(value: Any) -> Any:
    """A JSON-friendly copy of a field value for the audit trail."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return str(value)


class ScopedModel(models.Model):
    """A model whose rows belong to an organisation.

    ``scope_path`` is the lookup from the model to its :class:`~core.models.Organisation` ("" for the
    organisation itself). ``extra_scope`` lets a module add object-level grants (e.g. a referred case).
    """

    scope_path: ClassVar[str] = "organisation"

    objects = ScopedManager()

    class Meta:
        abstract = True

    @classmethod
    def extra_scope(cls, user: Any, action: str) -> models.Q | None:
        """Object-level grants beyond the organisation subtree; ``None`` means none."""
        return None


class AuditedModel(ScopedModel):
    """Every save and delete needs an audit context and writes an audit entry in the same transaction.

    ``audit_reads``: reading one record (detail page, API retrieve) is audited too.
    ``audit_masked``: fields whose values never enter the audit trail (only that they changed).
    """

    audit_reads: ClassVar[bool] = False
    audit_masked: ClassVar[frozenset[str]] = frozenset()

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        audit.require()
        adding = self._state.adding
        with transaction.atomic(using=kwargs.get("using") or "default"):
            changes = self.audit_changes()
            super().save(*args, **kwargs)
            audit.record("create" if adding else "update", model=self, object_id=self.uuid, changes=changes)
        self._loaded = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        audit.require()
        with transaction.atomic(using=kwargs.get("using") or "default"):
            result = super().delete(*args, **kwargs)
            audit.record("delete", model=self, object_id=self.uuid)
        return result

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Self:
        instance = super().from_db(db, field_names, values)
        instance._loaded = dict(zip(field_names, values, strict=True))  # type: ignore[attr-defined]
        return instance

    def audit_changes(self) -> dict[str, Any]:
        """Field -> [old, new] for what changed since the record was loaded (all fields when new)."""
        loaded: dict[str, Any] = getattr(self, "_loaded", {})
        changes: dict[str, Any] = {}
        for f in self._meta.concrete_fields:
            if f.attname in {"updated_at", "created_at", "version", "id"}:
                continue
            new = getattr(self, f.attname)
            old = loaded.get(f.attname)
            if self._state.adding or old != new:
                if f.name in self.audit_masked:
                    changes[f.name] = "changed"
                else:
                    changes[f.name] = [_plain(old), _plain(new)] if not self._state.adding else _plain(new)
        return changes


class VersionedModel(AuditedModel):
    """Optimistic locking: an update succeeds only if nobody saved the row since it was loaded.

    Forms and API clients send back the ``version`` they loaded; a stale one raises
    :class:`ConflictError` and nothing is written.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        self._expected_version = self.version
        self.version = self._expected_version + 1
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version = self._expected_version
            raise
        finally:
            del self._expected_version

    def _do_update(
        self, base_qs: Any, using: Any, pk_val: Any, values: Any, update_fields: Any, forced_update: Any
    ) -> bool:
        expected = getattr(self, "_expected_version", None)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)  # type: ignore[misc]
        if base_qs.filter(pk=pk_val, version=expected)._update(values) == 0:
            raise ConflictError(self)
        return True
