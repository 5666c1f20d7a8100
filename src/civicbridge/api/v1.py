"""/api/v1/: every router mounted on the one API instance."""

from civicbridge.api.core import api
from civicbridge.api.endpoints import (
    accounts,
    approvals,
    attendance,
    copying,
    directory,
    exchange_records,
    exchanges,
    forums,
    logistics,
    pairings,
    programmes,
    reading,
    releases,
    reports,
)

api.add_router("/", accounts.router)
api.add_router("/", directory.router)
api.add_router("/", exchanges.router)
api.add_router("/", copying.router)
api.add_router("/", exchange_records.router)
api.add_router("/", forums.router)
api.add_router("/", logistics.router)
api.add_router("/", pairings.router)
api.add_router("/", programmes.router)
api.add_router("/", reports.router)
api.add_router("/", reading.router)
api.add_router("/", releases.router)
api.add_router("/", approvals.router)
api.add_router("/", attendance.router)
