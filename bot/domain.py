"""The vocabulary of networks and memberships, shared by every layer. Pure Python, no I/O."""

from __future__ import annotations

from enum import StrEnum

LANGUAGES = ("en", "fi", "sv")


class Category(StrEnum):
    """What a network mainly does (the data file's `category`)."""

    PROFESSIONAL_SUPPORT = "professional_support"
    DEVELOPMENT = "development"
    COMMUNICATION = "communication"
    FORESIGHT = "foresight"
    PARTICIPATION = "participation"


class Scope(StrEnum):
    """Who takes part in a network besides the state (the data file's `scope`)."""

    STATE = "state"
    MUNICIPALITIES = "municipalities"
    WELLBEING_REGIONS = "wellbeing_regions"
    RESEARCHERS = "researchers"
    NGOS = "ngos"
    PRIVATE_SECTOR = "private_sector"


class Origin(StrEnum):
    """How a network came to be."""

    CENTRAL = "central"
    SPONTANEOUS = "spontaneous"
    UNKNOWN = "unknown"


class JoinPolicy(StrEnum):
    """How a person gets into a network."""

    OPEN = "open"
    REQUEST = "request"
    CLOSED = "closed"


class Role(StrEnum):
    """The structures networks really have. Only coordinators manage the network."""

    MEMBER = "member"
    COORDINATOR = "coordinator"
    CHAIR = "chair"
    SUPPORT_GROUP = "support_group"
    ADVISORY_GROUP = "advisory_group"


class MembershipStatus(StrEnum):
    """Where a membership stands. A declined request is kept as history, like a departure."""

    PENDING = "pending"
    ACTIVE = "active"
    LEFT = "left"
    DECLINED = "declined"


CURRENT_STATUSES = (MembershipStatus.PENDING, MembershipStatus.ACTIVE)


class AuditAction(StrEnum):
    """What the audit log records."""

    NETWORK_CREATED = "network_created"
    NETWORK_EDITED = "network_edited"
    NETWORK_IMPORTED = "network_imported"
    REQUEST_APPROVED = "request_approved"
    REQUEST_DECLINED = "request_declined"
    ROLE_CHANGED = "role_changed"
    MEMBER_ADDED = "member_added"
