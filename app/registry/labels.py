"""Names of the registers' codes as people read them."""

from app.core.messages import lazy_gettext as _l
from app.registry.models import Direction

DIRECTION_LABELS = {
    Direction.SEND.value: _l("Send (ส่ง)"),
    Direction.RECEIVE.value: _l("Receive (รับ)"),
}
