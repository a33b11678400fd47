"""What only an HTTP request needs, written once: route dependencies (session, actor, project,
page), the edge middleware, request guards, error rendering and the OpenAPI document.

Nothing below this package (services, repositories, models, `kit`) imports FastAPI or Starlette.
"""
