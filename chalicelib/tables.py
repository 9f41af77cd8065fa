"""Every DynamoDB table the runtime uses, from its PynamoDB model: the one definition
that local provisioning, the tests and the infrastructure check all read."""

from pynamodb.models import Model


def all_models() -> list[type[Model]]:
    from chalicelib.accounts.store import AgentAuditItem, AgentItem
    from chalicelib.activity.store import AgentDayItem
    from chalicelib.adapters.audit import AuditItem
    from chalicelib.adapters.closures import ClosureItem
    from chalicelib.callbacks.store import CallbackItem, CallbackMarker
    from chalicelib.contacts.rejections import RejectedInputItem
    from chalicelib.contacts.store import ContactItem
    from chalicelib.health.store import HealthItem
    from chalicelib.incidents.store import IncidentItem
    from chalicelib.privacy.store import DisclosureItem, PrivacyRequestItem
    from chalicelib.referrals.store import ReferralItem
    from chalicelib.referrals.units import UnitItem
    from chalicelib.reports.store import ReportItem, ReportSendItem

    return [
        ContactItem,
        RejectedInputItem,
        CallbackItem,
        CallbackMarker,
        ReportItem,
        ReportSendItem,
        UnitItem,
        ReferralItem,
        AuditItem,
        AgentItem,
        AgentAuditItem,
        IncidentItem,
        HealthItem,
        DisclosureItem,
        PrivacyRequestItem,
        AgentDayItem,
        ClosureItem,
    ]
