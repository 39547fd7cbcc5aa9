"""Shared base classes: scoped querysets, audited models and optimistic locking.

Every model that holds personal or case data derives from :class:`AuditedModel`; its manager is a
:class:`ScopedQuerySet` with ``restrict(user, action)``. The audit gate sits here, at the ORM, so that
every path (web, API, import, job, shell) is covered and none can forget it.
"""

from __future__ import annotations

import datetime as dt
import json
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

    def reserve_keys(self, objs: list[Any]) -> None:
        """Give new, unsaved objects their primary keys from the table's own counter, in one statement.

        Lets a caller derive values from the key (a case number) before a :meth:`bulk_insert`, instead of
        inserting and then updating every row. The keys are taken for good: no other insert can get them,
        whether or not the caller's transaction commits.
        """
        if not objs:
            return
        meta = self.model._meta
        connection = connections[self.db]
        table, column = meta.db_table, meta.pk.column
        with transaction.atomic(using=self.db), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, column, len(objs)],
                )
                keys = [row[0] for row in cursor.fetchall()]
            elif connection.vendor == "sqlite":
                # Django declares SQLite keys AUTOINCREMENT: the next key is above both sqlite_sequence's
                # entry and the largest key. The UPDATE takes the write lock, so nobody else reserves too.
                key_sql, table_sql = connection.ops.quote_name(column), connection.ops.quote_name(table)
                largest = f"SELECT coalesce(max({key_sql}), 0) FROM {table_sql}"  # noqa: S608 (quoted model names)
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) SELECT %s, 0 "
                    "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
                    [table, table],
                )
                cursor.execute(
                    f"UPDATE sqlite_sequence SET seq = max(seq, ({largest})) + %s WHERE name = %s",  # noqa: S608 (quoted model names)
                    [len(objs), table],
                )
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                last = cursor.fetchone()[0]
                keys = list(range(last - len(objs) + 1, last + 1))
            else:  # pragma: no cover - Qorgau runs on SQLite and PostgreSQL
                raise NotImplementedError(connection.vendor)
        for obj, key in zip(objs, keys, strict=True):
            obj.pk = key

    def bulk_insert(self, objs: Any) -> int:
        """Insert many new rows; one audit entry. Their keys are set only where :meth:`reserve_keys` set them.

        PostgreSQL: one ``COPY`` (Django 5.2's bulk insert binds every column as an array, which psycopg's
        client-side binding quotes element by element in Python: minutes for a million task rows).
        Elsewhere: ``bulk_create``. Field defaults and ``auto_now(_add)`` apply as in ``save``.
        """
        objs = list(objs)
        if not objs:
            return 0
        keyed = objs[0].pk is not None
        if any((obj.pk is not None) != keyed for obj in objs):
            raise ValueError("bulk_insert: either every object has its key (reserve_keys) or none has")
        connection = connections[self.db]
        if connection.vendor != "postgresql":
            return len(self.bulk_create(objs, batch_size=2000))
        audit.require()
        fields = [f for f in self.model._meta.concrete_fields if keyed or not f.db_returning]  # the serial key?
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(self.model._meta.db_table)
        preparers = [_copy_preparer(f, connection) for f in fields]
        with transaction.atomic(using=self.db), connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for obj in objs:
                    copy.write_row([prepare(obj) for prepare in preparers])
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


def copy_unsaved(template: models.Model, **values: Any) -> Any:
    """A new unsaved instance with ``template``'s field values and ``values`` (attribute names, e.g.
    ``case_id``), without running ``__init__``: for building many similar rows for a bulk insert."""
    obj = type(template).__new__(type(template))
    obj.__dict__.update(template.__dict__)
    obj._state = models.base.ModelState()  # its own "adding" flag and relation cache
    obj.__dict__.update(values)
    return obj


# Values psycopg's COPY writes as they are: the field's own preparation would give the same text.
_COPY_AS_IS = frozenset({str, int, bool, type(None), uuid.UUID})


def _copy_preparer(field: models.Field, connection: Any) -> Any:
    """How one field's value of an object becomes a ``COPY`` value (``save``'s preparation, made cheap).

    Plain values and aware datetimes go as they are. A JSON value is encoded once per distinct object:
    rows built from one template (a protocol's step titles) share their dicts.
    """
    if isinstance(field, models.JSONField):
        encoded: dict[int, tuple[Any, str]] = {}

        def prepare_json(obj: models.Model) -> Any:
            value = field.pre_save(obj, True)
            if value is None:
                return None
            hit = encoded.get(id(value))
            if hit is None or hit[0] is not value:
                hit = encoded[id(value)] = (value, json.dumps(value, cls=field.encoder, ensure_ascii=False))
            return hit[1]

        return prepare_json

    def prepare(obj: models.Model) -> Any:
        value = field.pre_save(obj, True)
        kind = type(value)
        if kind in _COPY_AS_IS or (kind is dt.datetime and value.tzinfo is not None):
            return value
        return field.get_db_prep_save(value, connection)

    return prepare


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
