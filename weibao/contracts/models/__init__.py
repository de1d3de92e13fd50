from weibao.contracts.models.contract import Contract, ContractStatus, EntitlementUsage
from weibao.contracts.models.policy import (
    ContractPolicy,
    DistanceTierRow,
    EscalationRule,
    ResponseTarget,
)

__all__ = [
    "Contract",
    "ContractPolicy",
    "ContractStatus",
    "DistanceTierRow",
    "EntitlementUsage",
    "EscalationRule",
    "ResponseTarget",
]
