"""Every table, registered on one metadata. Import models from their modules."""

from testament.models import execution, identity, instance, project, repository
from testament.models.base import Base

__all__ = ["Base", "execution", "identity", "instance", "project", "repository"]
