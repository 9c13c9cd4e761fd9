"""How a CMR offer reached the enrollee: our keys, and the words shown to the pharmacist.

A module of its own, importing nothing, so that the command line can list the choices without
loading the database layer (``mmsdesk screen`` is timed from the shell)."""

OFFER_METHODS = {"mail": "Mail", "telephone": "Telephone", "in_person": "In person",
                 "portal": "Patient portal", "other": "Other"}
