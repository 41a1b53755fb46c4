"""A mail backend for the worker tests: says when a send has started (a file), holds while the hold
file exists, then writes each mail's subject as one line of the sent log (what left, and how often)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class HoldingBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        Path(os.environ["MAIL_STARTED_FILE"]).touch()
        hold = Path(os.environ["MAIL_HOLD_FILE"])
        while hold.exists():
            time.sleep(0.05)
        with open(os.environ["MAIL_SENT_LOG"], "a", encoding="utf-8") as log:
            for message in email_messages:
                log.write(message.subject + "\n")
        return len(email_messages)
