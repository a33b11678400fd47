"""`/v1/configuration` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from testament.access.context import ProjectContext
from testament.configurations import listing, service
from testament.configurations.schemas import (
    ConfigurationCreate,
    ConfigurationGroup,
    ConfigurationGroupCreate,
    ConfigurationId,
)
from testament.http.deps import SessionDep, project_access
from testament.kit.envelope import Envelope, ListResult

router = APIRouter(prefix="/configuration", tags=["configurations"])

CanRead = Annotated[ProjectContext, Depends(project_access("configuration.read"))]
CanCreate = Annotated[ProjectContext, Depends(project_access("configuration.create"))]


@router.get(
    "/{code}",
    operation_id="get-configurations",
    response_model=Envelope[ListResult[ConfigurationGroup]],
)
def get_configurations(ctx: CanRead, session: SessionDep) -> object:
    """List every configuration group of the project with its configurations.

    Not paged: the contract has no limit or offset here, and reporters look a group up by title
    in this one answer.
    """
    return Envelope(result=listing.list_configuration_groups(session, ctx))


@router.post(
    "/{code}", operation_id="create-configuration", response_model=Envelope[ConfigurationId]
)
def create_configuration(ctx: CanCreate, session: SessionDep, body: ConfigurationCreate) -> object:
    """Create a configuration in the group `group_id`; answers its id."""
    configuration = service.create_configuration(session, ctx, body.group_id, body.title)
    return Envelope(result=ConfigurationId(id=configuration.number))


@router.post(
    "/{code}/group",
    operation_id="create-configuration-group",
    response_model=Envelope[ConfigurationId],
)
def create_configuration_group(
    ctx: CanCreate, session: SessionDep, body: ConfigurationGroupCreate
) -> object:
    """Create a configuration group; answers its id."""
    group = service.create_group(session, ctx, body.title)
    return Envelope(result=ConfigurationId(id=group.number))
