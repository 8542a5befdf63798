"""Names of the registers' codes as people read them."""

from app.core.messages import lazy_gettext as _l
from app.registry.models import Direction

DIRECTION_LABELS = {
    Direction.SEND.value: _l("Send (ส่ง)"),
    Direction.RECEIVE.value: _l("Receive (รับ)"),
}
# The page a register entry opens to print: a receipt stamp (ตรารับ) only for what was received; a number
# in a send register is a send record (issue 14 item 7).
STAMP_LABELS = {
    Direction.RECEIVE.value: _l("Receipt stamp"),
    Direction.SEND.value: _l("Send record"),
}
NUMBER_LABELS = {
    Direction.RECEIVE.value: _l("Receive no."),
    Direction.SEND.value: _l("Send no."),
}
