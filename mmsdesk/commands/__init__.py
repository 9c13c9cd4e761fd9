"""Headless subcommands. Each module has ``register(subparsers)``; none imports Qt.

Keep module tops light (argparse only): heavy imports go inside the handlers, so that
``mmsdesk screen`` and friends start fast.
"""
