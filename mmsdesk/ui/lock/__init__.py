"""Unlock screen, first-time passphrase set-up and the idle lock."""
