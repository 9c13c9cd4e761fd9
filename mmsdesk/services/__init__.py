"""Care-process use cases. Own their transactions; take and return plain dataclasses."""
