"""Every model, imported in one place so metadata is complete for migrations and tests."""
from app.attachments.models import Attachment  # noqa: F401
from app.auth.models import LoginAttempt, RevokedSession  # noqa: F401
from app.core.models import AuditChainHead, AuditEvent  # noqa: F401
from app.documents.models import (  # noqa: F401
    Category, DeliveryMethod, Document, DocumentOperator, DocumentRecipient, DocumentType, DueDateChange)
from app.followups.models import Follow  # noqa: F401
from app.handling.models import Handling, HandlingNote  # noqa: F401
from app.letters.models import Letter, Letterhead, LetterRevision, LetterSignature, LetterTemplate  # noqa: F401
from app.notifications.models import (  # noqa: F401
    LineAccount, LineChannel, LineLinkRequest, LinePush, LineWebhookEvent, Notification)
from app.org.models import Delegation, Unit, User, UserRole  # noqa: F401
from app.registry.models import Register, RegisterCounter, RegisterEntry, Registration  # noqa: F401
from app.signing.models import SigningAuthority, SigningCertificate, SigningPinLock, SigningProfile  # noqa: F401,E501
from app.search.models import SearchEntry, SearchGram, SearchPending  # noqa: F401
from app.routing.models import Delivery, DistributionList, DistributionListMember  # noqa: F401
from app.workflow.models import WorkflowDefinition, WorkflowInstance, WorkflowTask  # noqa: F401
