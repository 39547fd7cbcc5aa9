"""Readers of the official plan texts (the seeds): each turns one document's extracted text into a
:class:`~plans.parsing.types.ParsedPlan`; :func:`plans.parsing.parse_plan` picks the reader."""
