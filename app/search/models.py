"""The search tables, derived from the documents and kept in step with them (R25–R27, R32, R34).

`search_entry` holds one row for each unit a document concerns, as that unit sees it: its register number,
received date and status there, plus the fields people search by. Every index starts with the unit, since a
search is always inside the units the user may see, and then the year (R32), so the first page of a sorted
search is an ordered index range read, never a sort of the whole result. The primary key is (unit, year,
document), so each of those indexes ends in the document id, the tie-break of every sort.

`search_gram` is the character-bigram index of the subjects, one row per (bigram, document): a rare word
is found by intersecting the lists of its rarest bigrams. It lives in InnoDB like everything else, so it
rolls back and recovers with the documents (Mroonga, measured in our research, keeps rolled-back rows).

`search_pending` is the outbox of documents whose rows must be worked out again: written in the
transaction that changed the document, consumed after commit (see services.py).
"""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import table_args, utcnow
from app.extensions import db


class SearchStatus(StrEnum):
    """Where a document stands in one unit (R26); "overdue" is a condition on the due date, not a status."""
    NEW = "new"                                # arrived, not opened; or a draft not sent yet
    READ = "read"                              # opened by a clerk, not registered
    REGISTERED = "registered"                  # holds a number here, not yet given to anyone
    IN_PROGRESS = "in_progress"                # instructed, assigned, at work, sent back for changes
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"                          # signed here (and sent on, for an outgoing letter)
    SENT = "sent"                              # this unit sent it; it waits at the receivers
    RETURNED = "returned"                      # the receiver returned it (ตีกลับ)
    RECALLED = "recalled"                      # the sender recalled it (ดึงกลับ)
    CLOSED = "closed"                          # finished here (R20), forwarded on or withdrawn


OPEN_STATUSES = tuple(s.value for s in SearchStatus
                      if s not in (SearchStatus.SIGNED, SearchStatus.CLOSED, SearchStatus.RETURNED,
                                   SearchStatus.RECALLED, SearchStatus.SENT))


def binary_string(length):
    """Compared byte for byte on MariaDB/MySQL: LIKE runs several times faster than under a general_ci
    collation, and keys are stored in one normal form (lower case, NFC) so nothing is lost by it."""
    return String(length).with_variant(mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"),
                                       "mysql", "mariadb")


def thai_string(length):
    """One byte a character on MariaDB/MySQL (TIS-620, Thailand's standard); see text.normal_form."""
    return String(length).with_variant(mysql.VARCHAR(length, charset="tis620", collation="tis620_bin"),
                                       "mysql", "mariadb")


class SearchEntry(db.Model):
    __tablename__ = "search_entry"
    __table_args__ = table_args(
        UniqueConstraint("document_id", "unit_id"),  # the primary key holds them too, but led by the unit
        Index("ix_search_entry_register", "unit_id", "year", "reg_number"),
        Index("ix_search_entry_received", "unit_id", "year", "received_at"),
        Index("ix_search_entry_dated", "unit_id", "dated"),  # a range of ลงวันที่ over all years too
        Index("ix_search_entry_doc_number", "unit_id", "year", "doc_number_key"),
        Index("ix_search_entry_subject", "unit_id", "year", "subject_sort"),
        Index("ix_search_entry_status", "unit_id", "status", "due_date"),
        # counting a common word's hits reads these narrow entries rather than the whole rows
        Index("ix_search_entry_subject_key", "unit_id", "year", "subject_key"),
        # a search over many units (a ปลัด's) reads in order through these and stops after a page of hits
        Index("ix_search_entry_year_register", "year", "reg_number"),
        Index("ix_search_entry_year_received", "year", "received_at"))

    # InnoDB stores rows in primary-key order: a unit's rows of a year lie together, so counting them or
    # scanning them with LIKE reads neighbouring pages instead of one random page per row.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)  # CE year of its number in this unit, else of arrival
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), primary_key=True)
    # Copies of the document's references carry no foreign keys: each would add an index to every write of
    # this derived table, and the document's own rows hold the references.
    register_id: Mapped[int | None]
    register_direction: Mapped[str | None] = mapped_column(String(16))
    reg_number: Mapped[int | None]
    received_at: Mapped[datetime]                      # registered here, else arrived, else created
    status: Mapped[str] = mapped_column(String(24))    # see statuses.py
    doc_number_key: Mapped[str] = mapped_column(binary_string(100), default="")
    dated: Mapped[date | None]
    subject_key: Mapped[str] = mapped_column(thai_string(500))
    subject_sort: Mapped[str] = mapped_column(binary_string(100))
    from_key: Mapped[str] = mapped_column(binary_string(300), default="")
    to_key: Mapped[str] = mapped_column(binary_string(1000), default="")
    owner_unit_id: Mapped[int]
    type_id: Mapped[int]
    category_id: Mapped[int | None]
    secrecy: Mapped[str] = mapped_column(String(16))
    speed: Mapped[str] = mapped_column(String(16))
    due_date: Mapped[date | None]

    unit = relationship("Unit", foreign_keys=[unit_id])


class SearchGram(db.Model):
    __tablename__ = "search_gram"
    __table_args__ = table_args(Index("ix_search_gram_document", "document_id"))

    gram: Mapped[str] = mapped_column(binary_string(2), primary_key=True)
    document_id: Mapped[int] = mapped_column(primary_key=True)  # no foreign key: 50 rows a document, derived


class SearchPending(db.Model):
    __tablename__ = "search_pending"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
