"""Technical regulations, the standards they adopt, test items and products."""

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lims.db_types import NFCString, NFCText, enum_column
from lims.extensions import db


class Standard(db.Model):
    """An international or national standard at one edition."""

    __tablename__ = "standard"
    __table_args__ = (sa.UniqueConstraint("code", "edition"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(NFCString(80))
    edition: Mapped[str] = mapped_column(NFCString(80), default="")

    def label(self) -> str:
        return f"{self.code} {self.edition}".strip()


class RegulationKind(enum.Enum):
    RADIO = "radio"
    EMC = "emc"
    SAFETY = "safety"
    SAR = "sar"
    BATTERY = "battery"
    OTHER = "other"


class Regulation(db.Model):
    """A national technical regulation at one edition, e.g. QCVN 54:2020/BTTTT."""

    __tablename__ = "regulation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(NFCString(60), unique=True)
    number: Mapped[str] = mapped_column(sa.String(16))
    year: Mapped[int]
    issuer: Mapped[str] = mapped_column(sa.String(16))
    title_vi: Mapped[str] = mapped_column(NFCText, default="")
    title_en: Mapped[str] = mapped_column(NFCText, default="")
    kind: Mapped[RegulationKind] = mapped_column(enum_column(RegulationKind))
    based_on_id: Mapped[int | None] = mapped_column(sa.ForeignKey("standard.id"))
    effective_from: Mapped[date | None]
    mandatory_from: Mapped[date | None]
    # Last day on which test reports to the superseded edition are accepted.
    transition_ends: Mapped[date | None]
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regulation.id"))
    source: Mapped[str] = mapped_column(NFCText, default="")

    based_on = relationship("Standard")
    supersedes = relationship("Regulation", remote_side=[id])
    test_items: Mapped[list["TestItem"]] = relationship(
        back_populates="regulation", order_by="TestItem.clause"
    )

    def title(self, locale: str) -> str:
        if locale == "vi" and self.title_vi:
            return self.title_vi
        return self.title_en or self.title_vi


class LimitKind(enum.Enum):
    MAXIMUM = "max"
    MINIMUM = "min"


class TestItem(db.Model):
    """A clause of a regulation with its limit line.

    ``segments`` is a list of ``[f_start_hz, f_stop_hz, level_start, level_stop]``;
    a frequency-independent limit has one segment from 0 to ``null`` (no upper
    bound). ``interpolation`` is "log" where the standard interpolates against
    the logarithm of frequency, as CISPR emission limits do.
    """

    __tablename__ = "test_item"
    __table_args__ = (sa.UniqueConstraint("regulation_id", "clause", "name_en"),)
    __test__ = False  # not a pytest test class

    id: Mapped[int] = mapped_column(primary_key=True)
    regulation_id: Mapped[int] = mapped_column(sa.ForeignKey("regulation.id"))
    clause: Mapped[str] = mapped_column(NFCString(120))
    name_en: Mapped[str] = mapped_column(NFCString(200))
    name_vi: Mapped[str] = mapped_column(NFCString(200), default="")
    quantity: Mapped[str] = mapped_column(NFCString(120), default="")
    unit: Mapped[str] = mapped_column(sa.String(20))
    detector: Mapped[str] = mapped_column(sa.String(20), default="")
    limit_kind: Mapped[LimitKind] = mapped_column(
        enum_column(LimitKind), default=LimitKind.MAXIMUM
    )
    interpolation: Mapped[str] = mapped_column(sa.String(8), default="linear")
    segments: Mapped[list] = mapped_column(sa.JSON, default=list)
    source: Mapped[str] = mapped_column(NFCText, default="")

    regulation: Mapped[Regulation] = relationship(back_populates="test_items")

    def name(self, locale: str) -> str:
        if locale == "vi" and self.name_vi:
            return self.name_vi
        return self.name_en


class HsCode(db.Model):
    """A Harmonized System heading or subheading (codes are text: "851762")."""

    __tablename__ = "hs_code"

    code: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    description: Mapped[str] = mapped_column(NFCText)
    parent: Mapped[str | None] = mapped_column(sa.String(10))
    level: Mapped[int]
    source: Mapped[str] = mapped_column(NFCText, default="")


product_category_hs_code = sa.Table(
    "product_category_hs_code",
    db.metadata,
    sa.Column("category_id", sa.ForeignKey("product_category.id"), primary_key=True),
    sa.Column("hs_code", sa.ForeignKey("hs_code.code"), primary_key=True),
)

product_category_regulation = sa.Table(
    "product_category_regulation",
    db.metadata,
    sa.Column("category_id", sa.ForeignKey("product_category.id"), primary_key=True),
    sa.Column("regulation_id", sa.ForeignKey("regulation.id"), primary_key=True),
)


class ProductCategory(db.Model):
    __tablename__ = "product_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(NFCString(200), unique=True)
    name_vi: Mapped[str] = mapped_column(NFCString(200), default="")
    # Products of this category must be tested in Vietnam, even when an
    # agreement would accept a foreign test report.
    requires_local_testing: Mapped[bool] = mapped_column(default=False)

    hs_codes: Mapped[list[HsCode]] = relationship(secondary=product_category_hs_code)
    regulations: Mapped[list[Regulation]] = relationship(
        secondary=product_category_regulation
    )


class Organisation(db.Model):
    """A company: applicant, manufacturer, certificate holder or importer."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NFCString(300))
    address: Mapped[str] = mapped_column(NFCText, default="")
    economy_code: Mapped[str] = mapped_column(sa.ForeignKey("economy.code"))
    tax_code: Mapped[str] = mapped_column(sa.String(20), default="")
    email: Mapped[str] = mapped_column(NFCString(254), default="")

    economy = relationship("Economy")


class Product(db.Model):
    __tablename__ = "product"
    __table_args__ = (sa.UniqueConstraint("manufacturer_id", "model"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    manufacturer_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(NFCString(300))
    model: Mapped[str] = mapped_column(NFCString(120))
    hs_code: Mapped[str] = mapped_column(sa.ForeignKey("hs_code.code"))
    category_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("product_category.id")
    )
    description: Mapped[str] = mapped_column(NFCText, default="")

    manufacturer: Mapped[Organisation] = relationship()
    hs: Mapped[HsCode] = relationship()
    category: Mapped[ProductCategory | None] = relationship()
