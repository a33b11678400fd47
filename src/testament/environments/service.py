"""Environment rules: per-project numbers, a slug unique in the project, lookups for runs."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.environments.filters import EnvironmentFilters
from testament.environments.schemas import Environment as EnvironmentSchema
from testament.environments.schemas import EnvironmentCreate, EnvironmentUpdate
from testament.kit import audit
from testament.kit import repository as numbered
from testament.kit.errors import Invalid, NotFound
from testament.kit.numbering import next_project_number
from testament.kit.text_search import contains_ignoring_case
from testament.models.environments import Environment


def environment_id_for(
    session: Session,
    project_id: int,
    *,
    number: int | None = None,
    slug: str | None = None,
    field: str = "environment_id",
) -> int | None:
    """The global id of the environment named by `number` or `slug` (None when neither is given).

    An unknown one is a 422 naming `field`; for a slug the field is `environment_slug` unless the
    caller names another. When both are given they must name the same environment.
    """
    by_number = None
    if number is not None:
        by_number = numbered.id_for_number(
            session, Environment, project_id, number, field=field, label="Environment"
        )
    if slug is None:
        return by_number
    slug_field = "environment_slug" if field == "environment_id" else field
    by_slug = session.scalar(
        select(Environment.id).where(Environment.project_id == project_id, Environment.slug == slug)
    )
    if by_slug is None:
        raise Invalid.field(
            slug_field, f"Environment with slug {slug!r} not found in this project."
        )
    if by_number is not None and by_number != by_slug:
        raise Invalid.field(
            slug_field, f"Environment {slug!r} is not environment {number}: send one or the other."
        )
    return int(by_slug)


def numbers_for_ids(session: Session, ids: Collection[int]) -> dict[int, int]:
    """Global environment id -> the number clients see, in one query."""
    return numbered.numbers_for_ids(session, Environment, ids)


def list_statement(project_id: int) -> Select[Environment]:
    return (
        select(Environment).where(Environment.project_id == project_id).order_by(Environment.number)
    )


def filtered_statement(project_id: int, filters: EnvironmentFilters) -> Select[Environment] | None:
    """The list narrowed by title (`search`, a substring) and `slug` (equal); None: no filter."""
    if not filters.any:
        return None
    statement = list_statement(project_id)
    if filters.search:
        statement = statement.where(contains_ignoring_case(Environment.title, filters.search))
    if filters.slug:
        statement = statement.where(Environment.slug == filters.slug)
    return statement


def get_environment(session: Session, ctx: ProjectContext, number: int) -> Environment:
    environment = numbered.by_number(session, Environment, ctx.project.id, number)
    if environment is None:
        raise NotFound(
            f"Environment not found: no environment {number} in project {ctx.project.code}."
        )
    return environment


def to_schemas(environments: Sequence[Environment]) -> list[EnvironmentSchema]:
    return [
        EnvironmentSchema(
            id=e.number, title=e.title, description=e.description, slug=e.slug, host=e.host
        )
        for e in environments
    ]


def create_environment(
    session: Session, ctx: ProjectContext, data: EnvironmentCreate
) -> Environment:
    project_id = ctx.project.id
    _require_free_slug(session, project_id, data.slug, None)
    environment = Environment(
        project_id=project_id,
        number=next_project_number(session, project_id, "environment"),
        title=data.title,
        description=data.description,
        slug=data.slug,
        host=data.host,
    )
    session.add(environment)
    _flush_unique_slug(session, data.slug)
    audit.created(
        session,
        ctx.actor,
        "environment",
        environment.number,
        project_id=project_id,
        changes=data.model_dump(),
    )
    return environment


def update_environment(
    session: Session, ctx: ProjectContext, number: int, data: EnvironmentUpdate
) -> Environment:
    """Change the fields sent; a new slug must be free in the project."""
    environment = get_environment(session, ctx, number)
    sent = data.model_fields_set
    if "slug" in sent and data.slug is not None:
        _require_free_slug(session, ctx.project.id, data.slug, environment.id)
    for name in ("title", "description", "slug", "host"):
        if name in sent:
            setattr(environment, name, getattr(data, name))
    _flush_unique_slug(session, environment.slug)
    audit.updated(
        session,
        ctx.actor,
        "environment",
        number,
        project_id=ctx.project.id,
        changes=data.model_dump(exclude_unset=True),
    )
    return environment


def delete_environment(session: Session, ctx: ProjectContext, number: int) -> None:
    """Delete the environment; runs that used it keep running without one (ON DELETE SET NULL)."""
    environment = get_environment(session, ctx, number)
    audit.deleted(
        session,
        ctx.actor,
        "environment",
        number,
        project_id=ctx.project.id,
        changes={"title": environment.title, "slug": environment.slug},
    )
    session.delete(environment)
    session.flush()


def _require_free_slug(session: Session, project_id: int, slug: str, own_id: int | None) -> None:
    taken = session.scalar(
        select(Environment.id).where(Environment.project_id == project_id, Environment.slug == slug)
    )
    if taken is not None and taken != own_id:
        raise Invalid.field("slug", _taken(slug))


def _flush_unique_slug(session: Session, slug: str) -> None:
    try:
        # A savepoint turns a concurrent duplicate into a clean 422 instead of a 500.
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Invalid.field("slug", _taken(slug)) from exc


def _taken(slug: str) -> str:
    return f"An environment with slug {slug!r} already exists in this project."
