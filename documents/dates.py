"""Moved to documents.formal (the one module of Indonesian formal-text helpers). Kept only so
that the apps outside the document kit that still import from here keep working; import
from documents.formal instead, then delete this module."""

from documents.formal import MONTHS, clock, long_date, tanggal

__all__ = ["MONTHS", "clock", "long_date", "tanggal"]
